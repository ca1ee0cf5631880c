package dev.kapi.events;

import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Each account's personal calendar token, kept as its SHA-256: one per account, replaced
 * by a new one, gone when revoked.
 */
@Repository
class CalendarTokens {

    private final JdbcClient jdbc;

    CalendarTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void replace(long accountId, byte[] hash, Instant now) {
        jdbc.sql(
                """
                        INSERT INTO event_calendar_tokens (account_id, token_hash, created_at) VALUES (:accountId, :hash, :now)
                        ON CONFLICT (account_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at
                        """)
            .param("accountId", accountId)
            .param("hash", hash)
            .param("now", utc(now))
            .update();
    }

    boolean delete(long accountId) {
        return jdbc.sql("DELETE FROM event_calendar_tokens WHERE account_id = :accountId")
            .param("accountId", accountId)
            .update() == 1;
    }

    Optional<Long> accountOf(byte[] hash) {
        return jdbc.sql("SELECT account_id FROM event_calendar_tokens WHERE token_hash = :hash")
            .param("hash", hash)
            .query(Long.class)
            .optional();
    }

}
