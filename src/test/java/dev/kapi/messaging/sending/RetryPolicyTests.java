package dev.kapi.messaging.sending;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTests {

    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofSeconds(30), 5, Duration.ofMinutes(1),
            java.util.List.of(Duration.ofHours(4), Duration.ofHours(12), Duration.ofHours(24)));

    @Test
    void decideWhenTemporaryBeforeTheLastAttemptThenRetryAfterABackoffThatDoubles() {
        Provider.Failed temporary = Provider.Failed.of(Provider.Kind.TEMPORARY, "503", "Unavailable");

        assertThat(policy.decide(temporary, 1)).isEqualTo(new RetryPolicy.Retry(Duration.ofSeconds(30)));
        assertThat(policy.decide(temporary, 2)).isEqualTo(new RetryPolicy.Retry(Duration.ofSeconds(60)));
    }

    @Test
    void decideWhenTheProviderSaysWhenThenRetryThen() {
        Provider.Failed limited = new Provider.Failed(Provider.Kind.RATE_LIMITED, "130429", "Slow down",
                Duration.ofSeconds(7), false);

        assertThat(policy.decide(limited, 1)).isEqualTo(new RetryPolicy.Retry(Duration.ofSeconds(7)));
    }

    @Test
    void decideWhenAttemptsAreUsedUpThenFailedButRetryable() {
        Provider.Failed temporary = Provider.Failed.of(Provider.Kind.TEMPORARY, "503", "Unavailable");

        assertThat(policy.decide(temporary, 3)).isEqualTo(new RetryPolicy.Fail(true));
    }

    @Test
    void decideWhenTheRecipientTheOutcomeOrABanIsToBlameThenFailedForGood() {
        assertThat(policy.decide(Provider.Failed.of(Provider.Kind.RECIPIENT, "131026", "Not on WhatsApp"), 1))
            .isEqualTo(new RetryPolicy.Fail(false));
        assertThat(policy.decide(Provider.Failed.of(Provider.Kind.UNKNOWN, "timeout", "No answer"), 1))
            .isEqualTo(new RetryPolicy.Fail(false));
        assertThat(policy.decide(new Provider.Failed(Provider.Kind.ACCOUNT, "368", "Blocked", null, true), 1))
            .isEqualTo(new RetryPolicy.Fail(false));
    }

    @Test
    void tripsAtOnceWhenRateLimitedOrTheAccountFailsAndCountsAgainstTheAccountUnlessTheRecipientIsToBlame() {
        assertThat(policy.tripsAtOnce(Provider.Failed.of(Provider.Kind.RATE_LIMITED, "c", "r"))).isTrue();
        assertThat(policy.tripsAtOnce(Provider.Failed.of(Provider.Kind.ACCOUNT, "c", "r"))).isTrue();
        assertThat(policy.tripsAtOnce(Provider.Failed.of(Provider.Kind.TEMPORARY, "c", "r"))).isFalse();
        assertThat(policy.countsAgainstAccount(Provider.Failed.of(Provider.Kind.RECIPIENT, "c", "r"))).isFalse();
        assertThat(policy.countsAgainstAccount(Provider.Failed.of(Provider.Kind.TEMPORARY, "c", "r"))).isTrue();
    }

    @Test
    void pauseAfterWhenRateLimitedThenTheProvidersWaitOrTheCooldown() {
        assertThat(policy.pauseAfter(
                new Provider.Failed(Provider.Kind.RATE_LIMITED, "130429", "Slow down", Duration.ofSeconds(7), false)))
            .isEqualTo(new RetryPolicy.Pause(Duration.ofSeconds(7), "rate-limited"));
        assertThat(policy.pauseAfter(Provider.Failed.of(Provider.Kind.ACCOUNT, "190", "Token expired")))
            .isEqualTo(new RetryPolicy.Pause(Duration.ofMinutes(1), "190: Token expired"));
    }

    @Test
    void tooManyInARowWhenTheThresholdIsReachedThenTheCircuitOpensForTheCooldown() {
        assertThat(policy.tooManyInARow(4)).isFalse();
        assertThat(policy.tooManyInARow(5)).isTrue();
        assertThat(policy.failuresPause()).isEqualTo(new RetryPolicy.Pause(Duration.ofMinutes(1), "failures"));
    }

    @Test
    void decideWhenMetaRefusesTheTemplateThenTheQueueIsHeldOrCancelledAndTheMessageNeverFails() {
        assertThat(policy.decide(Provider.Failed.of(Provider.Kind.TEMPLATE, "132015", "Template is paused"), 3))
            .isEqualTo(new RetryPolicy.Hold("template-paused", false));
        assertThat(policy.decide(Provider.Failed.of(Provider.Kind.TEMPLATE, "132016", "Template is disabled"), 1))
            .isEqualTo(new RetryPolicy.Hold("template-paused", true));
        assertThat(policy.decide(Provider.Failed.of(Provider.Kind.TEMPLATE, "132001", "Template missing"), 1))
            .isEqualTo(new RetryPolicy.Hold("template-missing", false));
        assertThat(policy.decide(Provider.Failed.of(Provider.Kind.TEMPLATE, "132000", "Parameters mismatch"), 1))
            .isEqualTo(new RetryPolicy.Hold("template-missing", false));
        assertThat(policy.countsAgainstAccount(Provider.Failed.of(Provider.Kind.TEMPLATE, "132015", "r"))).isFalse();
        assertThat(policy.tripsAtOnce(Provider.Failed.of(Provider.Kind.TEMPLATE, "132015", "r"))).isFalse();
    }

    @Test
    void decideWhenMetasPerUserMarketingCapThenDeferredAndTheAccountIsNotBlamed() {
        Provider.Failed cap = Provider.Failed.of(Provider.Kind.MARKETING_CAP, "131049", "Healthy ecosystem");

        assertThat(policy.decide(cap, 3)).isEqualTo(new RetryPolicy.Defer());
        assertThat(policy.countsAgainstAccount(cap)).isFalse();
        assertThat(policy.tripsAtOnce(cap)).isFalse();
    }

}
