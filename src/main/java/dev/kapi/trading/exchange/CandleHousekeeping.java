package dev.kapi.trading.exchange;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.kapi.trading.TradingSettings;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Keeps the shared candle store from growing for ever: candles opened more than
 * {@code kapi.trading.market.retention} ago (400 days) are removed hourly, and the
 * download counts of days before yesterday. Every instance may run it: each statement
 * deletes a bounded batch. A live bot that needs an older candle fetches it again.
 */
@Component
public class CandleHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(CandleHousekeeping.class);

    static final int BATCH = 10_000;

    private final JdbcClient jdbc;

    private final TradingSettings.Market settings;

    private final Clock clock;

    CandleHousekeeping(JdbcClient jdbc, TradingSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings.market();
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT15M")
    void scheduled() {
        long removed = prune();
        if (removed > 0) {
            log.info("Candle housekeeping removed {} candles older than {}", removed, settings.retention());
        }
    }

    /** Removes the candles older than the retention; answers how many. */
    public long prune() {
        Instant now = clock.instant();
        Instant before = now.minus(settings.retention());
        long total = 0;
        int removed;
        do {
            // PostgreSQL 18 skip-scans the primary key for open_time; ctid keeps each
            // batch one statement.
            removed = jdbc.sql("""
                    DELETE FROM trading_candles WHERE ctid = ANY(ARRAY(
                        SELECT ctid FROM trading_candles WHERE open_time < :before LIMIT :batch))
                    """).param("before", utc(before)).param("batch", BATCH).update();
            total += removed;
        }
        while (removed == BATCH);
        jdbc.sql("DELETE FROM trading_candle_downloads WHERE day < :day")
            .param("day", now.atZone(ZoneOffset.UTC).toLocalDate().minusDays(1))
            .update();
        return total;
    }

}
