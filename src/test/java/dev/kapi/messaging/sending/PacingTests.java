package dev.kapi.messaging.sending;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.kapi.messaging.automation.Automation;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sender.SenderStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PacingTests {

    private static final ZoneId ISTANBUL = ZoneId.of("Europe/Istanbul");

    /** 12:00 in Istanbul. */
    private static final Instant NOON = Instant.parse("2026-12-07T09:00:00Z");

    private static final LocalDate TODAY = LocalDate.of(2026, 12, 7);

    private final Pacing pacing = new Pacing(500, 2_000, Duration.ofMillis(200));

    @Test
    void allowanceWhenUnpacedAndUncappedThenAWholeBatch() {
        Pacing.Allowance allowance = pacing
            .allowance(sender(null, null, 0, null, null), anyTime(null), 0, () -> 0, NOON)
            .orElseThrow();

        assertThat(allowance.messages()).isEqualTo(500);
        assertThat(allowance.today()).isEqualTo(TODAY);
        assertThat(allowance.bucket().paced()).isFalse();
    }

    @Test
    void allowanceWhenMaxInFlightIsBelowTheBatchThenMaxInFlight() {
        Pacing narrow = new Pacing(500, 20, Duration.ofMillis(200));

        assertThat(narrow.allowance(sender(null, null, 0, null, null), anyTime(null), 0, () -> 0, NOON)
            .orElseThrow()
            .messages()).isEqualTo(20);
    }

    @Test
    void allowanceWhenOutsideTheSendingHoursThenNoneAndNothingAsked() {
        Automation nineToFive = new Automation(0, 0, LocalTime.of(9, 0), LocalTime.of(11, 0), ISTANBUL, 10, "slow", 60,
                List.of());
        AtomicInteger asked = new AtomicInteger();

        assertThat(pacing.allowance(sender(null, null, 0, null, null), nineToFive, 0, asked::incrementAndGet, NOON))
            .isEmpty();
        assertThat(asked).hasValue(0);
    }

    @Test
    void allowanceWhenTheAccountsDailyCapIsNearlyReachedThenWhatIsLeftOfIt() {
        Sender capped = sender(null, 100, 0, TODAY, 97);

        assertThat(pacing.allowance(capped, anyTime(null), 0, () -> 0, NOON).orElseThrow().messages()).isEqualTo(3);
    }

    @Test
    void allowanceWhenYesterdaysCountIsStoredThenTheCapStartsAfresh() {
        Sender capped = sender(null, 100, 0, TODAY.minusDays(1), 100);

        assertThat(pacing.allowance(capped, anyTime(null), 0, () -> 0, NOON).orElseThrow().messages()).isEqualTo(100);
    }

    @Test
    void allowanceWhenTheOwnersDailyCapIsReachedThenNone() {
        assertThat(pacing.allowance(sender(null, null, 0, null, null), anyTime(1_000), 0, () -> 1_000, NOON)
            .orElseThrow()
            .messages()).isLessThanOrEqualTo(0);
        assertThat(pacing.allowance(sender(null, null, 0, null, null), anyTime(1_000), 0, () -> 990, NOON)
            .orElseThrow()
            .messages()).isEqualTo(10);
    }

    @Test
    void allowanceWhenPacedThenTheBucketsWholeTokensAndTheRestStays() {
        // 2 per second, up to 8 saved (two 2-second polls), last stored 1.5 tokens half a
        // second ago: 2.5 now
        Pacing slowPolls = new Pacing(500, 2_000, Duration.ofSeconds(2));
        Sender paced = sender(2.0, null, 1.5, null, null, NOON.minusMillis(500));

        Pacing.Allowance allowance = slowPolls.allowance(paced, anyTime(null), 0, () -> 0, NOON).orElseThrow();

        assertThat(allowance.messages()).isEqualTo(2);
        assertThat(allowance.tokensAfter(2)).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void allowanceWhenTheOwnersDelayIsSlowerThanTheRateThenTheDelayPaces() {
        // rate 10/s but a 1 s delay between messages: one token per second, burst 1
        Sender fast = sender(10.0, null, 0, null, null, NOON.minusSeconds(5));

        Pacing.Allowance allowance = pacing.allowance(fast, anyTime(null), 1.0, () -> 0, NOON).orElseThrow();

        assertThat(allowance.bucket().interval()).isEqualTo(1.0);
        assertThat(allowance.messages()).isEqualTo(1);
    }

    private static Automation anyTime(Integer dailyCap) {
        return new Automation(0, 0, null, null, ISTANBUL, dailyCap, "slow", 60, List.of());
    }

    private static Sender sender(Double rate, Integer dailyCap, double tokens, LocalDate day, Integer dayCount) {
        return sender(rate, dailyCap, tokens, day, dayCount, null);
    }

    private static Sender sender(Double rate, Integer dailyCap, double tokens, LocalDate day, Integer dayCount,
            Instant bucketAt) {
        return new Sender(1, 1, "Ana hat", "+905320000001", "simulator", null, null, null, rate, dailyCap,
                SenderStatus.ACTIVE, tokens, bucketAt, day, dayCount == null ? 0 : dayCount, 0, null, null, NOON, NOON,
                "TR", null);
    }

}
