package dev.kapi.identity.provider.logout;

import java.time.Clock;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.identity.IdentitySettings;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Back-channel logouts of sessions that ended by expiry: unused for the idle timeout or
 * older than their absolute lifetime. Nothing happens at that moment (a session is judged
 * expired whenever it is next looked at), so a sweep finds the provider's grants of such
 * sessions, marks them ({@code expiry_logout_at}) and writes one logout per client with a
 * {@code backchannel_logout_uri} and session, in one statement: each grant is handled
 * once, by one instance ({@code SKIP LOCKED}), and a session ended explicitly later sends
 * nothing again ({@link LogoutOutbox} skips marked grants).
 */
@Component
class ExpiredSessionLogouts {

    static final int BATCH = 500;

    private final JdbcClient jdbc;

    private final IdentitySettings settings;

    private final Clock clock;

    ExpiredSessionLogouts(JdbcClient jdbc, IdentitySettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    /** One round: the grants handled, at most {@link #BATCH}. */
    int sweep() {
        Instant now = clock.instant();
        return jdbc.sql("""
                WITH due AS (
                    SELECT a.id FROM oauth2_authorization a JOIN sessions s ON s.id = a.session_id
                    WHERE a.session_id IS NOT NULL AND a.expiry_logout_at IS NULL AND s.revoked_at IS NULL
                        AND (s.expires_at <= :now OR s.last_used_at <= :idleSince)
                    LIMIT :batch FOR UPDATE OF a SKIP LOCKED
                ), marked AS (
                    UPDATE oauth2_authorization a SET expiry_logout_at = :now FROM due WHERE a.id = due.id
                    RETURNING a.registered_client_id, a.session_id, a.principal_name
                ), written AS (
                    INSERT INTO oauth2_logout_deliveries
                        (registered_client_id, session_id, subject, url, next_attempt_at, created_at)
                    SELECT DISTINCT m.registered_client_id, m.session_id, m.principal_name, c.backchannel_logout_uri,
                        CAST(:now AS timestamptz), CAST(:now AS timestamptz)
                    FROM marked m JOIN oauth2_registered_client c ON c.id = m.registered_client_id
                    WHERE c.backchannel_logout_uri IS NOT NULL
                    ON CONFLICT (registered_client_id, session_id) DO NOTHING
                    RETURNING 1
                )
                SELECT count(*) FROM marked
                """)
            .param("now", utc(now))
            .param("idleSince", utc(now.minus(settings.session().idleTimeout())))
            .param("batch", BATCH)
            .query(Integer.class)
            .single();
    }

    /** Rounds until no expired session's grant is left (bounded). */
    int sweepAll() {
        int total = 0;
        int rounds = 0;
        int handled;
        do {
            handled = sweep();
            total += handled;
        }
        while (handled == BATCH && ++rounds < 100);
        return total;
    }

}
