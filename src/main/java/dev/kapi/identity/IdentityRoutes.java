package dev.kapi.identity;

import java.util.List;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

import dev.kapi.shared.RouteRules;
import dev.kapi.shared.RouteRules.Route;

/**
 * Identity's own routes for the guards: signing up and in and getting back into an
 * account need no token, and a frozen account may still manage itself (its profile,
 * password, sessions, freezing) under {@code /auth} and its own {@code /users} routes.
 */
@Component
class IdentityRoutes implements RouteRules {

    /**
     * The routes anyone may call: signing up and in, and getting back into an account.
     */
    static final List<String> PUBLIC_POSTS = List.of("/auth/register", "/auth/register/admin", "/auth/login",
            "/auth/refresh", "/auth/verify-email", "/auth/resend-verification", "/auth/forgot-password",
            "/auth/forgot-password/confirm", "/auth/not-me");

    @Override
    public List<Route> publicRoutes() {
        return PUBLIC_POSTS.stream().map(path -> Route.of(HttpMethod.POST, path)).toList();
    }

    @Override
    public List<Route> frozenAccountWrites() {
        return List.of(Route.any("/auth/**"), Route.any("/users/me"), Route.any("/users/me/change-password"),
                Route.any("/users/me/freeze"), Route.any("/users/me/unfreeze"), Route.any("/users/me/sessions/**"),
                Route.any("/users/me/consents/**"), Route.any("/users/{user_id}"));
    }

}
