package dev.kapi.messaging.queue;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static dev.kapi.messaging.queue.MessageStatus.CANCELLED;
import static dev.kapi.messaging.queue.MessageStatus.DEFERRED;
import static dev.kapi.messaging.queue.MessageStatus.DELIVERED;
import static dev.kapi.messaging.queue.MessageStatus.FAILED;
import static dev.kapi.messaging.queue.MessageStatus.PENDING;
import static dev.kapi.messaging.queue.MessageStatus.READ;
import static dev.kapi.messaging.queue.MessageStatus.SENDING;
import static dev.kapi.messaging.queue.MessageStatus.SENT;
import static dev.kapi.messaging.queue.MessageStatus.SKIPPED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class MessageStatusTests {

    /** The whole machine, written out once more: a change to it must change this too. */
    private static final Map<MessageStatus, Set<MessageStatus>> ALLOWED = Map.of(PENDING,
            EnumSet.of(SENDING, SKIPPED, CANCELLED), SENDING,
            EnumSet.of(PENDING, SENT, DELIVERED, READ, FAILED, SKIPPED, DEFERRED), SENT,
            EnumSet.of(DELIVERED, READ, FAILED, DEFERRED), DEFERRED, EnumSet.of(PENDING, CANCELLED), DELIVERED,
            EnumSet.of(READ), FAILED, EnumSet.of(PENDING, SENT, DELIVERED, READ), READ,
            EnumSet.noneOf(MessageStatus.class), SKIPPED, EnumSet.noneOf(MessageStatus.class), CANCELLED,
            EnumSet.noneOf(MessageStatus.class));

    @Test
    void canMoveToWhenAnyPairThenOnlyTheMovesOfTheTable() {
        for (MessageStatus from : MessageStatus.values()) {
            for (MessageStatus to : MessageStatus.values()) {
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(ALLOWED.get(from).contains(to));
            }
        }
    }

    @Test
    void predecessorsWhenAProviderReportsThenOnlyForwardMoves() {
        assertThat(MessageStatus.predecessors(SENT)).containsExactlyInAnyOrder(SENDING, FAILED);
        assertThat(MessageStatus.predecessors(DELIVERED)).containsExactlyInAnyOrder(SENDING, SENT, FAILED);
        assertThat(MessageStatus.predecessors(READ)).containsExactlyInAnyOrder(SENDING, SENT, DELIVERED, FAILED);
        assertThat(MessageStatus.predecessors(FAILED)).containsExactlyInAnyOrder(SENDING, SENT);
    }

    @Test
    void toWhenTheMachineRefusesThenAFault() {
        assertThat(PENDING.to(SENDING)).isEqualTo(SENDING);
        assertThat(SENDING.to(PENDING)).isEqualTo(PENDING);
        assertThat(FAILED.to(PENDING)).isEqualTo(PENDING);
        assertThatIllegalStateException().isThrownBy(() -> READ.to(DELIVERED));
        assertThatIllegalStateException().isThrownBy(() -> DELIVERED.to(SENT));
        assertThatIllegalStateException().isThrownBy(() -> CANCELLED.to(PENDING));
        assertThatIllegalStateException().isThrownBy(() -> PENDING.to(SENT));
    }

    @Test
    void unfinishedWhenPendingOrSendingOnlyAndReportedWhatProvidersSend() {
        assertThat(MessageStatus.UNFINISHED).containsExactlyInAnyOrder(PENDING, SENDING, DEFERRED);
        assertThat(MessageStatus.REPORTED).containsExactlyInAnyOrder(SENT, DELIVERED, READ, FAILED);
        assertThat(MessageStatus.wires(EnumSet.of(PENDING, SENDING))).containsExactly("pending", "sending");
    }

    @Test
    void ofWhenAWireNameThenItsStatus() {
        for (MessageStatus status : MessageStatus.values()) {
            assertThat(MessageStatus.of(status.wire())).isEqualTo(status);
        }
        assertThat(MessageStatus.parse("Sent")).isEmpty();
    }

}
