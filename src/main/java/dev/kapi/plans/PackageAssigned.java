package dev.kapi.plans;

import java.time.Instant;

/**
 * Published in the transaction that gives an account a package (whichever admin API did
 * it): the user package's id, the package and its window.
 */
public record PackageAssigned(long accountId, long userPackageId, long packageId, String packageName, Instant startsAt,
        Instant endsAt) {
}
