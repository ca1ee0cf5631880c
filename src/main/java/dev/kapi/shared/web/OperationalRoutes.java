package dev.kapi.shared.web;

import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import dev.kapi.shared.RouteRules;

/**
 * The operational endpoints no module owns: health, info, metrics for the scraper, the
 * API description, errors.
 */
@Component
class OperationalRoutes implements RouteRules {

    @Override
    public List<Route> publicRoutes() {
        return List.of(Route.any("/actuator/health"), Route.any("/actuator/health/**"), Route.any("/actuator/info"),
                Route.any("/actuator/prometheus"), Route.any("/v3/api-docs"), Route.any("/v3/api-docs/**"),
                Route.any("/swagger-ui.html"), Route.any("/swagger-ui/**"), Route.any("/error"),
                // Browsers ask before a cross-origin call; CORS answers these.
                Route.of(HttpMethod.OPTIONS, "/**"));
    }

}
