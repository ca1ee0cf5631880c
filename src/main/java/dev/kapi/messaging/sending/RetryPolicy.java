package dev.kapi.messaging.sending;

import java.time.Duration;
import java.util.List;

import dev.kapi.messaging.queue.Queue;

/**
 * What a failed send means, for the message and for its sending account. A recipient's
 * error fails the message for good; an unknown outcome (the message may have gone out)
 * and a ban are never retried; any other failure is retried after {@code retryBackoff},
 * doubling per attempt (or after the provider's own retry-after), until
 * {@code maxAttempts}, then failed as retryable. A rate-limit or account failure opens
 * the account's circuit at once for the provider's retry-after or
 * {@code breakerCooldown}, and stops the rest of its batch; otherwise
 * {@code breakerThreshold} failures in a row (a recipient's error is none) open it for
 * the cooldown. A template refused by Meta fails no recipient: the message waits with its
 * attempt uncounted and its queue is held (paused, missing) or cancelled (disabled).
 * Meta's per-user marketing cap defers the message for each of {@code marketingCapDelays}
 * in turn, then fails it (retryable).
 */
record RetryPolicy(int maxAttempts, Duration retryBackoff, int breakerThreshold, Duration breakerCooldown,
        List<Duration> marketingCapDelays) {

    static RetryPolicy of(MessagingSettings.Worker settings) {
        return new RetryPolicy(settings.maxAttempts(), settings.retryBackoff(), settings.breakerThreshold(),
                settings.breakerCooldown(), settings.marketingCapDelays());
    }

    /** Meta's per-user marketing cap, in a send's answer or a failed status callback. */
    static final String MARKETING_CAP = "131049";

    /** What becomes of a message after a failed send. */
    sealed interface Decision {

    }

    /** Back to pending, due again {@code after} from now. */
    record Retry(Duration after) implements Decision {
    }

    /** Failed; {@code retryable} when a later retry-failed may still cure it. */
    record Fail(boolean retryable) implements Decision {
    }

    /**
     * Back to pending with the attempt uncounted, and the queue held with {@code reason},
     * or cancelled when {@code cancel} (Meta disabled the template).
     */
    record Hold(String reason, boolean cancel) implements Decision {
    }

    /**
     * Deferred for the next of {@link #marketingCapDelays} (the message counts its
     * deferrals), or failed as {@code per-user-marketing-limit} after the last.
     */
    record Defer() implements Decision {
    }

    /** Meta's answer that the template is paused. */
    static final String TEMPLATE_PAUSED = "132015";

    /** Meta's answer that the template is disabled. */
    static final String TEMPLATE_DISABLED = "132016";

    /** How long an account's circuit stays open, and the reason it shows. */
    record Pause(Duration duration, String reason) {
    }

    /** The decision for a message that failed on its {@code attempts}-th attempt. */
    Decision decide(Provider.Failed failure, int attempts) {
        if (failure.kind() == Provider.Kind.MARKETING_CAP) {
            return new Defer();
        }
        if (failure.kind() == Provider.Kind.TEMPLATE) {
            return switch (failure.code()) {
                case TEMPLATE_PAUSED -> new Hold(Queue.TEMPLATE_PAUSED, false);
                case TEMPLATE_DISABLED -> new Hold(Queue.TEMPLATE_PAUSED, true);
                default -> new Hold(Queue.TEMPLATE_MISSING, false);
            };
        }
        boolean retryable = failure.kind() != Provider.Kind.RECIPIENT && failure.kind() != Provider.Kind.UNKNOWN
                && !failure.banned();
        if (retryable && attempts < maxAttempts) {
            return new Retry(failure.retryAfter() != null ? failure.retryAfter()
                    : retryBackoff.multipliedBy(1L << Math.min(10, attempts - 1)));
        }
        return new Fail(retryable);
    }

    /**
     * Whether the failure counts toward the account's failures in a row: a recipient's
     * error does not.
     */
    boolean countsAgainstAccount(Provider.Failed failure) {
        return failure.kind() != Provider.Kind.RECIPIENT && failure.kind() != Provider.Kind.TEMPLATE
                && failure.kind() != Provider.Kind.MARKETING_CAP;
    }

    /**
     * Whether the failure opens the account's circuit at once (and the rest of its batch
     * is not sent).
     */
    boolean tripsAtOnce(Provider.Failed failure) {
        return failure.kind() == Provider.Kind.RATE_LIMITED || failure.kind() == Provider.Kind.ACCOUNT;
    }

    /** The pause after a failure that {@link #tripsAtOnce trips at once}. */
    Pause pauseAfter(Provider.Failed tripped) {
        return new Pause(tripped.retryAfter() != null ? tripped.retryAfter() : breakerCooldown,
                tripped.kind() == Provider.Kind.RATE_LIMITED ? "rate-limited" : describe(tripped));
    }

    /**
     * Whether this many failures in a row open the account's circuit (for
     * {@link #failuresPause()}).
     */
    boolean tooManyInARow(int consecutiveFailures) {
        return consecutiveFailures >= breakerThreshold;
    }

    Pause failuresPause() {
        return new Pause(breakerCooldown, "failures");
    }

    /**
     * A failure as an account's pause reason or banned-suspected note: its code and
     * reason.
     */
    static String describe(Provider.Failed failure) {
        return failure.code() + ": " + failure.reason();
    }
}
