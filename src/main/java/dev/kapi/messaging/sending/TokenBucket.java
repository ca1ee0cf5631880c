package dev.kapi.messaging.sending;

import java.time.Duration;
import java.time.Instant;

import dev.kapi.messaging.sender.Sender;

/**
 * The pace of one sending account as a token bucket: one token every {@code interval}
 * seconds (the slower of its {@code rate_per_second} and the owner's delay with jitter),
 * at most {@code burst} of them saved up (two poll intervals' worth, at least one), each
 * message sent taking one. An interval of 0 is no pace: as fast as the provider answers,
 * and the stored tokens are left as they are. A value: the sender's stored tokens go in,
 * the tokens to store come out.
 */
record TokenBucket(double interval, double burst, double tokens) {

    /**
     * The account's bucket at {@code now}, refilled since it was last stored;
     * {@code delaySeconds} is drawn once per claim.
     */
    static TokenBucket of(Sender sender, double delaySeconds, Duration pollInterval, Instant now) {
        double interval = Math.max(sender.ratePerSecond() == null ? 0 : 1 / sender.ratePerSecond(), delaySeconds);
        return refilled(interval, pollInterval, sender.bucketTokens(), sender.bucketAt(), now);
    }

    /**
     * A bucket never stored starts full; otherwise it gains one token per interval since
     * {@code filledAt}, up to the burst.
     */
    static TokenBucket refilled(double interval, Duration pollInterval, double tokens, Instant filledAt, Instant now) {
        if (interval <= 0) {
            return new TokenBucket(0, 0, tokens);
        }
        double burst = Math.max(1, pollInterval.toMillis() / 1000.0 * 2 / interval);
        double refilled = filledAt == null ? burst
                : Math.min(burst, tokens + Duration.between(filledAt, now).toNanos() / 1e9 / interval);
        return new TokenBucket(interval, burst, refilled);
    }

    boolean paced() {
        return interval > 0;
    }

    /**
     * How many of {@code wanted} messages the bucket lets out now: whole tokens only, all
     * of them without a pace.
     */
    int allows(int wanted) {
        return paced() ? Math.min(wanted, (int) Math.floor(tokens + 1e-9)) : wanted;
    }

    /** The bucket after {@code taken} messages went out. */
    TokenBucket take(int taken) {
        return paced() ? new TokenBucket(interval, burst, tokens - taken) : this;
    }
}
