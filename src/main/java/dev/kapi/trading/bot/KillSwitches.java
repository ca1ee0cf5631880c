package dev.kapi.trading.bot;

import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The kill switches that are on: a user's (by owner) and the admin's for everyone
 * ({@code owner_id} null). While one covers a user, none of the user's bots starts.
 */
@Repository
public class KillSwitches {

    private final JdbcClient jdbc;

    KillSwitches(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A switch that is on: since when, and who engaged it. */
    public record Engaged(Instant engagedAt, long engagedBy) {
    }

    /**
     * Turns the switch on ({@code ownerId} null: everyone's); a switch already on keeps
     * its first time. Answers the switch as it stands.
     */
    public Engaged engage(Long ownerId, long engagedBy, Instant now) {
        jdbc.sql("""
                INSERT INTO trading_kill_switches (owner_id, engaged_by, engaged_at) VALUES (:owner, :by, :now)
                ON CONFLICT ON CONSTRAINT trading_kill_switches_owner_key DO NOTHING
                """).param("owner", ownerId).param("by", engagedBy).param("now", utc(now)).update();
        return of(ownerId).orElseThrow();
    }

    /** Turns the switch off (re-arms); false when it was not on. */
    public boolean release(Long ownerId) {
        return jdbc.sql("DELETE FROM trading_kill_switches WHERE owner_id IS NOT DISTINCT FROM :owner")
            .param("owner", ownerId)
            .update() == 1;
    }

    /** The switch of {@code ownerId} (null: the admin's for everyone), if on. */
    public Optional<Engaged> of(Long ownerId) {
        return jdbc.sql("""
                SELECT engaged_at, engaged_by FROM trading_kill_switches WHERE owner_id IS NOT DISTINCT FROM :owner
                """)
            .param("owner", ownerId)
            .query((rs, row) -> new Engaged(instant(rs, "engaged_at"), rs.getLong("engaged_by")))
            .optional();
    }

    /** Whether the user's own switch or the admin's is on. */
    public boolean covers(long ownerId) {
        return jdbc
            .sql("SELECT EXISTS (SELECT 1 FROM trading_kill_switches WHERE owner_id = :owner OR owner_id IS NULL)")
            .param("owner", ownerId)
            .query(Boolean.class)
            .single();
    }

    void deleteOf(long ownerId) {
        jdbc.sql("DELETE FROM trading_kill_switches WHERE owner_id = :owner").param("owner", ownerId).update();
    }

}
