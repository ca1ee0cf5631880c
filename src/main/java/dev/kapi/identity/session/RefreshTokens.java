package dev.kapi.identity.session;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.identity.token.SecretTokens;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * Rotating refresh tokens, one family per session; a used token is kept to recognise its
 * reuse.
 */
@Component
public class RefreshTokens {

    private final JdbcClient jdbc;

    private final Clock clock;

    RefreshTokens(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * A presented token: its session, and when it had already been used before
     * ({@code null} if fresh).
     */
    record Presented(UUID sessionId, Instant previouslyUsedAt) {
    }

    public String issue(UUID sessionId) {
        String token = SecretTokens.generate();
        jdbc.sql("INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES (:hash, :session, :now)")
            .param("hash", SecretTokens.hash(token))
            .param("session", sessionId)
            .param("now", utc(clock.instant()))
            .update();
        return token;
    }

    /**
     * The common case in one statement (and so one round trip, no transaction around it):
     * uses the presented token up and stores {@code successor} in its family. Empty when
     * the token was not fresh.
     */
    Optional<UUID> rotate(String presented, String successor) {
        Instant now = clock.instant();
        return jdbc.sql("""
                WITH used AS (
                    UPDATE refresh_tokens SET used_at = :now WHERE token_hash = :hash AND used_at IS NULL
                    RETURNING session_id)
                INSERT INTO refresh_tokens (token_hash, session_id, issued_at)
                SELECT :successor, session_id, :now FROM used
                RETURNING session_id
                """)
            .param("now", utc(now))
            .param("hash", SecretTokens.hash(presented))
            .param("successor", SecretTokens.hash(successor))
            .query(UUID.class)
            .optional();
    }

    /** Marks the token used, atomically; empty for a token never issued. */
    Optional<Presented> use(String token) {
        String hash = SecretTokens.hash(token);
        Optional<UUID> fresh = jdbc.sql("""
                UPDATE refresh_tokens SET used_at = :now WHERE token_hash = :hash AND used_at IS NULL
                RETURNING session_id
                """).param("now", utc(clock.instant())).param("hash", hash).query(UUID.class).optional();
        if (fresh.isPresent()) {
            return Optional.of(new Presented(fresh.get(), null));
        }
        return jdbc.sql("SELECT session_id, used_at FROM refresh_tokens WHERE token_hash = :hash")
            .param("hash", hash)
            .query((rs, row) -> new Presented(rs.getObject("session_id", UUID.class), instant(rs, "used_at")))
            .optional();
    }

}
