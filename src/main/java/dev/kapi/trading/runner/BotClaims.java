package dev.kapi.trading.runner;

import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Repository;

import dev.kapi.trading.bot.BotStatus;
import dev.kapi.trading.market.CandleInterval;

import static dev.kapi.shared.SqlTime.utc;

/**
 * The runner's claims ({@code trading_bot_runs}): one row per bot and candle, made by
 * whichever instance claims the bot first, held locked while its batch runs and marked
 * finished at its end.
 */
@Repository
class BotClaims {

    private final JdbcClient jdbc;

    private final DataSource dataSource;

    BotClaims(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /**
     * Claims up to {@code limit} active, trading bots on the interval for the candle that
     * opened at {@code candleOpen}: one row per bot and candle, which the primary key
     * lets exist once, whichever instance inserts it. Rows locked by another instance's
     * claim are skipped, so instances share the work.
     */
    List<Long> claim(CandleInterval interval, Instant candleOpen, int limit, Instant now) {
        return jdbc.sql("""
                INSERT INTO trading_bot_runs (bot_id, candle_open, claimed_at)
                SELECT b.id, :open, :now FROM trading_bots b
                WHERE b.active AND b.candle_interval = :interval AND b.status IN (:trading)
                  AND NOT EXISTS (SELECT 1 FROM trading_bot_runs r WHERE r.bot_id = b.id AND r.candle_open = :open)
                ORDER BY b.id
                LIMIT :limit
                FOR UPDATE OF b SKIP LOCKED
                ON CONFLICT DO NOTHING
                RETURNING bot_id
                """)
            .param("open", utc(candleOpen))
            .param("now", utc(now))
            .param("interval", interval.code())
            .param("trading", BotStatus.wires(BotStatus.TRADING))
            .param("limit", limit)
            .query(Long.class)
            .list();
    }

    /**
     * Takes over up to {@code limit} claims for the candle that were made before
     * {@code staleBefore} and never finished: the instance that claimed them died in the
     * middle of its batch. Each is taken by one instance (its row is locked the same way
     * as a first claim), and its claim time renewed.
     */
    List<Long> reclaimStale(CandleInterval interval, Instant candleOpen, int limit, Instant staleBefore, Instant now) {
        return jdbc.sql("""
                UPDATE trading_bot_runs r SET claimed_at = :now
                FROM (SELECT s.bot_id FROM trading_bot_runs s JOIN trading_bots b ON b.id = s.bot_id
                      WHERE s.candle_open = :open AND s.finished_at IS NULL AND s.claimed_at < :stale
                        AND b.active AND b.candle_interval = :interval AND b.status IN (:trading)
                      ORDER BY s.bot_id
                      LIMIT :limit
                      FOR UPDATE OF s SKIP LOCKED) stale
                WHERE r.bot_id = stale.bot_id AND r.candle_open = :open
                RETURNING r.bot_id
                """)
            .param("open", utc(candleOpen))
            .param("now", utc(now))
            .param("stale", utc(staleBefore))
            .param("interval", interval.code())
            .param("trading", BotStatus.wires(BotStatus.TRADING))
            .param("limit", limit)
            .query(Long.class)
            .list();
    }

    /**
     * Holds the claims of a batch while it runs: their rows stay locked by a transaction
     * on a connection of their own until {@link Held#finish} marks them finished, or
     * until the instance dies and PostgreSQL ends that transaction with its connection.
     * The retry pass skips locked claims ({@link #reclaimStale}), so it takes over the
     * claims of an instance that is gone, never those of a live batch however long it
     * takes.
     */
    Held hold(List<Long> ids, Instant candleOpen) {
        java.sql.Connection connection;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
        }
        catch (java.sql.SQLException ex) {
            throw new DataAccessResourceFailureException("No connection to hold a batch's claims", ex);
        }
        Held held = new Held(connection, ids, candleOpen);
        try {
            held.jdbc
                .sql("SELECT bot_id FROM trading_bot_runs WHERE candle_open = :open AND bot_id = ANY(:ids) FOR UPDATE")
                .param("open", utc(candleOpen))
                .param("ids", ids.toArray(Long[]::new))
                .query(Long.class)
                .list();
        }
        catch (RuntimeException ex) {
            held.close();
            throw ex;
        }
        return held;
    }

    /** The locked claims of one running batch ({@link #hold}). */
    static final class Held implements AutoCloseable {

        private final java.sql.Connection connection;

        private final JdbcClient jdbc;

        private final List<Long> ids;

        private final Instant candleOpen;

        private Held(java.sql.Connection connection, List<Long> ids, Instant candleOpen) {
            this.connection = connection;
            this.jdbc = JdbcClient.create(new SingleConnectionDataSource(connection, true));
            this.ids = ids;
            this.candleOpen = candleOpen;
        }

        /**
         * The batch is done: its claims are marked finished (the bots ran, or were
         * skipped on purpose), and let go.
         */
        void finish(Instant now) {
            jdbc.sql("UPDATE trading_bot_runs SET finished_at = :now WHERE candle_open = :open AND bot_id = ANY(:ids)")
                .param("now", utc(now))
                .param("open", utc(candleOpen))
                .param("ids", ids.toArray(Long[]::new))
                .update();
            try {
                connection.commit();
            }
            catch (java.sql.SQLException ex) {
                throw new DataAccessResourceFailureException("The claims of a batch could not be marked finished", ex);
            }
        }

        /** Lets the claims go; unfinished, they are the retry pass's. */
        @Override
        public void close() {
            try (connection) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            catch (java.sql.SQLException ex) {
                // the connection is gone, and its locks with it
            }
        }

    }

}
