package dev.kapi.shared.ratelimit;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpMethod;

/**
 * Requests a client may make per minute, per route ({@code routes}) and for every route
 * not listed ({@code default-per-minute}). A client is the signed-in user on routes that
 * need a token, its IP otherwise. {@code KAPI_RATE_LIMITS_ENABLED=false} turns all limits
 * off.
 */
@ConfigurationProperties("kapi.rate-limits")
public record RateLimitSettings(@DefaultValue("true") boolean enabled, @DefaultValue("300") int defaultPerMinute,
        @DefaultValue List<Route> routes) {

    /**
     * One limited route: method, Spring path pattern (e.g. {@code /users/{id}}) and its
     * limit. {@code local} keeps its buckets in this instance's memory instead of
     * PostgreSQL: no query per request, each instance counting on its own (for very high
     * limits on hot machine-to-machine routes, where a shared row per client would
     * serialise that client's calls).
     */
    public record Route(HttpMethod method, String path, int perMinute, @DefaultValue("false") boolean local) {
    }
}
