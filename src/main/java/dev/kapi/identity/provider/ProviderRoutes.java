package dev.kapi.identity.provider;

import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import dev.kapi.shared.RouteRules;
import dev.kapi.shared.RouteRules.Route;

/**
 * The public routes of Kapı as the identity provider of other services: the front door
 * and the published signing keys. (Introspection is not among them: it takes a service
 * key. The OAuth and OpenID endpoints are the provider's own filter chain's.)
 */
@Component
class ProviderRoutes implements RouteRules {

    @Override
    public List<Route> publicRoutes() {
        return List.of(Route.of(HttpMethod.GET, "/"), Route.of(HttpMethod.GET, FrontDoor.STYLESHEET),
                Route.of(HttpMethod.GET, "/.well-known/jwks.json"));
    }

}
