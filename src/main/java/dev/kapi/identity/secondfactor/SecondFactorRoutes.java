package dev.kapi.identity.secondfactor;

import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import dev.kapi.shared.RouteRules;
import dev.kapi.shared.RouteRules.Route;

/**
 * The second factors' routes for the guards: a sign-in's second step and the passwordless
 * sign-ins need no token; a frozen account may still manage its own factors.
 */
@Component
class SecondFactorRoutes implements RouteRules {

    @Override
    public List<Route> publicRoutes() {
        return List.of(Route.of(HttpMethod.POST, "/auth/login/mfa"), Route.of(HttpMethod.POST, "/auth/magic-link"),
                Route.of(HttpMethod.POST, "/auth/magic-link/confirm"),
                Route.of(HttpMethod.POST, "/auth/passkey/options"), Route.of(HttpMethod.POST, "/auth/passkey"));
    }

    @Override
    public List<Route> frozenAccountWrites() {
        return List.of(Route.any("/users/me/mfa/**"), Route.any("/users/me/passkeys/**"));
    }

}
