package dev.kapi.identity.provider.logout;

import java.time.Clock;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.identity.SessionRevoked;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Writes the back-channel logouts of ended sessions, in the transaction that ended them
 * ({@link SessionRevoked} is published there, before an account's deletion takes its
 * grants away): one row per client with a {@code backchannel_logout_uri} that holds a
 * grant of an ended session. A session and a client get one logout, however often the
 * event names it; a grant whose session's expiry already sent its logout
 * ({@link ExpiredSessionLogouts}) gets none again.
 */
@Component
class LogoutOutbox {

    private final JdbcClient jdbc;

    private final Clock clock;

    LogoutOutbox(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @EventListener
    void on(SessionRevoked revoked) {
        jdbc.sql("""
                INSERT INTO oauth2_logout_deliveries
                    (registered_client_id, session_id, subject, url, next_attempt_at, created_at)
                SELECT DISTINCT a.registered_client_id, a.session_id, a.principal_name, c.backchannel_logout_uri,
                    CAST(:now AS timestamptz), CAST(:now AS timestamptz)
                FROM oauth2_authorization a
                JOIN oauth2_registered_client c ON c.id = a.registered_client_id
                JOIN sessions s ON s.id = a.session_id
                WHERE a.account_id = :account AND s.revoked_at IS NOT NULL AND c.backchannel_logout_uri IS NOT NULL
                    AND a.expiry_logout_at IS NULL
                    AND (CAST(:session AS uuid) IS NULL OR a.session_id = CAST(:session AS uuid))
                ON CONFLICT (registered_client_id, session_id) DO NOTHING
                """)
            .param("now", utc(clock.instant()))
            .param("account", revoked.accountId())
            .param("session", revoked.sessionId())
            .update();
    }

}
