package dev.kapi.messaging.sender;

import org.junit.jupiter.api.Test;

import static dev.kapi.messaging.sender.SenderStatus.ACTIVE;
import static dev.kapi.messaging.sender.SenderStatus.BANNED_SUSPECTED;
import static dev.kapi.messaging.sender.SenderStatus.PAUSED;
import static org.assertj.core.api.Assertions.assertThat;

class SenderStatusTests {

    @Test
    void canMoveToWhenAnotherStatusThenAlwaysAndWhenTheSameThenNoMove() {
        for (SenderStatus from : SenderStatus.values()) {
            for (SenderStatus to : SenderStatus.values()) {
                assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(from != to);
            }
        }
    }

    @Test
    void changeWhenNoneOrTheSameThenKeptAndOtherwiseTheWantedStatus() {
        assertThat(PAUSED.change(null)).isEqualTo(PAUSED);
        assertThat(ACTIVE.change(ACTIVE)).isEqualTo(ACTIVE);
        assertThat(ACTIVE.change(PAUSED)).isEqualTo(PAUSED);
        assertThat(BANNED_SUSPECTED.change(ACTIVE)).isEqualTo(ACTIVE);
        assertThat(PAUSED.change(BANNED_SUSPECTED)).isEqualTo(BANNED_SUSPECTED);
    }

    @Test
    void sendsWhenActiveOnly() {
        assertThat(ACTIVE.sends()).isTrue();
        assertThat(PAUSED.sends()).isFalse();
        assertThat(BANNED_SUSPECTED.sends()).isFalse();
    }

    @Test
    void ofWhenAWireNameThenItsStatus() {
        assertThat(SenderStatus.of("banned_suspected")).isEqualTo(BANNED_SUSPECTED);
        assertThat(SenderStatus.of("active")).isEqualTo(ACTIVE);
        assertThat(SenderStatus.parse("banned")).isEmpty();
    }

}
