package dev.kapi.messaging.queue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

import dev.kapi.shared.ApiException;

import static dev.kapi.messaging.queue.QueueStatus.CANCELLED;
import static dev.kapi.messaging.queue.QueueStatus.COMPLETED;
import static dev.kapi.messaging.queue.QueueStatus.CREATED;
import static dev.kapi.messaging.queue.QueueStatus.PAUSED;
import static dev.kapi.messaging.queue.QueueStatus.RUNNING;
import static dev.kapi.messaging.queue.QueueStatus.SCHEDULED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class QueueStatusTests {

    /** The whole machine, written out once more: a change to it must change this too. */
    private static final Map<QueueStatus, Set<QueueStatus>> ALLOWED = Map.of(CREATED,
            EnumSet.of(SCHEDULED, RUNNING, CANCELLED), SCHEDULED, EnumSet.of(RUNNING, PAUSED, CANCELLED), RUNNING,
            EnumSet.of(PAUSED, CANCELLED, COMPLETED), PAUSED, EnumSet.of(SCHEDULED, RUNNING, CANCELLED), COMPLETED,
            EnumSet.of(RUNNING), CANCELLED, EnumSet.noneOf(QueueStatus.class));

    @Test
    void canMoveToWhenAnyPairThenOnlyTheMovesOfTheTable() {
        for (QueueStatus from : QueueStatus.values()) {
            for (QueueStatus to : QueueStatus.values()) {
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
    }

    @Test
    void toWhenTheMachineRefusesThenAFaultNotAConflict() {
        assertThat(SCHEDULED.to(RUNNING)).isEqualTo(RUNNING);
        assertThat(RUNNING.to(COMPLETED)).isEqualTo(COMPLETED);
        assertThatIllegalStateException().isThrownBy(() -> CANCELLED.to(RUNNING));
        assertThatIllegalStateException().isThrownBy(() -> COMPLETED.to(PAUSED));
        assertThatIllegalStateException().isThrownBy(() -> CREATED.to(COMPLETED));
    }

    @Test
    void startWhenCreatedThenRunningOrScheduledAndFromAnyOtherStatusQueueNotStartable() {
        assertThat(CREATED.start(false)).isEqualTo(RUNNING);
        assertThat(CREATED.start(true)).isEqualTo(SCHEDULED);
        for (QueueStatus other : EnumSet.complementOf(EnumSet.of(CREATED))) {
            assertConflict(() -> other.start(false), "queue-not-startable", other);
        }
    }

    @Test
    void pauseWhenScheduledOrRunningThenPausedAndOtherwiseQueueNotPausable() {
        assertThat(SCHEDULED.pause()).isEqualTo(PAUSED);
        assertThat(RUNNING.pause()).isEqualTo(PAUSED);
        for (QueueStatus other : EnumSet.of(CREATED, PAUSED, COMPLETED, CANCELLED)) {
            assertConflict(other::pause, "queue-not-pausable", other);
        }
    }

    @Test
    void resumeWhenPausedThenRunningOrScheduledAndOtherwiseQueueNotPaused() {
        assertThat(PAUSED.resume(false)).isEqualTo(RUNNING);
        assertThat(PAUSED.resume(true)).isEqualTo(SCHEDULED);
        for (QueueStatus other : EnumSet.complementOf(EnumSet.of(PAUSED))) {
            assertConflict(() -> other.resume(false), "queue-not-paused", other);
        }
    }

    @Test
    void cancelWhenNotEndedThenCancelledAndWhenEndedQueueEnded() {
        for (QueueStatus open : EnumSet.of(CREATED, SCHEDULED, RUNNING, PAUSED)) {
            assertThat(open.cancel()).isEqualTo(CANCELLED);
        }
        assertConflict(COMPLETED::cancel, "queue-ended", COMPLETED);
        assertConflict(CANCELLED::cancel, "queue-ended", CANCELLED);
    }

    @Test
    void retryFailedWhenCompletedThenRunningAgainWhenStartedThenUnchangedOtherwiseQueueNotRetryable() {
        assertThat(COMPLETED.retryFailed()).isEqualTo(RUNNING);
        for (QueueStatus started : EnumSet.of(SCHEDULED, RUNNING, PAUSED)) {
            assertThat(started.retryFailed()).isEqualTo(started);
        }
        assertConflict(CREATED::retryFailed, "queue-not-retryable", CREATED);
        assertConflict(CANCELLED::retryFailed, "queue-not-retryable", CANCELLED);
    }

    @Test
    void endedWhenCompletedOrCancelledOnlyAndActiveWhenStartedAndNotEnded() {
        assertThat(EnumSet.allOf(QueueStatus.class).stream().filter(QueueStatus::ended))
            .containsExactlyInAnyOrder(COMPLETED, CANCELLED);
        assertThat(QueueStatus.ACTIVE).containsExactlyInAnyOrder(SCHEDULED, RUNNING, PAUSED);
    }

    @Test
    void ofWhenAWireNameThenItsStatusAndParseWhenUnknownThenEmpty() {
        for (QueueStatus status : QueueStatus.values()) {
            assertThat(QueueStatus.of(status.wire())).isEqualTo(status);
        }
        assertThat(QueueStatus.WIRE_NAMES).containsExactly("created", "scheduled", "running", "paused", "cancelled",
                "completed");
        assertThat(QueueStatus.parse("RUNNING")).isEmpty();
    }

    private static void assertConflict(Runnable move, String code, QueueStatus from) {
        assertThatExceptionOfType(ApiException.class).isThrownBy(move::run).satisfies(ex -> {
            assertThat(ex.status()).isEqualTo(HttpStatus.CONFLICT);
            assertThat(ex.code()).isEqualTo(code);
            assertThat(ex.args()).containsExactly(from.wire());
        });
    }

    @Test
    void holdWhenScheduledOrRunningThenPausedAndFromAnyOtherStatusNothing() {
        assertThat(RUNNING.hold()).contains(PAUSED);
        assertThat(SCHEDULED.hold()).contains(PAUSED);
        for (QueueStatus other : EnumSet.of(CREATED, PAUSED, COMPLETED, CANCELLED)) {
            assertThat(other.hold()).as(other.wire()).isEmpty();
        }
    }

    @Test
    void releaseWhenPausedThenRunningOrScheduledAndFromAnyOtherStatusNothing() {
        assertThat(PAUSED.release(false)).contains(RUNNING);
        assertThat(PAUSED.release(true)).contains(SCHEDULED);
        for (QueueStatus other : EnumSet.of(CREATED, SCHEDULED, RUNNING, COMPLETED, CANCELLED)) {
            assertThat(other.release(false)).as(other.wire()).isEmpty();
        }
    }

}
