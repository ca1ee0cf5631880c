package dev.kapi.messaging.sending;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TokenBucketTests {

    private static final Instant NOW = Instant.parse("2026-12-07T09:00:00Z");

    private static final Duration POLL = Duration.ofMillis(200);

    @Test
    void refilledWhenNeverStoredThenFull() {
        // one token per 0.1 s, two poll intervals' worth: 4
        TokenBucket bucket = TokenBucket.refilled(0.1, POLL, 0, null, NOW);

        assertThat(bucket.burst()).isEqualTo(4.0, within(1e-9));
        assertThat(bucket.tokens()).isEqualTo(4.0, within(1e-9));
        assertThat(bucket.allows(10)).isEqualTo(4);
    }

    @Test
    void refilledWhenTimePassedThenOneTokenPerIntervalUpToTheBurst() {
        assertThat(TokenBucket.refilled(0.1, POLL, 1, NOW.minusMillis(250), NOW).tokens()).isEqualTo(3.5, within(1e-9));
        assertThat(TokenBucket.refilled(0.1, POLL, 1, NOW.minusSeconds(60), NOW).tokens()).isEqualTo(4.0, within(1e-9));
    }

    @Test
    void refilledWhenSlowerThanTwoPollIntervalsThenTheBurstIsOneMessage() {
        TokenBucket slow = TokenBucket.refilled(5, POLL, 0, NOW.minusSeconds(60), NOW);

        assertThat(slow.burst()).isEqualTo(1.0);
        assertThat(slow.allows(100)).isEqualTo(1);
    }

    @Test
    void allowsWhenTokensAreFractionalThenOnlyWholeOnes() {
        assertThat(new TokenBucket(0.5, 4, 2.999).allows(10)).isEqualTo(2);
        assertThat(new TokenBucket(0.5, 4, 0.4).allows(10)).isZero();
        assertThat(new TokenBucket(0.5, 4, 3).allows(2)).isEqualTo(2);
    }

    @Test
    void takeWhenPacedThenTokensGoAndWhenUnpacedThenTheStoredTokensStay() {
        assertThat(new TokenBucket(0.5, 4, 3).take(2).tokens()).isEqualTo(1.0);
        TokenBucket unpaced = TokenBucket.refilled(0, POLL, 7, NOW.minusSeconds(1), NOW);
        assertThat(unpaced.paced()).isFalse();
        assertThat(unpaced.allows(1_000)).isEqualTo(1_000);
        assertThat(unpaced.take(1_000).tokens()).isEqualTo(7.0);
    }

}
