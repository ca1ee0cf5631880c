package dev.kapi.plans;

import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.EntitlementSource;

/**
 * Entitlements read straight from the account's user packages, so a package counts
 * exactly while it runs.
 */
@Service
class PackageEntitlements implements Entitlements, EntitlementSource {

    private final UserPackages userPackages;

    private final EntitlementCache cache;

    private final Clock clock;

    PackageEntitlements(UserPackages userPackages, EntitlementCache cache, Clock clock) {
        this.userPackages = userPackages;
        this.cache = cache;
        this.clock = clock;
    }

    /**
     * From the cache, valid until the account's next package start or end; two statements
     * on a miss.
     */
    @Override
    public Set<String> of(long accountId) {
        Instant now = clock.instant();
        return Collections.unmodifiableSortedSet(cache.get(accountId, now, id -> {
            Instant next = userPackages.nextChange(id, now);
            return new EntitlementCache.Cached(userPackages.activeContentValues(id, now),
                    next == null ? Instant.MAX : next);
        }));
    }

    /** Identity's view of the same thing, for {@code GET /users/me}. */
    @Override
    public Set<String> entitlementsOf(long accountId) {
        return of(accountId);
    }

    @Override
    @Transactional(readOnly = true)
    public boolean has(long accountId, String contentValue) {
        return contentValue != null && userPackages.activeContentValue(accountId, contentValue, clock.instant());
    }

}
