package dev.kapi.admin;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.kapi.shared.RouteRules;
import dev.kapi.shared.RouteRules.Route;

/**
 * The admin module's routes for the guards: export and import hold or replace every
 * table, so a service key needs the scope of its own ({@code admin:backup}) for them, not
 * {@code admin:read} or {@code admin:write}.
 */
@Component
class AdminRoutes implements RouteRules {

    @Override
    public List<Route> backupRoutes() {
        // Every method: a HEAD of the export runs it too.
        return List.of(Route.any("/api/admin/export"), Route.any("/api/admin/import"));
    }

}
