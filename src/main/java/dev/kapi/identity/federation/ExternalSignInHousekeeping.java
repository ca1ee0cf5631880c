package dev.kapi.identity.federation;

import java.time.Clock;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Removes external sign-ins that were started and never finished, and one-time codes
 * never exchanged, once they expired: they refuse by their expiry already, this keeps the
 * tables small.
 */
@Component
class ExternalSignInHousekeeping {

    private final ExternalSignIns signIns;

    private final Clock clock;

    ExternalSignInHousekeeping(ExternalSignIns signIns, Clock clock) {
        this.signIns = signIns;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void scheduled() {
        prune();
    }

    int prune() {
        return signIns.removeExpired(clock.instant());
    }

}
