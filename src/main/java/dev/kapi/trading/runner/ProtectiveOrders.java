package dev.kapi.trading.runner;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.exchange.Exchange;
import dev.kapi.trading.market.Side;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The stops bots keep on their exchange ({@code trading_protections}): written pending
 * before the exchange hears of one, at most one pending or open per bot (a unique index),
 * so two instances never place two; each move of the row is a compare-and-set on its
 * status.
 */
@Repository
class ProtectiveOrders {

    private final JdbcClient jdbc;

    ProtectiveOrders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * A stored stop: the order as sent, why its stop leg sells, where it stands, and when
     * it was written (its legs are looked up from then).
     */
    record Stored(Exchange.StopOrder order, long botId, ExitReason stopReason, String status, String replaces,
            Instant createdAt) {

        boolean pending() {
            return "pending".equals(status);
        }
    }

    /**
     * The client order ids of the {@code n}th stop of a position: one base per position
     * state ({@code kapi-<bot>-p<the bot's newest trade id>}), then {@code -l<n>} for an
     * OCO list, {@code -s<n>} for its stop leg (the order itself when alone) and
     * {@code -t<n>} for its target leg.
     */
    static String base(long botId, long lastTradeId) {
        return "kapi-" + botId + "-p" + lastTradeId;
    }

    /** How many stops this position had (the next one's number). */
    int countOf(long botId, String base) {
        return jdbc.sql("SELECT count(*) FROM trading_protections WHERE bot_id = :bot AND stop_order_id LIKE :base")
            .param("bot", botId)
            .param("base", base + "-s%")
            .query(Integer.class)
            .single();
    }

    /** How many stops of this position the exchange refused or never got. */
    int refusedOf(long botId, String base) {
        return jdbc.sql("""
                SELECT count(*) FROM trading_protections
                WHERE bot_id = :bot AND stop_order_id LIKE :base AND status = 'absent' AND replaces IS NULL
                """).param("bot", botId).param("base", base + "-s%").query(Integer.class).single();
    }

    /**
     * Writes the stop pending; false when the bot has a pending or open one already (or
     * this one was written before).
     */
    boolean insertPending(long botId, Exchange.StopOrder order, ExitReason stopReason, String replaces, Instant now) {
        return jdbc.sql("""
                INSERT INTO trading_protections (client_order_id, bot_id, symbol, stop_order_id, target_order_id,
                                                 quantity, stop_price, limit_price, target_price, stop_reason,
                                                 replaces, status, created_at)
                VALUES (:id, :bot, :symbol, :stop, :target, :quantity, :stopPrice, :limitPrice, :targetPrice,
                        :reason, :replaces, 'pending', :now)
                ON CONFLICT DO NOTHING
                """)
            .param("id", order.clientOrderId())
            .param("bot", botId)
            .param("symbol", order.symbol())
            .param("stop", order.stopClientOrderId())
            .param("target", order.targetClientOrderId())
            .param("quantity", order.quantity())
            .param("stopPrice", order.stopPrice())
            .param("limitPrice", order.limitPrice())
            .param("targetPrice", order.targetPrice())
            .param("reason", stopReason.wire())
            .param("replaces", replaces)
            .param("now", utc(now))
            .update() == 1;
    }

    /** The bot's pending or open stop. */
    Optional<Stored> liveOf(long botId) {
        return jdbc.sql("SELECT * FROM trading_protections WHERE bot_id = :bot AND status IN ('pending', 'open')")
            .param("bot", botId)
            .query(this::map)
            .optional();
    }

    /**
     * The legs of the bot's pending or open stop: the stop-limit sell, then the OCO's
     * take-profit when it has one. A leg's fill ends the stop (recorded as a sell), so
     * none of a standing leg counts as filled.
     */
    List<StandingOrder> standingOf(long botId) {
        return jdbc.sql("""
                SELECT stop_order_id, target_order_id, quantity, stop_price, limit_price, target_price, status,
                       created_at
                FROM trading_protections WHERE bot_id = :bot AND status IN ('pending', 'open')
                """).param("bot", botId).query((rs, row) -> {
            StandingOrder.Status status = StandingOrder.Status.of(rs.getString("status"));
            Instant placedAt = instant(rs, "created_at");
            BigDecimal quantity = rs.getBigDecimal("quantity");
            List<StandingOrder> legs = new ArrayList<>();
            legs.add(new StandingOrder(StandingOrder.Kind.STOP, Side.SELL, rs.getBigDecimal("limit_price"),
                    rs.getBigDecimal("stop_price"), quantity, BigDecimal.ZERO, status, placedAt,
                    rs.getString("stop_order_id")));
            if (rs.getString("target_order_id") != null) {
                legs.add(new StandingOrder(StandingOrder.Kind.TAKE_PROFIT, Side.SELL, rs.getBigDecimal("target_price"),
                        null, quantity, BigDecimal.ZERO, status, placedAt, rs.getString("target_order_id")));
            }
            return legs;
        }).list().stream().flatMap(List::stream).toList();
    }

    Optional<Stored> byId(String clientOrderId) {
        return jdbc.sql("SELECT * FROM trading_protections WHERE client_order_id = :id")
            .param("id", clientOrderId)
            .query(this::map)
            .optional();
    }

    /**
     * Bots whose stop stands while they are stopped (no run reconciles them), after
     * {@code after}, by id.
     */
    List<Long> idleBots(long after, int limit) {
        return jdbc.sql("""
                SELECT p.bot_id FROM trading_protections p JOIN trading_bots b ON b.id = p.bot_id
                WHERE p.status IN ('pending', 'open') AND NOT b.active AND p.bot_id > :after
                ORDER BY p.bot_id LIMIT :limit
                """).param("after", after).param("limit", limit).query(Long.class).list();
    }

    /**
     * Moves the stop from one of {@code from} to {@code to}; false when it was not there.
     */
    boolean move(String clientOrderId, List<String> from, String to, Instant now) {
        return jdbc.sql("""
                UPDATE trading_protections SET status = :to,
                       settled_at = CASE WHEN :to IN ('pending', 'open') THEN NULL ELSE :now END
                WHERE client_order_id = :id AND status IN (:from)
                """)
            .param("to", to)
            .param("now", utc(now))
            .param("id", clientOrderId)
            .param("from", from)
            .update() == 1;
    }

    private Stored map(ResultSet rs, int row) throws SQLException {
        BigDecimal target = rs.getBigDecimal("target_price");
        return new Stored(
                new Exchange.StopOrder(rs.getString("client_order_id"), rs.getString("stop_order_id"),
                        rs.getString("target_order_id"), rs.getString("symbol"), rs.getBigDecimal("quantity"),
                        rs.getBigDecimal("stop_price"), rs.getBigDecimal("limit_price"), target),
                rs.getLong("bot_id"), ExitReason.of(rs.getString("stop_reason")), rs.getString("status"),
                rs.getString("replaces"), instant(rs, "created_at"));
    }

}
