package dev.kapi.plans;

import java.time.Duration;
import java.time.Instant;
import java.util.SortedSet;
import java.util.function.LongFunction;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.kapi.shared.cluster.ClusterMessages;

/**
 * Entitlements kept in process, because {@code GET /users/me} and other modules' checks
 * ask for them on every request. An entry is valid until the account's next package
 * starts or ends, and is evicted on every instance when one of the account's packages
 * changes ({@code *}: when a package's contents change).
 */
@Component
class EntitlementCache implements SmartInitializingSingleton {

    private static final String TOPIC = "entitlements";

    private final ClusterMessages cluster;

    private final Cache<Long, Cached> entries = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterWrite(Duration.ofMinutes(10))
        .build();

    EntitlementCache(ClusterMessages cluster) {
        this.cluster = cluster;
    }

    /** An account's entitlements and the instant until which they hold unchanged. */
    record Cached(SortedSet<String> values, Instant validUntil) {
    }

    @Override
    public void afterSingletonsInstantiated() {
        cluster.subscribe(TOPIC, message -> {
            if ("*".equals(message)) {
                entries.invalidateAll();
            }
            else {
                entries.invalidate(Long.parseLong(message));
            }
        }, entries::invalidateAll);
    }

    SortedSet<String> get(long accountId, Instant now, LongFunction<Cached> loader) {
        Cached cached = entries.getIfPresent(accountId);
        if (cached == null || !now.isBefore(cached.validUntil())) {
            cached = loader.apply(accountId);
            entries.put(accountId, cached);
        }
        return cached.values();
    }

    void changed(long accountId) {
        cluster.publish(TOPIC, Long.toString(accountId));
    }

    void changedForEveryone() {
        cluster.publish(TOPIC, "*");
    }

}
