package dev.kapi.trading.sweep;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The sweep table. Reads are by owner; a sweep's results are written once, with its
 * status done.
 */
@Repository
class Sweeps {

    private static final String SELECT = """
            SELECT id, owner_id, status, strategy, objective, combinations, skipped, candles, folds, done,
                   results::text AS results, walk_forward::text AS walk_forward, error, created_at, finished_at
            FROM trading_sweeps
            """;

    private final JdbcClient jdbc;

    Sweeps(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Sweep(long id, long ownerId, String status, String strategy, String objective, int combinations, int skipped,
            int candles, Integer folds, int done, String results, String walkForward, String error, Instant createdAt,
            Instant finishedAt) {
    }

    /**
     * Inserts a running sweep; throws DuplicateKeyException when the owner has one
     * running.
     */
    long insert(long ownerId, String strategy, String objective, String request, int combinations, int skipped,
            int candles, Integer folds, Instant now) {
        return jdbc.sql("""
                INSERT INTO trading_sweeps (owner_id, status, strategy, objective, request, combinations, skipped,
                                            candles, folds, created_at, heartbeat_at)
                VALUES (:owner, 'running', :strategy, :objective, CAST(:request AS jsonb), :combinations, :skipped,
                        :candles, :folds, :now, :now)
                RETURNING id
                """)
            .param("owner", ownerId)
            .param("strategy", strategy)
            .param("objective", objective)
            .param("request", request)
            .param("combinations", combinations)
            .param("skipped", skipped)
            .param("candles", candles)
            .param("folds", folds)
            .param("now", utc(now))
            .query(Long.class)
            .single();
    }

    int running() {
        return jdbc.sql("SELECT count(*) FROM trading_sweeps WHERE status = 'running'").query(Integer.class).single();
    }

    Optional<Sweep> byId(long id, long ownerId) {
        return jdbc.sql(SELECT + " WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", ownerId)
            .query(Sweeps::map)
            .optional();
    }

    /** An owner's sweeps, newest first, without their results; {@code limit + 1} rows. */
    List<Sweep> page(long ownerId, Long beforeId, int limit) {
        return jdbc
            .sql(SELECT.replace("results::text AS results", "NULL AS results")
                .replace("walk_forward::text AS walk_forward", "NULL AS walk_forward")
                    + " WHERE owner_id = :owner AND id < :before ORDER BY id DESC LIMIT :limit")
            .param("owner", ownerId)
            .param("before", beforeId == null ? Long.MAX_VALUE : beforeId)
            .param("limit", limit + 1)
            .query(Sweeps::map)
            .list();
    }

    /**
     * The progress of a running sweep and its heartbeat; answers its status (another
     * instance may have cancelled it).
     */
    String beat(long id, int done, Instant now) {
        return jdbc.sql("""
                UPDATE trading_sweeps SET done = CASE WHEN status = 'running' THEN :done ELSE done END,
                       heartbeat_at = :now
                WHERE id = :id RETURNING status
                """)
            .param("done", done)
            .param("now", utc(now))
            .param("id", id)
            .query(String.class)
            .optional()
            .orElse("cancelled");
    }

    /**
     * Stores the results of a sweep still running; false when it was cancelled or failed
     * meanwhile.
     */
    boolean finish(long id, int done, String results, String walkForward, Instant now) {
        return jdbc.sql("""
                UPDATE trading_sweeps SET status = 'done', done = :done, results = CAST(:results AS jsonb),
                       walk_forward = CAST(:walkForward AS jsonb), finished_at = :now
                WHERE id = :id AND status = 'running'
                """)
            .param("done", done)
            .param("results", results)
            .param("walkForward", walkForward)
            .param("now", utc(now))
            .param("id", id)
            .update() == 1;
    }

    /** Ends a running sweep as failed or cancelled. */
    boolean end(long id, String status, String error, Instant now) {
        return jdbc.sql("""
                UPDATE trading_sweeps SET status = :status, error = :error, finished_at = :now
                WHERE id = :id AND status = 'running'
                """).param("status", status).param("error", error).param("now", utc(now)).param("id", id).update() == 1;
    }

    /**
     * Marks failed every running sweep whose heartbeat stopped before
     * {@code staleBefore}; answers how many.
     */
    int failStale(Instant staleBefore, Instant now) {
        return jdbc.sql("""
                UPDATE trading_sweeps SET status = 'failed', error = 'interrupted', finished_at = :now
                WHERE status = 'running' AND heartbeat_at < :before
                """).param("before", utc(staleBefore)).param("now", utc(now)).update();
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM trading_sweeps WHERE id = :id").param("id", id).update() == 1;
    }

    void deleteOf(long ownerId) {
        jdbc.sql("DELETE FROM trading_sweeps WHERE owner_id = :owner").param("owner", ownerId).update();
    }

    private static Sweep map(ResultSet rs, int row) throws SQLException {
        return new Sweep(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("status"), rs.getString("strategy"),
                rs.getString("objective"), rs.getInt("combinations"), rs.getInt("skipped"), rs.getInt("candles"),
                rs.getObject("folds", Integer.class), rs.getInt("done"), rs.getString("results"),
                rs.getString("walk_forward"), rs.getString("error"), instant(rs, "created_at"),
                instant(rs, "finished_at"));
    }

}
