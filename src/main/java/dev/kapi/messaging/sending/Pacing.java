package dev.kapi.messaging.sending;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.IntSupplier;

import dev.kapi.messaging.automation.Automation;
import dev.kapi.messaging.sender.Sender;

/**
 * How many messages a sending account may claim at once: no more than a batch, nor than
 * the instance may have in flight, nor than what is left of the account's and its owner's
 * daily caps, nor than its {@link TokenBucket} lets out now; nothing outside the owner's
 * sending hours.
 */
final class Pacing {

    private final int batchSize;

    private final int maxInFlight;

    private final Duration pollInterval;

    Pacing(int batchSize, int maxInFlight, Duration pollInterval) {
        this.batchSize = batchSize;
        this.maxInFlight = maxInFlight;
        this.pollInterval = pollInterval;
    }

    static Pacing of(MessagingSettings.Worker settings) {
        return new Pacing(settings.batchSize(), settings.maxInFlight(), settings.pollInterval());
    }

    /**
     * What an account may claim now: {@code messages} (0 or less: none), its bucket
     * before the claim, and the owner's day the caps count in.
     */
    record Allowance(int messages, TokenBucket bucket, LocalDate today) {

        /** The bucket to store after {@code taken} messages went out. */
        double tokensAfter(int taken) {
            return bucket.take(taken).tokens();
        }

    }

    /**
     * The account's allowance at {@code now}, empty outside the owner's sending hours;
     * {@code delaySeconds} is the owner's delay with its jitter, drawn once per claim,
     * and {@code ownerSentToday} is asked only when the owner has a daily cap.
     */
    Optional<Allowance> allowance(Sender sender, Automation automation, double delaySeconds, IntSupplier ownerSentToday,
            Instant now) {
        if (!automation.withinSendingHours(now)) {
            return Optional.empty();
        }
        LocalDate today = automation.today(now);
        int allowed = Math.min(batchSize, Math.max(1, maxInFlight));
        if (sender.dailyCap() != null) {
            allowed = Math.min(allowed, sender.dailyCap() - sender.sentOn(today));
        }
        if (automation.dailyCap() != null) {
            allowed = Math.min(allowed, automation.dailyCap() - ownerSentToday.getAsInt());
        }
        TokenBucket bucket = TokenBucket.of(sender, delaySeconds, pollInterval, now);
        return Optional.of(new Allowance(bucket.allows(allowed), bucket, today));
    }

}
