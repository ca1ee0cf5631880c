package dev.kapi.shared;

import java.util.List;

import org.springframework.http.HttpMethod;

/**
 * What a module says about its own routes to the rules that guard every route (the
 * security chain lives in identity, which names no path of another module): which routes
 * anyone may call without a token, which a frozen account may still write to, and which
 * read or replace the whole database. Each module declares one bean of this type.
 */
public interface RouteRules {

    /** A Spring path pattern, for one method or (method null) for all. */
    record Route(HttpMethod method, String pattern) {

        public static Route any(String pattern) {
            return new Route(null, pattern);
        }

        public static Route of(HttpMethod method, String pattern) {
            return new Route(method, pattern);
        }
    }

    /**
     * Routes that need no token: they check their callers themselves (a signature, a
     * one-time token).
     */
    default List<Route> publicRoutes() {
        return List.of();
    }

    /**
     * Writes a frozen account may still make: managing itself, never using the products.
     */
    default List<Route> frozenAccountWrites() {
        return List.of();
    }

    /**
     * Routes that read or replace the whole database (backups): a service key reaches
     * them only with the {@code admin:backup} scope, and that scope reaches nothing else.
     */
    default List<Route> backupRoutes() {
        return List.of();
    }

}
