package dev.kapi.trading.runner;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.market.Side;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * Orders bots send, written as pending before the exchange hears of them. The client
 * order id is derived from bot and candle
 * ({@code kapi-<bot>-<candle open in epoch minutes>}), so one candle can never give a bot
 * two orders, and an order left pending by a crash or an unclear answer is looked up by
 * it.
 */
@Repository
public class Orders {

    private final JdbcClient jdbc;

    Orders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * {@code exitReason}: why a sell was sent, so that a sell settled later records it
     * too.
     */
    record PendingOrder(String clientOrderId, long botId, Instant candleOpen, Side side, ExitReason exitReason) {
    }

    public static String clientOrderId(long botId, Instant candleOpen) {
        return "kapi-" + botId + "-" + candleOpen.getEpochSecond() / 60;
    }

    /**
     * The sell of a way out (force-exit, stop and sell, a kill switch): one id per
     * position state ({@code kapi-<bot>-x<the bot's newest trade id>}), so two requests
     * or instances exiting the same position write one order, and the next position gets
     * a new one.
     */
    static String exitOrderId(long botId, long lastTradeId) {
        return "kapi-" + botId + "-x" + lastTradeId;
    }

    /**
     * Writes the order as pending; false when the bot already has an order for that
     * candle. An order of the candle settled {@code absent} (written by a run that died
     * before the exchange got it, and looked up since: the exchange has none) is pending
     * again under the same client order id, so the candle still gets its order.
     */
    boolean insertPending(String clientOrderId, long botId, Instant candleOpen, Side side, ExitReason reason,
            Instant now) {
        return jdbc.sql("""
                INSERT INTO trading_orders (client_order_id, bot_id, candle_open, side, status, created_at, exit_reason)
                VALUES (:id, :bot, :open, :side, 'pending', :now, :reason)
                ON CONFLICT (client_order_id) DO UPDATE
                    SET side = EXCLUDED.side, status = 'pending', created_at = EXCLUDED.created_at,
                        exit_reason = EXCLUDED.exit_reason, settled_at = NULL
                    WHERE trading_orders.status = 'absent'
                """)
            .param("id", clientOrderId)
            .param("bot", botId)
            .param("open", utc(candleOpen))
            .param("side", side.wire())
            .param("now", utc(now))
            .param("reason", reason == null ? null : reason.wire())
            .update() == 1;
    }

    List<PendingOrder> pendingOf(Collection<Long> botIds) {
        if (botIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                SELECT client_order_id, bot_id, candle_open, side, exit_reason FROM trading_orders
                WHERE bot_id = ANY(:bots) AND status = 'pending' ORDER BY created_at
                """)
            .param("bots", botIds.toArray(Long[]::new))
            .query((rs, row) -> new PendingOrder(rs.getString("client_order_id"), rs.getLong("bot_id"),
                    instant(rs, "candle_open"), Side.of(rs.getString("side")),
                    ExitReason.of(rs.getString("exit_reason"))))
            .list();
    }

    /** The bot's pending orders written before {@code before}, oldest first. */
    List<PendingOrder> pendingOf(long botId, Instant before) {
        return jdbc.sql("""
                SELECT client_order_id, bot_id, candle_open, side, exit_reason FROM trading_orders
                WHERE bot_id = :bot AND status = 'pending' AND created_at < :before ORDER BY created_at
                """)
            .param("bot", botId)
            .param("before", utc(before))
            .query((rs, row) -> new PendingOrder(rs.getString("client_order_id"), rs.getLong("bot_id"),
                    instant(rs, "candle_open"), Side.of(rs.getString("side")),
                    ExitReason.of(rs.getString("exit_reason"))))
            .list();
    }

    /**
     * Settles a pending order as filled or absent; false when it was no longer pending.
     */
    boolean settle(String clientOrderId, boolean filled, Instant now) {
        return jdbc.sql("""
                UPDATE trading_orders SET status = :status, settled_at = :now
                WHERE client_order_id = :id AND status = 'pending'
                """)
            .param("status", filled ? "filled" : "absent")
            .param("now", utc(now))
            .param("id", clientOrderId)
            .update() == 1;
    }

}
