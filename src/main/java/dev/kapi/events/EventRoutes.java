package dev.kapi.events;

import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import dev.kapi.shared.RouteRules;

/**
 * What events tell the rules that guard every route: public events are readable without a
 * token (the routes answer only events whose visibility is {@code public}).
 */
@Component
class EventRoutes implements RouteRules {

    @Override
    public List<Route> publicRoutes() {
        return List.of(Route.of(HttpMethod.GET, "/events/public"), Route.of(HttpMethod.GET, "/events/public/*"),
                Route.of(HttpMethod.GET, "/events/*.ics"), Route.of(HttpMethod.GET, "/calendar/*.ics"));
    }

}
