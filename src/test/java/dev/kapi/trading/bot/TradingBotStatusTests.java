package dev.kapi.trading.bot;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TradingBotStatusTests {

    @Test
    void pauseWhenAnyStatusThenPaused() {
        for (BotStatus status : BotStatus.values()) {
            assertThat(status.after(BotStatus.Move.PAUSE, true)).isEqualTo(BotStatus.PAUSED);
            assertThat(status.after(BotStatus.Move.PAUSE, false)).isEqualTo(BotStatus.PAUSED);
        }
    }

    @Test
    void resumeWhenAnyStatusThenIdleOrInPositionByThePosition() {
        for (BotStatus status : BotStatus.values()) {
            assertThat(status.after(BotStatus.Move.RESUME, true)).isEqualTo(BotStatus.IN_POSITION);
            assertThat(status.after(BotStatus.Move.RESUME, false)).isEqualTo(BotStatus.IDLE);
        }
    }

    @Test
    void tradeWhenTradingThenThePositionSaysTheStatus() {
        assertThat(BotStatus.IDLE.after(BotStatus.Move.TRADE, true)).isEqualTo(BotStatus.IN_POSITION);
        assertThat(BotStatus.IN_POSITION.after(BotStatus.Move.TRADE, false)).isEqualTo(BotStatus.IDLE);
        assertThat(BotStatus.IN_POSITION.after(BotStatus.Move.TRADE, true)).isEqualTo(BotStatus.IN_POSITION);
    }

    @Test
    void tradeWhenPausedOrInErrorThenTheStatusStays() {
        assertThat(BotStatus.PAUSED.after(BotStatus.Move.TRADE, true)).isEqualTo(BotStatus.PAUSED);
        assertThat(BotStatus.ERROR.after(BotStatus.Move.TRADE, false)).isEqualTo(BotStatus.ERROR);
        assertThat(BotStatus.Move.TRADE.fromWires()).containsExactly("idle", "in_position");
    }

    @Test
    void failWhenAnyStatusThenError() {
        for (BotStatus status : BotStatus.values()) {
            assertThat(status.after(BotStatus.Move.FAIL, false)).isEqualTo(BotStatus.ERROR);
        }
    }

    @Test
    void ownerWhenAskingForAStatusThenOnlyIdleInPositionOrPausedAndNeverStartsABotInError() {
        assertThat(BotStatus.settable("paused")).isEqualTo(BotStatus.PAUSED);
        assertThat(BotStatus.settable("in_position")).isEqualTo(BotStatus.IN_POSITION);
        assertThat(BotStatus.settable("error")).isNull();
        assertThat(BotStatus.settable("PAUSED")).isNull();
        assertThat(EnumSet.allOf(BotStatus.class).stream().filter(status -> !status.startable()))
            .containsExactly(BotStatus.ERROR);
        assertThat(BotStatus.wires(BotStatus.TRADING)).containsExactly("idle", "in_position");
    }

}
