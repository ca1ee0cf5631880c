package dev.kapi.trading.bot;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.exchange.ExchangeName;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.PriceFeed;
import tools.jackson.databind.json.JsonMapper;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The bot table: configuration and state. Reads by id are also by owner; the runner reads
 * by id alone.
 */
@Repository
public class Bots {

    private static final String SELECT = """
            SELECT id, owner_id, name, symbol, quote_amount, candle_interval, strategy, params::text AS params,
                   api_key_id, max_daily_loss, max_position, active, status, position_quantity, position_cost,
                   last_signal, last_price, last_candle_at, last_run_at, error_count, last_error, created_at, updated_at,
                   risk::text AS risk, entry_price, high_water, realized_total, peak_equity, cooldown_until, status_reason,
                   exchange, price_feed, order_type, limit_offset, unfilled_timeout_minutes, on_unfilled,
                   stop_on_exchange
            FROM trading_bots
            """;

    private final JdbcClient jdbc;

    private final JsonMapper json;

    Bots(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** The configurable fields of a bot. */
    record Config(String name, String symbol, BigDecimal quoteAmount, CandleInterval interval, String strategy,
            String params, Long apiKeyId, BigDecimal maxDailyLoss, BigDecimal maxPosition, String risk,
            ExchangeName exchange, PriceFeed priceFeed, OrderPolicy orders, boolean stopOnExchange) {
    }

    long insert(long ownerId, Config config, Instant now) {
        return jdbc.sql("""
                INSERT INTO trading_bots (owner_id, name, symbol, quote_amount, candle_interval, strategy, params,
                                          api_key_id, max_daily_loss, max_position, created_at, updated_at, risk,
                                          exchange, price_feed, order_type, limit_offset,
                                          unfilled_timeout_minutes, on_unfilled, stop_on_exchange)
                VALUES (:owner, :name, :symbol, :quoteAmount, :interval, :strategy, CAST(:params AS jsonb),
                        :apiKeyId, :maxDailyLoss, :maxPosition, :now, :now, CAST(:risk AS jsonb), :exchange,
                        :priceFeed, :orderType, :limitOffset, :unfilledTimeout, :onUnfilled, :stopOnExchange)
                RETURNING id
                """).params(params(config)).param("owner", ownerId).param("now", utc(now)).query(Long.class).single();
    }

    void update(long id, Config config, Instant now) {
        jdbc.sql("""
                UPDATE trading_bots SET name = :name, symbol = :symbol, quote_amount = :quoteAmount,
                       candle_interval = :interval, strategy = :strategy, params = CAST(:params AS jsonb),
                       api_key_id = :apiKeyId, max_daily_loss = :maxDailyLoss, max_position = :maxPosition,
                       risk = CAST(:risk AS jsonb), exchange = :exchange, price_feed = :priceFeed, updated_at = :now,
                       order_type = :orderType, limit_offset = :limitOffset,
                       unfilled_timeout_minutes = :unfilledTimeout, on_unfilled = :onUnfilled,
                       stop_on_exchange = :stopOnExchange
                WHERE id = :id
                """).params(params(config)).param("id", id).param("now", utc(now)).update();
    }

    /**
     * How many bots the owner has, counted under a lock on the owner's bots held until
     * the transaction ends.
     */
    int lockedCountOf(long ownerId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
            .param("key", "trading-bots:" + ownerId)
            .query((rs, row) -> 1)
            .single();
        return jdbc.sql("SELECT count(*) FROM trading_bots WHERE owner_id = :owner")
            .param("owner", ownerId)
            .query(Integer.class)
            .single();
    }

    public List<Bot> ofOwner(long ownerId) {
        return jdbc.sql(SELECT + " WHERE owner_id = :owner ORDER BY id")
            .param("owner", ownerId)
            .query(this::map)
            .list();
    }

    /**
     * Every owner's bots, newest first, optionally of one status; {@code limit + 1} rows.
     */
    public List<Bot> pageOfAll(BotStatus status, Long beforeId, int limit) {
        return jdbc.sql(SELECT + """
                 WHERE (CAST(:status AS text) IS NULL OR status = :status) AND id < :before
                ORDER BY id DESC LIMIT :limit
                """)
            .param("status", status == null ? null : status.wire())
            .param("before", beforeId == null ? Long.MAX_VALUE : beforeId)
            .param("limit", limit + 1)
            .query(this::map)
            .list();
    }

    public Optional<Bot> byId(long id, long ownerId) {
        return jdbc.sql(SELECT + " WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", ownerId)
            .query(this::map)
            .optional();
    }

    public Optional<Bot> lock(long id, long ownerId) {
        return jdbc.sql(SELECT + " WHERE id = :id AND owner_id = :owner FOR UPDATE")
            .param("id", id)
            .param("owner", ownerId)
            .query(this::map)
            .optional();
    }

    /** For the runner and the trade book: by id alone, locked. */
    public Optional<Bot> lock(long id) {
        return jdbc.sql(SELECT + " WHERE id = :id FOR UPDATE").param("id", id).query(this::map).optional();
    }

    public List<Bot> byIds(Collection<Long> ids) {
        return jdbc.sql(SELECT + " WHERE id = ANY(:ids) ORDER BY id")
            .param("ids", ids.toArray(Long[]::new))
            .query(this::map)
            .list();
    }

    void setActive(long id, boolean active, Instant now) {
        jdbc.sql("UPDATE trading_bots SET active = :active, updated_at = :now WHERE id = :id")
            .param("active", active)
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    /**
     * Pauses or resumes the bot ({@link BotStatus.Move#PAUSE},
     * {@link BotStatus.Move#RESUME}); resuming also forgets the errors, the reason of a
     * pause and the equity peak (max_drawdown measures again from the next tick).
     */
    void move(long id, BotStatus.Move move, boolean inPosition, Instant now) {
        if (move != BotStatus.Move.PAUSE && move != BotStatus.Move.RESUME) {
            throw new IllegalArgumentException("Not an owner's move: " + move);
        }
        boolean resume = move == BotStatus.Move.RESUME;
        jdbc.sql("""
                UPDATE trading_bots SET status = CASE WHEN status IN (:from) THEN :to ELSE status END,
                       updated_at = :now,
                       status_reason = CASE WHEN :resume THEN NULL ELSE status_reason END,
                       peak_equity = CASE WHEN :resume THEN NULL ELSE peak_equity END,
                       error_count = CASE WHEN :resume THEN 0 ELSE error_count END,
                       last_error = CASE WHEN :resume THEN NULL ELSE last_error END
                WHERE id = :id
                """)
            .param("from", move.fromWires())
            .param("to", move.to(inPosition).wire())
            .param("resume", resume)
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    /**
     * The position after a trade and the trade's realized PnL; the status follows it by
     * {@link BotStatus.Move#TRADE}.
     */
    public void setPosition(long id, BigDecimal quantity, BigDecimal cost, BigDecimal entryPrice, BigDecimal highWater,
            BigDecimal realized, Instant now) {
        jdbc.sql("""
                UPDATE trading_bots SET position_quantity = :quantity, position_cost = :cost, updated_at = :now,
                       entry_price = :entry, high_water = :high, realized_total = realized_total + :realized,
                       status = CASE WHEN status IN (:from) THEN :to ELSE status END
                WHERE id = :id
                """)
            .param("from", BotStatus.Move.TRADE.fromWires())
            .param("to", BotStatus.Move.TRADE.to(quantity.signum() > 0).wire())
            .param("quantity", quantity)
            .param("cost", cost)
            .param("entry", entryPrice)
            .param("high", highWater)
            .param("realized", realized)
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    /**
     * What one run of the runner saw, for many bots at once; {@code highWater} and
     * {@code peakEquity} null keep what is stored.
     */
    public record Run(long botId, String signal, BigDecimal price, Instant candleOpen, BigDecimal highWater,
            BigDecimal peakEquity) {

        public Run(long botId, String signal, BigDecimal price, Instant candleOpen) {
            this(botId, signal, price, candleOpen, null, null);
        }
    }

    public void recordRuns(List<Run> runs, Instant now) {
        if (runs.isEmpty()) {
            return;
        }
        jdbc.sql(
                """
                        UPDATE trading_bots b SET last_signal = r.signal, last_price = COALESCE(r.price, b.last_price),
                               last_candle_at = r.candle_open, last_run_at = :now, error_count = 0,
                               high_water = CASE WHEN b.position_quantity > 0 THEN COALESCE(r.high, b.high_water) END,
                               peak_equity = COALESCE(r.peak, b.peak_equity)
                        FROM unnest(CAST(:ids AS bigint[]), CAST(:signals AS text[]), CAST(CAST(:prices AS text[]) AS numeric[]),
                                    CAST(CAST(:opens AS text[]) AS timestamptz[]), CAST(CAST(:highs AS text[]) AS numeric[]),
                                    CAST(CAST(:peaks AS text[]) AS numeric[])) AS r(id, signal, price, candle_open, high, peak)
                        WHERE b.id = r.id
                        """)
            .param("ids", runs.stream().map(Run::botId).toArray(Long[]::new))
            .param("signals", runs.stream().map(Run::signal).toArray(String[]::new))
            .param("prices",
                    runs.stream()
                        .map(run -> run.price() == null ? null : run.price().toPlainString())
                        .toArray(String[]::new))
            .param("opens", runs.stream().map(run -> run.candleOpen().toString()).toArray(String[]::new))
            .param("highs", runs.stream().map(run -> plain(run.highWater())).toArray(String[]::new))
            .param("peaks", runs.stream().map(run -> plain(run.peakEquity())).toArray(String[]::new))
            .param("now", utc(now))
            .update();
    }

    /**
     * A failed run: one more error in a row; at {@code maxErrors} the bot goes to error
     * ({@link BotStatus.Move#FAIL}) and stops trading.
     */
    public void recordFailure(long id, String error, int maxErrors, Instant now) {
        jdbc.sql("""
                UPDATE trading_bots SET error_count = error_count + 1, last_error = :error, last_run_at = :now,
                       status = CASE WHEN error_count + 1 >= :max AND status IN (:from) THEN :to ELSE status END
                WHERE id = :id
                """)
            .param("error", error)
            .param("max", maxErrors)
            .param("from", BotStatus.Move.FAIL.fromWires())
            .param("to", BotStatus.Move.FAIL.to(false).wire())
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    /**
     * Tells the owner, in {@code last_error}, of a failure that does not stop the bot's
     * run (its stop refused by the exchange): no error is counted.
     */
    public void noteError(long id, String error) {
        jdbc.sql("UPDATE trading_bots SET last_error = :error WHERE id = :id")
            .param("error", error)
            .param("id", id)
            .update();
    }

    /**
     * Clears {@code last_error} when it still starts with {@code prefix} (the failure it
     * told of is over; another error since stays).
     */
    public void clearError(long id, String prefix) {
        jdbc.sql("UPDATE trading_bots SET last_error = NULL WHERE id = :id AND starts_with(last_error, :prefix)")
            .param("prefix", prefix)
            .param("id", id)
            .update();
    }

    /** Stops a bot for a reason its owner reads in {@code last_error}. */
    public void stopWithReason(long id, String reason, Instant now) {
        jdbc.sql("UPDATE trading_bots SET active = false, last_error = :reason, updated_at = :now WHERE id = :id")
            .param("reason", reason)
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    /**
     * The bot pauses itself (max_drawdown, {@link BotStatus.Move#PAUSE}) with the reason
     * its owner reads in {@code status_reason}.
     */
    public void pauseWithReason(long id, String reason, Instant now) {
        jdbc.sql("""
                UPDATE trading_bots SET status = CASE WHEN status IN (:from) THEN :to ELSE status END,
                       status_reason = :reason, updated_at = :now
                WHERE id = :id
                """)
            .param("from", BotStatus.Move.PAUSE.fromWires())
            .param("to", BotStatus.Move.PAUSE.to(false).wire())
            .param("reason", reason)
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    /**
     * Locks the bot for an order the runner is about to place, and says whether it may:
     * still active, no exit requested (a kill switch or a force-exit owns its position),
     * and its position still the one the run decided on (nothing sold it meanwhile).
     */
    public boolean lockForOrder(long id, BigDecimal positionQuantity) {
        return jdbc.sql("""
                SELECT active AND exit_requested_at IS NULL AND position_quantity = :quantity
                FROM trading_bots WHERE id = :id FOR UPDATE
                """).param("id", id).param("quantity", positionQuantity).query(Boolean.class).optional().orElse(false);
    }

    /** The bot must be sold flat; kept until it is ({@link #clearExitRequest}). */
    public void requestExit(long id, Instant now) {
        jdbc.sql("UPDATE trading_bots SET exit_requested_at = COALESCE(exit_requested_at, :now) WHERE id = :id")
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    public void clearExitRequest(long id) {
        jdbc.sql("UPDATE trading_bots SET exit_requested_at = NULL WHERE id = :id AND exit_requested_at IS NOT NULL")
            .param("id", id)
            .update();
    }

    /** Up to {@code limit} bots whose exit was requested and is not done, by id. */
    public List<Long> exitRequested(long afterId, int limit) {
        return jdbc.sql("""
                SELECT id FROM trading_bots WHERE exit_requested_at IS NOT NULL AND id > :after ORDER BY id LIMIT :limit
                """).param("after", afterId).param("limit", limit).query(Long.class).list();
    }

    /** What a kill switch did to the bots it covers. */
    public record Stopped(int stopped, List<Long> ids) {
    }

    /**
     * A kill switch: every bot of the owner (of everyone for {@code ownerId} null, a page
     * of {@code limit} bots after {@code afterId}) stopped, and its exit requested.
     * {@code stopped} counts the bots that were active.
     */
    public Stopped stopAndRequestExit(Long ownerId, long afterId, int limit, Instant now) {
        List<Object[]> rows = jdbc.sql("""
                WITH b AS (
                    SELECT id, active FROM trading_bots
                    WHERE (CAST(:owner AS bigint) IS NULL OR owner_id = :owner) AND id > :after
                    ORDER BY id LIMIT :limit FOR UPDATE)
                UPDATE trading_bots t SET active = false, exit_requested_at = COALESCE(t.exit_requested_at, :now),
                       updated_at = :now
                FROM b WHERE t.id = b.id
                RETURNING t.id, b.active
                """)
            .param("owner", ownerId)
            .param("after", afterId)
            .param("limit", limit)
            .param("now", utc(now))
            .query((rs, row) -> new Object[] { rs.getLong(1), rs.getBoolean(2) })
            .list();
        return new Stopped((int) rows.stream().filter(row -> (Boolean) row[1]).count(),
                rows.stream().map(row -> (Long) row[0]).sorted().toList());
    }

    /** No buy before {@code until} (a cooldown after a stop). */
    public void setCooldown(long id, Instant until) {
        jdbc.sql("UPDATE trading_bots SET cooldown_until = :until WHERE id = :id")
            .param("until", utc(until))
            .param("id", id)
            .update();
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    /**
     * Whether a stop of the bot stands (or may stand) on its exchange
     * ({@code stop_on_exchange}).
     */
    boolean hasStopOnExchange(long id) {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM trading_protections WHERE bot_id = :id AND status IN ('pending', 'open'))
                """).param("id", id).query(Boolean.class).single();
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM trading_bots WHERE id = :id").param("id", id).update() == 1;
    }

    void deleteOf(long ownerId) {
        jdbc.sql("DELETE FROM trading_bots WHERE owner_id = :owner").param("owner", ownerId).update();
    }

    /** The intervals that active bots trade on: the runner claims per interval. */
    public List<CandleInterval> activeIntervals() {
        return jdbc.sql("SELECT DISTINCT candle_interval FROM trading_bots WHERE active")
            .query(String.class)
            .list()
            .stream()
            .map(code -> CandleInterval.of(code).orElseThrow())
            .toList();
    }

    private static Map<String, Object> params(Config config) {
        Map<String, Object> params = new HashMap<>();
        params.put("name", config.name());
        params.put("symbol", config.symbol());
        params.put("quoteAmount", config.quoteAmount());
        params.put("interval", config.interval().code());
        params.put("strategy", config.strategy());
        params.put("params", config.params());
        params.put("apiKeyId", config.apiKeyId());
        params.put("maxDailyLoss", config.maxDailyLoss());
        params.put("maxPosition", config.maxPosition());
        params.put("risk", config.risk());
        params.put("exchange", config.exchange().wire());
        params.put("priceFeed", config.priceFeed().wire());
        params.put("orderType", config.orders().orderType());
        params.put("limitOffset", config.orders().limitOffset());
        params.put("unfilledTimeout", config.orders().unfilledTimeoutMinutes());
        params.put("onUnfilled", config.orders().onUnfilled());
        params.put("stopOnExchange", config.stopOnExchange());
        return params;
    }

    private Bot map(ResultSet rs, int row) throws SQLException {
        String risk = rs.getString("risk");
        return new Bot(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("name"), rs.getString("symbol"),
                rs.getBigDecimal("quote_amount"), CandleInterval.of(rs.getString("candle_interval")).orElseThrow(),
                rs.getString("strategy"), rs.getString("params"), rs.getObject("api_key_id", Long.class),
                rs.getBigDecimal("max_daily_loss"), rs.getBigDecimal("max_position"), rs.getBoolean("active"),
                BotStatus.of(rs.getString("status")), rs.getBigDecimal("position_quantity"),
                rs.getBigDecimal("position_cost"), rs.getString("last_signal"), rs.getBigDecimal("last_price"),
                instant(rs, "last_candle_at"), instant(rs, "last_run_at"), rs.getInt("error_count"),
                rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "updated_at"),
                risk == null || risk.equals("{}") ? Risk.NONE : json.readValue(risk, Risk.class),
                rs.getBigDecimal("entry_price"), rs.getBigDecimal("high_water"), rs.getBigDecimal("realized_total"),
                rs.getBigDecimal("peak_equity"), instant(rs, "cooldown_until"), rs.getString("status_reason"),
                ExchangeName.of(rs.getString("exchange")).orElseThrow(),
                PriceFeed.of(rs.getString("price_feed")).orElseThrow(),
                new OrderPolicy(rs.getString("order_type"), rs.getBigDecimal("limit_offset"),
                        rs.getObject("unfilled_timeout_minutes", Integer.class), rs.getString("on_unfilled")),
                rs.getBoolean("stop_on_exchange"));
    }

}
