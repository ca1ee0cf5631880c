package dev.kapi.trading.trade;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.market.Side;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The trade table and the open lots of each book (a bot's, or an owner's manual book per
 * symbol).
 */
@Repository
public class Trades {

    private static final String SELECT = """
            SELECT id, owner_id, bot_id, symbol, side, price, quantity, fee, realized_pnl, source, client_order_id,
                   executed_at, exit_reason, price_source
            FROM trading_trades
            """;

    /** Rows a cursor reads at a time. */
    private static final int PAGE = 500;

    private final JdbcClient jdbc;

    Trades(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(Trade trade, Instant now) {
        return jdbc.sql("""
                INSERT INTO trading_trades (owner_id, bot_id, symbol, side, price, quantity, fee, realized_pnl, source,
                                            client_order_id, executed_at, created_at, exit_reason, price_source)
                VALUES (:owner, :bot, :symbol, :side, :price, :quantity, :fee, :pnl, :source, :clientOrderId,
                        :executedAt, :now, :exitReason, :priceSource)
                RETURNING id
                """)
            .param("owner", trade.ownerId())
            .param("bot", trade.botId())
            .param("symbol", trade.symbol())
            .param("side", trade.side().wire())
            .param("price", trade.price())
            .param("quantity", trade.quantity())
            .param("fee", trade.fee())
            .param("pnl", trade.realizedPnl())
            .param("source", trade.source())
            .param("clientOrderId", trade.clientOrderId())
            .param("executedAt", utc(trade.executedAt()))
            .param("now", utc(now))
            .param("exitReason", trade.exitReason() == null ? null : trade.exitReason().wire())
            .param("priceSource", trade.priceSource())
            .query(Long.class)
            .single();
    }

    /** The trade of an order, by its client order id. */
    Optional<Trade> byClientOrderId(String clientOrderId) {
        return jdbc.sql(SELECT + " WHERE client_order_id = :id")
            .param("id", clientOrderId)
            .query(Trades::map)
            .optional();
    }

    /**
     * Writes a trade's grown fill: price, quantity, fee, realized PnL, last execution.
     */
    void update(Trade trade) {
        jdbc.sql("""
                UPDATE trading_trades SET price = :price, quantity = :quantity, fee = :fee, realized_pnl = :pnl,
                       executed_at = :executedAt
                WHERE id = :id
                """)
            .param("price", trade.price())
            .param("quantity", trade.quantity())
            .param("fee", trade.fee())
            .param("pnl", trade.realizedPnl())
            .param("executedAt", utc(trade.executedAt()))
            .param("id", trade.id())
            .update();
    }

    Optional<Trade> byId(long id, long ownerId) {
        return jdbc.sql(SELECT + " WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", ownerId)
            .query(Trades::map)
            .optional();
    }

    /**
     * The newest trade time of a book: a manual trade may not be recorded before it (FIFO
     * follows time).
     */
    Optional<Instant> lastExecutedAt(long ownerId, Long botId, String symbol) {
        return jdbc.sql("""
                SELECT executed_at FROM trading_trades
                WHERE owner_id = :owner AND bot_id IS NOT DISTINCT FROM :bot AND symbol = :symbol
                ORDER BY executed_at DESC LIMIT 1
                """)
            .param("owner", ownerId)
            .param("bot", botId)
            .param("symbol", symbol)
            .query((rs, row) -> instant(rs, "executed_at"))
            .optional();
    }

    /** The id of the bot's newest trade; 0 when it has none. */
    public long lastTradeId(long botId) {
        return jdbc.sql("SELECT COALESCE(max(id), 0) FROM trading_trades WHERE bot_id = :bot")
            .param("bot", botId)
            .query(Long.class)
            .single();
    }

    List<FifoBook.Lot> lots(long ownerId, Long botId, String symbol) {
        return jdbc.sql("""
                SELECT trade_id, remaining, cost FROM trading_lots
                WHERE owner_id = :owner AND bot_id IS NOT DISTINCT FROM :bot AND symbol = :symbol
                ORDER BY trade_id
                """)
            .param("owner", ownerId)
            .param("bot", botId)
            .param("symbol", symbol)
            .query((rs, row) -> new FifoBook.Lot(rs.getLong("trade_id"), rs.getBigDecimal("remaining"),
                    rs.getBigDecimal("cost")))
            .list();
    }

    /** Replaces a book's open lots with the given ones. */
    void replaceLots(long ownerId, Long botId, String symbol, List<FifoBook.Lot> lots) {
        jdbc.sql(
                """
                        DELETE FROM trading_lots WHERE owner_id = :owner AND bot_id IS NOT DISTINCT FROM :bot AND symbol = :symbol
                        """)
            .param("owner", ownerId)
            .param("bot", botId)
            .param("symbol", symbol)
            .update();
        for (FifoBook.Lot lot : lots) {
            addLot(ownerId, botId, symbol, lot);
        }
    }

    void addLot(long ownerId, Long botId, String symbol, FifoBook.Lot lot) {
        jdbc.sql("""
                INSERT INTO trading_lots (trade_id, owner_id, bot_id, symbol, remaining, cost)
                VALUES (:trade, :owner, :bot, :symbol, :remaining, :cost)
                """)
            .param("trade", lot.tradeId())
            .param("owner", ownerId)
            .param("bot", botId)
            .param("symbol", symbol)
            .param("remaining", lot.quantity())
            .param("cost", lot.cost())
            .update();
    }

    /**
     * Realized PnL of a bot's trades at or after {@code since}: against its daily loss
     * limit.
     */
    public BigDecimal realizedSince(long botId, Instant since) {
        return jdbc.sql(
                "SELECT coalesce(sum(realized_pnl), 0) FROM trading_trades WHERE bot_id = :bot AND executed_at >= :since")
            .param("bot", botId)
            .param("since", utc(since))
            .query(BigDecimal.class)
            .single();
    }

    /**
     * A filtered list, newest first: {@code limit + 1} trades at most, the extra one
     * telling that more exist.
     */
    record Query(long ownerId, Long botId, String symbol, Side side, Instant from, Instant to, TradeCursor after,
            int limit) {
    }

    List<Trade> page(Query query) {
        List<String> where = new ArrayList<>(List.of("owner_id = :owner"));
        Map<String, Object> params = new HashMap<>();
        params.put("owner", query.ownerId());
        if (query.botId() != null) {
            where.add("bot_id = :bot");
            params.put("bot", query.botId());
        }
        if (query.symbol() != null) {
            where.add("symbol = :symbol");
            params.put("symbol", query.symbol());
        }
        if (query.side() != null) {
            where.add("side = :side");
            params.put("side", query.side().wire());
        }
        if (query.from() != null) {
            where.add("executed_at >= :from");
            params.put("from", utc(query.from()));
        }
        if (query.to() != null) {
            where.add("executed_at < :to");
            params.put("to", utc(query.to()));
        }
        if (query.after() != null) {
            where.add("(executed_at, id) < (:afterTime, :afterId)");
            params.put("afterTime", utc(query.after().executedAt()));
            params.put("afterId", query.after().id());
        }
        params.put("fetch", query.limit() + 1);
        return jdbc
            .sql(SELECT + " WHERE " + String.join(" AND ", where) + " ORDER BY executed_at DESC, id DESC LIMIT :fetch")
            .params(params)
            .query(Trades::map)
            .list();
    }

    /**
     * Every trade of a bot executed in {@code [from, to]} (either null: unbounded),
     * oldest first, given to {@code each} as the rows arrive: read through a cursor a
     * page at a time, so a bot's whole history is never in memory at once.
     */
    @Transactional(readOnly = true)
    public void eachOfBot(long botId, Instant from, Instant to, Consumer<Trade> each) {
        Map<String, Object> params = new HashMap<>();
        params.put("bot", botId);
        String where = " WHERE bot_id = :bot";
        if (from != null) {
            where += " AND executed_at >= :from";
            params.put("from", utc(from));
        }
        if (to != null) {
            where += " AND executed_at <= :to";
            params.put("to", utc(to));
        }
        jdbc.sql(SELECT + where + " ORDER BY executed_at, id").params(params).withFetchSize(PAGE).query(rs -> {
            each.accept(map(rs, 0));
        });
    }

    /**
     * What a bot's trades executed before {@code before} took from the cash (net of fees)
     * and left in the position.
     */
    public record Flow(BigDecimal cash, BigDecimal quantity) {
    }

    public Flow flowBefore(long botId, Instant before) {
        return jdbc.sql("""
                SELECT coalesce(sum(CASE WHEN side = 'buy' THEN -(price * quantity) ELSE price * quantity END - fee), 0)
                           AS cash,
                       coalesce(sum(CASE WHEN side = 'buy' THEN quantity ELSE -quantity END), 0) AS quantity
                FROM trading_trades WHERE bot_id = :bot AND executed_at < :before
                """)
            .param("bot", botId)
            .param("before", utc(before))
            .query((rs, row) -> new Flow(rs.getBigDecimal("cash"), rs.getBigDecimal("quantity")))
            .single();
    }

    /** Per bot of an owner: trade count, realized PnL and the last trade time. */
    public record BotTotals(long botId, long tradeCount, BigDecimal realizedPnl, Instant lastTradeAt) {
    }

    public Map<Long, BotTotals> totalsByBot(long ownerId) {
        Map<Long, BotTotals> totals = new HashMap<>();
        jdbc.sql("""
                SELECT bot_id, count(*) AS trades, sum(realized_pnl) AS realized, max(executed_at) AS last_trade
                FROM trading_trades WHERE owner_id = :owner AND bot_id IS NOT NULL GROUP BY bot_id
                """).param("owner", ownerId).query(rs -> {
            totals.put(rs.getLong("bot_id"), new BotTotals(rs.getLong("bot_id"), rs.getLong("trades"),
                    rs.getBigDecimal("realized"), instant(rs, "last_trade")));
        });
        return totals;
    }

    /** The totals of the given bots; a bot without trades has no entry. */
    public Map<Long, BotTotals> totalsOfBots(Collection<Long> botIds) {
        Map<Long, BotTotals> totals = new HashMap<>();
        if (botIds.isEmpty()) {
            return totals;
        }
        jdbc.sql("""
                SELECT bot_id, count(*) AS trades, sum(realized_pnl) AS realized, max(executed_at) AS last_trade
                FROM trading_trades WHERE bot_id = ANY(:ids) GROUP BY bot_id
                """).param("ids", botIds.toArray(Long[]::new)).query(rs -> {
            totals.put(rs.getLong("bot_id"), new BotTotals(rs.getLong("bot_id"), rs.getLong("trades"),
                    rs.getBigDecimal("realized"), instant(rs, "last_trade")));
        });
        return totals;
    }

    public void deleteOf(long ownerId) {
        jdbc.sql("DELETE FROM trading_trades WHERE owner_id = :owner").param("owner", ownerId).update();
    }

    static Trade map(ResultSet rs, int row) throws SQLException {
        return new Trade(rs.getLong("id"), rs.getLong("owner_id"), rs.getObject("bot_id", Long.class),
                rs.getString("symbol"), Side.of(rs.getString("side")), rs.getBigDecimal("price"),
                rs.getBigDecimal("quantity"), rs.getBigDecimal("fee"), rs.getBigDecimal("realized_pnl"),
                rs.getString("source"), rs.getString("client_order_id"), instant(rs, "executed_at"),
                ExitReason.of(rs.getString("exit_reason")), rs.getString("price_source"));
    }

}
