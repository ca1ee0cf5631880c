package dev.kapi.shared.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.kapi.shared.RequestPaths;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;

/**
 * Token buckets kept in PostgreSQL through Bucket4j, so that every instance on one
 * database shares the same limits; a route marked {@code local} keeps Bucket4j buckets in
 * this instance's memory instead (no query per request; each instance counts on its own).
 * Bucket time follows the injected {@link Clock}.
 */
@Component
public class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    private final RateLimitSettings settings;

    private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

    private final List<LimitedRoute> routes;

    private final TimeMeter time;

    /**
     * In-memory buckets of the local routes; an idle one is dropped once it would have
     * refilled anyway.
     */
    private final Cache<String, Bucket> localBuckets = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterAccess(Duration.ofMinutes(2))
        .build();

    RateLimiter(RateLimitSettings settings, DataSource dataSource, Clock clock) {
        this.settings = settings;
        this.time = new ClockTimeMeter(clock);
        this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
            .primaryKeyMapper(PrimaryKeyMapper.STRING)
            .table("rate_limit_buckets")
            .expirationAfterWrite(
                    ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(30)))
            .clientClock(time)
            .build();
        PathPatternParser parser = new PathPatternParser();
        this.routes = settings.routes()
            .stream()
            .map(route -> new LimitedRoute(route.method(), parser.parse(route.path()), route.perMinute(),
                    route.local()))
            .toList();
    }

    /** The outcome of one request against its bucket. */
    public record Decision(boolean allowed, long retryAfterSeconds) {
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** Takes one token for this request from the bucket of its route and client. */
    public Decision consume(HttpServletRequest request, String client) {
        HttpMethod method = HttpMethod.valueOf(request.getMethod());
        PathContainer path = RequestPaths.container(request);
        String routeKey = "default";
        int perMinute = settings.defaultPerMinute();
        boolean local = false;
        for (LimitedRoute route : routes) {
            if (route.method().equals(method) && route.pattern().matches(path)) {
                routeKey = method.name() + " " + route.pattern().getPatternString();
                perMinute = route.perMinute();
                local = route.local();
                break;
            }
        }
        int capacity = perMinute;
        String key = routeKey + "|" + client;
        if (local) {
            return decision(localBuckets
                .get(key,
                        unused -> Bucket.builder()
                            .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, Duration.ofMinutes(1)))
                            .withCustomTimePrecision(time)
                            .build())
                .tryConsumeAndReturnRemaining(1));
        }
        BucketConfiguration configuration = BucketConfiguration.builder()
            .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, Duration.ofMinutes(1)))
            .build();
        try {
            return decision(buckets.builder().build(key, () -> configuration).tryConsumeAndReturnRemaining(1));
        }
        catch (RuntimeException ex) {
            // A rate limit is a guard, not a dependency: when its store fails, serve and
            // say so in the log.
            log.warn("Rate limit store unavailable, request allowed: {}", ex.toString());
            return new Decision(true, 0);
        }
    }

    private static Decision decision(ConsumptionProbe probe) {
        long waitSeconds = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
        return new Decision(probe.isConsumed(), probe.isConsumed() ? 0 : waitSeconds);
    }

    @Scheduled(fixedDelayString = "PT5M", initialDelayString = "PT1M")
    void removeExpiredBuckets() {
        int removed;
        do {
            removed = buckets.removeExpired(1000);
        }
        while (removed == 1000);
    }

    private record LimitedRoute(HttpMethod method, PathPattern pattern, int perMinute, boolean local) {
    }

    private record ClockTimeMeter(Clock clock) implements TimeMeter {

        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }

}
