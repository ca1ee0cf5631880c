package dev.kapi.trading.runner;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

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

    /**
     * A limit order as stored: its price, quantity and timeout, how many orders came
     * before it for the same decision, and what of it was recorded so far.
     */
    record Limit(String clientOrderId, long botId, Instant candleOpen, Side side, ExitReason exitReason,
            BigDecimal price, BigDecimal quantity, Instant expiresAt, int reprices, BigDecimal filledQuantity,
            BigDecimal filledQuote, BigDecimal filledFee) {
    }

    /**
     * The client order id of the {@code n}th order placed again for the same decision
     * ({@code kapi-<bot>-<epochMin>-r<n>}).
     */
    static String repriceOrderId(String first, int n) {
        int cut = first.indexOf("-r");
        return (cut < 0 ? first : first.substring(0, cut)) + "-r" + n;
    }

    /**
     * Writes a limit order as pending, like {@link #insertPending}; false when the id is
     * taken.
     */
    boolean insertLimit(String clientOrderId, long botId, Instant candleOpen, Side side, ExitReason reason,
            BigDecimal price, BigDecimal quantity, Instant expiresAt, int reprices, Instant now) {
        return jdbc.sql("""
                INSERT INTO trading_orders (client_order_id, bot_id, candle_open, side, status, created_at, exit_reason,
                                            order_type, price, quantity, expires_at, reprices)
                VALUES (:id, :bot, :open, :side, 'pending', :now, :reason, 'limit', :price, :quantity, :expires,
                        :reprices)
                ON CONFLICT (client_order_id) DO UPDATE
                    SET side = EXCLUDED.side, status = 'pending', created_at = EXCLUDED.created_at,
                        exit_reason = EXCLUDED.exit_reason, settled_at = NULL, order_type = 'limit',
                        price = EXCLUDED.price, quantity = EXCLUDED.quantity, expires_at = EXCLUDED.expires_at,
                        reprices = EXCLUDED.reprices
                    WHERE trading_orders.status = 'absent'
                """)
            .param("id", clientOrderId)
            .param("bot", botId)
            .param("open", utc(candleOpen))
            .param("side", side.wire())
            .param("now", utc(now))
            .param("reason", reason == null ? null : reason.wire())
            .param("price", price)
            .param("quantity", quantity)
            .param("expires", utc(expiresAt))
            .param("reprices", reprices)
            .update() == 1;
    }

    /** Whether the pending order is a limit order (then its lookup reads its state). */
    boolean isLimit(String clientOrderId) {
        return jdbc.sql("SELECT order_type = 'limit' FROM trading_orders WHERE client_order_id = :id")
            .param("id", clientOrderId)
            .query(Boolean.class)
            .optional()
            .orElse(false);
    }

    /** A pending limit order the exchange has: now open. */
    void markOpen(String clientOrderId) {
        jdbc.sql("UPDATE trading_orders SET status = 'open' WHERE client_order_id = :id AND status = 'pending'")
            .param("id", clientOrderId)
            .update();
    }

    /**
     * A limit order done: {@code filled} or {@code canceled} (what filled stays
     * recorded).
     */
    void close(String clientOrderId, String status, Instant now) {
        jdbc.sql("""
                UPDATE trading_orders SET status = :status, settled_at = :now
                WHERE client_order_id = :id AND status IN ('pending', 'open')
                """).param("status", status).param("now", utc(now)).param("id", clientOrderId).update();
    }

    /** What of the order is recorded now (all its fills together). */
    void recordFilled(String clientOrderId, BigDecimal quantity, BigDecimal quote, BigDecimal fee) {
        jdbc.sql("""
                UPDATE trading_orders SET filled_quantity = :quantity, filled_quote = :quote, filled_fee = :fee
                WHERE client_order_id = :id
                """)
            .param("quantity", quantity)
            .param("quote", quote)
            .param("fee", fee)
            .param("id", clientOrderId)
            .update();
    }

    /** Those of the bots that have an open limit order. */
    java.util.Set<Long> withOpen(Collection<Long> botIds) {
        if (botIds.isEmpty()) {
            return java.util.Set.of();
        }
        return new java.util.HashSet<>(jdbc.sql("""
                SELECT DISTINCT bot_id FROM trading_orders WHERE bot_id = ANY(:bots) AND status = 'open'
                """).param("bots", botIds.toArray(Long[]::new)).query(Long.class).list());
    }

    /**
     * The bot's limit orders not done yet (pending or open), oldest first, at most
     * {@code limit}.
     */
    List<StandingOrder> standingOf(long botId, int limit) {
        return jdbc.sql("""
                SELECT client_order_id, side, price, quantity, filled_quantity, status, created_at FROM trading_orders
                WHERE bot_id = :bot AND order_type = 'limit' AND status IN ('pending', 'open')
                ORDER BY created_at, client_order_id LIMIT :limit
                """)
            .param("bot", botId)
            .param("limit", limit)
            .query((rs, row) -> new StandingOrder(StandingOrder.Kind.LIMIT, Side.of(rs.getString("side")),
                    rs.getBigDecimal("price"), null, rs.getBigDecimal("quantity"), rs.getBigDecimal("filled_quantity"),
                    StandingOrder.Status.of(rs.getString("status")), instant(rs, "created_at"),
                    rs.getString("client_order_id")))
            .list();
    }

    /** The bot's open limit orders, oldest first. */
    List<Limit> openOf(long botId) {
        return jdbc.sql(LIMIT_SELECT + " WHERE bot_id = :bot AND status = 'open' ORDER BY created_at")
            .param("bot", botId)
            .query(Orders::limit)
            .list();
    }

    /**
     * Locks the open limit order for whoever handles it now; empty when it is no longer
     * open or another instance holds it.
     */
    Optional<Limit> lockOpen(String clientOrderId) {
        return jdbc.sql(LIMIT_SELECT + " WHERE client_order_id = :id AND status = 'open' FOR UPDATE SKIP LOCKED")
            .param("id", clientOrderId)
            .query(Orders::limit)
            .optional();
    }

    /** Open limit orders by bot, a page of them, the soonest to expire first. */
    List<Limit> open(int limit) {
        return jdbc.sql(LIMIT_SELECT + " WHERE status = 'open' ORDER BY expires_at LIMIT :limit")
            .param("limit", limit)
            .query(Orders::limit)
            .list();
    }

    private static final String LIMIT_SELECT = """
            SELECT client_order_id, bot_id, candle_open, side, exit_reason, price, quantity, expires_at, reprices,
                   filled_quantity, filled_quote, filled_fee
            FROM trading_orders
            """;

    private static Limit limit(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Limit(rs.getString("client_order_id"), rs.getLong("bot_id"), instant(rs, "candle_open"),
                Side.of(rs.getString("side")), ExitReason.of(rs.getString("exit_reason")), rs.getBigDecimal("price"),
                rs.getBigDecimal("quantity"), instant(rs, "expires_at"), rs.getInt("reprices"),
                rs.getBigDecimal("filled_quantity"), rs.getBigDecimal("filled_quote"), rs.getBigDecimal("filled_fee"));
    }

}
