package dev.kapi.identity.recovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.identity.token.SecretTokens;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Single-use, expiring tokens mailed to an account's owner (email verification, password
 * reset). Issuing a new one retires the account's earlier unused ones of the same
 * purpose.
 */
@Component
public class OneTimeTokens {

    static final String VERIFY_EMAIL = "verify-email";
    static final String RESET_PASSWORD = "reset-password";

    private final JdbcClient jdbc;

    private final Clock clock;

    OneTimeTokens(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public String issue(long accountId, String purpose, Duration lifetime) {
        Instant now = clock.instant();
        jdbc.sql("""
                UPDATE one_time_tokens SET used_at = :now
                WHERE account_id = :account AND purpose = :purpose AND used_at IS NULL
                """).param("now", utc(now)).param("account", accountId).param("purpose", purpose).update();
        String token = SecretTokens.generate();
        jdbc.sql("""
                INSERT INTO one_time_tokens (token_hash, account_id, purpose, created_at, expires_at)
                VALUES (:hash, :account, :purpose, :now, :expires)
                """)
            .param("hash", SecretTokens.hash(token))
            .param("account", accountId)
            .param("purpose", purpose)
            .param("now", utc(now))
            .param("expires", utc(now.plus(lifetime)))
            .update();
        return token;
    }

    /**
     * Whether the token is live (known, unused, unexpired) without using it up: lets a
     * caller refuse a made-up token before it spends anything on the request, such as a
     * password hash.
     */
    boolean live(String token, String purpose) {
        Instant now = clock.instant();
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM one_time_tokens
                WHERE token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > :now)
                """)
            .param("now", utc(now))
            .param("hash", SecretTokens.hash(token))
            .param("purpose", purpose)
            .query(Boolean.class)
            .single();
    }

    /**
     * Uses the token up; the account it was issued to, or empty if it is unknown, used or
     * expired.
     */
    public Optional<Long> consume(String token, String purpose) {
        return consumeHash(SecretTokens.hash(token), purpose);
    }

    /**
     * {@link #consume} for a row kept under another hash than the token's SHA-256 (a
     * code's HMAC).
     */
    public Optional<Long> consumeHash(String hash, String purpose) {
        Instant now = clock.instant();
        return jdbc.sql("""
                UPDATE one_time_tokens SET used_at = :now
                WHERE token_hash = :hash AND purpose = :purpose AND used_at IS NULL AND expires_at > :now
                RETURNING account_id
                """).param("now", utc(now)).param("hash", hash).param("purpose", purpose).query(Long.class).optional();
    }

}
