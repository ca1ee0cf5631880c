package dev.kapi.identity.federation;

import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import dev.kapi.shared.RouteRules;

/**
 * External sign-in needs no token (the state, the browser's cookie and the one-time code
 * are its proofs); a frozen account may still manage its linked identities.
 */
@Component
class FederationRoutes implements RouteRules {

    @Override
    public List<Route> publicRoutes() {
        return List.of(Route.of(HttpMethod.GET, "/auth/external/{alias}"),
                Route.of(HttpMethod.GET, "/auth/external/{alias}/callback"),
                Route.of(HttpMethod.POST, "/auth/external/exchange"));
    }

    @Override
    public List<Route> frozenAccountWrites() {
        return List.of(Route.any("/users/me/identities/**"));
    }

}
