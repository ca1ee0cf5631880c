package dev.kapi.trading.exchange;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The shared candle store ({@code trading_candles}), keyed by exchange, symbol, interval
 * and open time: filled by the live feed and by downloads, read by bots, charts and
 * backtests.
 */
@Repository
public class Candles {

    private static final String COLUMNS = "open_time, open, high, low, close, volume";

    private final JdbcClient jdbc;

    private final JdbcTemplate template;

    Candles(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /**
     * The newest {@code limit} candles opened at {@code lastOpen} or before, oldest
     * first.
     */
    public List<Candle> read(ExchangeName exchange, String symbol, CandleInterval interval, Instant lastOpen,
            int limit) {
        return jdbc.sql("SELECT * FROM (SELECT " + COLUMNS + """
                 FROM trading_candles
                WHERE exchange = :exchange AND symbol = :symbol AND candle_interval = :interval AND open_time <= :last
                ORDER BY open_time DESC LIMIT :limit) c
                ORDER BY open_time
                """)
            .param("exchange", exchange.wire())
            .param("symbol", symbol)
            .param("interval", interval.code())
            .param("last", utc(lastOpen))
            .param("limit", limit)
            .query((rs, row) -> new Candle(instant(rs, "open_time"), rs.getBigDecimal("open"), rs.getBigDecimal("high"),
                    rs.getBigDecimal("low"), rs.getBigDecimal("close"), rs.getBigDecimal("volume")))
            .list();
    }

    /** The candles opened in {@code [from, to)}, oldest first, at most {@code limit}. */
    public List<Candle> range(ExchangeName exchange, String symbol, CandleInterval interval, Instant from, Instant to,
            int limit) {
        return jdbc.sql("SELECT " + COLUMNS + """
                 FROM trading_candles
                WHERE exchange = :exchange AND symbol = :symbol AND candle_interval = :interval
                  AND open_time >= :from AND open_time < :to
                ORDER BY open_time LIMIT :limit
                """)
            .param("exchange", exchange.wire())
            .param("symbol", symbol)
            .param("interval", interval.code())
            .param("from", utc(from))
            .param("to", utc(to))
            .param("limit", limit)
            .query((rs, row) -> new Candle(instant(rs, "open_time"), rs.getBigDecimal("open"), rs.getBigDecimal("high"),
                    rs.getBigDecimal("low"), rs.getBigDecimal("close"), rs.getBigDecimal("volume")))
            .list();
    }

    /** The open times in {@code [from, to)} the store has, oldest first. */
    List<Instant> openTimes(ExchangeName exchange, String symbol, CandleInterval interval, Instant from, Instant to) {
        return jdbc.sql("""
                SELECT open_time FROM trading_candles
                WHERE exchange = :exchange AND symbol = :symbol AND candle_interval = :interval
                  AND open_time >= :from AND open_time < :to
                ORDER BY open_time
                """)
            .param("exchange", exchange.wire())
            .param("symbol", symbol)
            .param("interval", interval.code())
            .param("from", utc(from))
            .param("to", utc(to))
            .query((rs, row) -> instant(rs, "open_time"))
            .list();
    }

    /** Stores the candles, replacing any at the same open times (a revised candle). */
    public void write(ExchangeName exchange, String symbol, CandleInterval interval, List<Candle> candles) {
        template.batchUpdate(
                """
                        INSERT INTO trading_candles (exchange, symbol, candle_interval, open_time, open, high, low, close, volume)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (exchange, symbol, candle_interval, open_time) DO UPDATE
                        SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
                            volume = EXCLUDED.volume
                        """,
                new BatchPreparedStatementSetter() {

                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        Candle candle = candles.get(i);
                        ps.setString(1, exchange.wire());
                        ps.setString(2, symbol);
                        ps.setString(3, interval.code());
                        ps.setObject(4, utc(candle.openTime()));
                        ps.setBigDecimal(5, candle.open());
                        ps.setBigDecimal(6, candle.high());
                        ps.setBigDecimal(7, candle.low());
                        ps.setBigDecimal(8, candle.close());
                        ps.setBigDecimal(9, candle.volume());
                    }

                    @Override
                    public int getBatchSize() {
                        return candles.size();
                    }
                });
    }

}
