package dev.kapi.plans;

import java.time.Clock;
import java.util.Collections;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.EntitlementSource;

/** Entitlements read straight from the account's user packages, so a package counts exactly while it runs. */
@Service
class PackageEntitlements implements Entitlements, EntitlementSource {

    private final UserPackages userPackages;
    private final Clock clock;

    PackageEntitlements(UserPackages userPackages, Clock clock) {
        this.userPackages = userPackages;
        this.clock = clock;
    }

    /** One statement, so no transaction: this runs on every {@code GET /users/me}. */
    @Override
    public Set<String> of(long accountId) {
        return Collections.unmodifiableSortedSet(userPackages.activeContentValues(accountId, clock.instant()));
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
