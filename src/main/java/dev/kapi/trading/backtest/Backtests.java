package dev.kapi.trading.backtest;

import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.utc;

/**
 * The backtest table: what each backtest ran on, to run it again for its trades; reads
 * are by owner.
 */
@Repository
class Backtests {

    private final JdbcClient jdbc;

    Backtests(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * What a backtest ran on: params as a bot stores them, the other inputs as JSON,
     * candles null when generated.
     */
    record Stored(long id, long ownerId, String strategy, String params, String inputs, String candles,
            int tradesTotal) {
    }

    /**
     * Stores a backtest, or marks the owner's one of the same fingerprint asked again,
     * and drops the owner's older ones beyond the newest {@code keep} asked; answers its
     * id.
     */
    long store(long ownerId, byte[] fingerprint, String strategy, String params, String inputs, String candles,
            int tradesTotal, Instant now, int keep) {
        long id = jdbc.sql("""
                INSERT INTO trading_backtests (owner_id, fingerprint, strategy, params, inputs, candles, trades_total,
                                               asked_at)
                VALUES (:owner, :fingerprint, :strategy, CAST(:params AS jsonb), CAST(:inputs AS jsonb), :candles,
                        :total, :now)
                ON CONFLICT (owner_id, fingerprint) DO UPDATE SET asked_at = EXCLUDED.asked_at,
                                                                  trades_total = EXCLUDED.trades_total
                RETURNING id
                """)
            .param("owner", ownerId)
            .param("fingerprint", fingerprint)
            .param("strategy", strategy)
            .param("params", params)
            .param("inputs", inputs)
            .param("candles", candles)
            .param("total", tradesTotal)
            .param("now", utc(now))
            .query(Long.class)
            .single();
        jdbc.sql(
                """
                        DELETE FROM trading_backtests WHERE owner_id = :owner AND id NOT IN (
                            SELECT id FROM trading_backtests WHERE owner_id = :owner ORDER BY asked_at DESC, id DESC LIMIT :keep)
                        """)
            .param("owner", ownerId)
            .param("keep", keep)
            .update();
        return id;
    }

    Optional<Stored> byId(long id, long ownerId) {
        return jdbc.sql("""
                SELECT id, owner_id, strategy, params::text AS params, inputs::text AS inputs, candles, trades_total
                FROM trading_backtests WHERE id = :id AND owner_id = :owner
                """)
            .param("id", id)
            .param("owner", ownerId)
            .query((rs, row) -> new Stored(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("strategy"),
                    rs.getString("params"), rs.getString("inputs"), rs.getString("candles"), rs.getInt("trades_total")))
            .optional();
    }

    void deleteOf(long ownerId) {
        jdbc.sql("DELETE FROM trading_backtests WHERE owner_id = :owner").param("owner", ownerId).update();
    }

}
