package dev.kapi.trading.bot;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A bot's status: {@code idle} (flat), {@code in_position}, {@code paused} by its owner
 * or by its max drawdown, {@code error} after repeated failures. Every change of a bot's
 * status is one of the {@link Move}s, and goes from the statuses its move allows:
 *
 * <pre>
 * move     from                                 to
 * PAUSE    idle, in_position, paused, error     paused
 * RESUME   idle, in_position, paused, error     idle or in_position, by the position
 * TRADE    idle, in_position                    idle or in_position, by the position
 * FAIL     idle, in_position, paused, error     error
 * </pre>
 *
 * A move from a status it does not allow leaves the status as it is (a trade filled for a
 * paused bot keeps it paused). The bot table applies a move in one statement
 * ({@code Bots}), with the statuses of this table.
 */
public enum BotStatus {

    IDLE, IN_POSITION, PAUSED, ERROR;

    /** The statuses in which a bot trades: the runner claims active bots in these. */
    public static final Set<BotStatus> TRADING = EnumSet.of(IDLE, IN_POSITION);

    /** What changes a bot's status. */
    enum Move {

        /** The owner pauses the bot, or its max drawdown does. */
        PAUSE(EnumSet.allOf(BotStatus.class)),

        /** The owner resumes the bot (which also forgets its errors). */
        RESUME(EnumSet.allOf(BotStatus.class)),

        /** A trade of the bot was recorded: its position says idle or in_position. */
        TRADE(TRADING),

        /** The bot failed as many runs in a row as the runner allows. */
        FAIL(EnumSet.allOf(BotStatus.class));

        private final Set<BotStatus> from;

        Move(Set<BotStatus> from) {
            this.from = from;
        }

        /** The statuses this move applies to. */
        Set<BotStatus> from() {
            return from;
        }

        /** The status this move leads to, for a bot holding a position or not. */
        BotStatus to(boolean inPosition) {
            return switch (this) {
                case PAUSE -> PAUSED;
                case RESUME, TRADE -> trading(inPosition);
                case FAIL -> ERROR;
            };
        }

        /** The wire names of {@link #from}, for the SQL that applies the move. */
        List<String> fromWires() {
            return wires(from);
        }

    }

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BotStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }

    /**
     * The status the owner may ask for by its wire name, if any ({@code error} is not).
     */
    static BotStatus settable(String wire) {
        return Arrays.stream(values())
            .filter(value -> value != ERROR && value.wire().equals(wire))
            .findFirst()
            .orElse(null);
    }

    /** The status of a bot that trades, by whether it holds a position. */
    public static BotStatus trading(boolean inPosition) {
        return inPosition ? IN_POSITION : IDLE;
    }

    public static List<String> wires(Set<BotStatus> statuses) {
        return statuses.stream().map(BotStatus::wire).toList();
    }

    boolean trades() {
        return TRADING.contains(this);
    }

    /**
     * Whether the owner may start the bot: not while it is in error (resume it first).
     */
    boolean startable() {
        return this != ERROR;
    }

    /** The status after {@code move}; a status the move does not apply to stays. */
    BotStatus after(Move move, boolean inPosition) {
        return move.from().contains(this) ? move.to(inPosition) : this;
    }

}
