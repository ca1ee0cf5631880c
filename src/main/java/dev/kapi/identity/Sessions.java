package dev.kapi.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * Server-side sessions, the thing every access token is bound to. Live sessions are cached in process
 * so that checking a token costs no query; ending one updates its row and sends a PostgreSQL
 * {@code NOTIFY}, on which every instance evicts it ({@link SessionInvalidations}).
 */
@Component
class Sessions {

    static final String CHANNEL = "kapi_sessions";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Duration lifetime;
    private final Cache<UUID, LiveSession> live = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    Sessions(JdbcClient jdbc, Clock clock, IdentitySettings settings) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.lifetime = settings.sessionLifetime();
    }

    /** A session that may be used, with what a request needs to know of its account. */
    record LiveSession(CurrentAccount account, Instant expiresAt) {
    }

    UUID open(long accountId, String ip, String userAgent) {
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO sessions (id, account_id, created_at, last_used_at, expires_at, ip, user_agent)
                VALUES (:id, :account, :now, :now, :expires, :ip, :agent)
                """)
                .param("id", id).param("account", accountId).param("now", utc(now))
                .param("expires", utc(now.plus(lifetime))).param("ip", ip)
                .param("agent", userAgent == null ? null : userAgent.substring(0, Math.min(userAgent.length(), 512)))
                .update();
        return id;
    }

    /** The account behind a live session, or empty when the session ended, expired or never existed. */
    Optional<CurrentAccount> resolve(UUID sessionId) {
        Instant now = clock.instant();
        LiveSession cached = live.getIfPresent(sessionId);
        if (cached == null) {
            cached = load(sessionId).orElse(null);
            if (cached == null) {
                return Optional.empty();
            }
            live.put(sessionId, cached);
        }
        return cached.expiresAt().isAfter(now) ? Optional.of(cached.account()) : Optional.empty();
    }

    void end(UUID sessionId, String reason) {
        jdbc.sql("UPDATE sessions SET revoked_at = :now, revoked_reason = :reason WHERE id = :id AND revoked_at IS NULL")
                .param("now", utc(clock.instant())).param("reason", reason).param("id", sessionId).update();
        announce("s:" + sessionId);
    }

    /** Ends every session of the account, except {@code keep} when given. */
    void endAllOf(long accountId, UUID keep, String reason) {
        jdbc.sql("""
                UPDATE sessions SET revoked_at = :now, revoked_reason = :reason
                WHERE account_id = :account AND revoked_at IS NULL AND id IS DISTINCT FROM :keep
                """)
                .param("now", utc(clock.instant())).param("reason", reason).param("account", accountId)
                .param("keep", keep).update();
        announce("a:" + accountId + (keep == null ? "" : ":" + keep));
    }

    /** Drops cached sessions of an account whose role or state changed, so the next request reloads them. */
    void forgetAccount(long accountId) {
        announce("a:" + accountId);
    }

    /** Applies an invalidation message, from this instance or another. */
    void evict(String message) {
        String[] parts = message.split(":");
        if (parts[0].equals("s") && parts.length == 2) {
            live.invalidate(UUID.fromString(parts[1]));
        }
        else if (parts[0].equals("a") && parts.length >= 2) {
            long accountId = Long.parseLong(parts[1]);
            UUID keep = parts.length == 3 ? UUID.fromString(parts[2]) : null;
            live.asMap().entrySet().removeIf(entry -> entry.getValue().account().id() == accountId
                    && !entry.getKey().equals(keep));
        }
    }

    void evictAll() {
        live.invalidateAll();
    }

    /**
     * Tells every instance, this one included, to evict. The local eviction runs after commit so that a
     * concurrent request cannot re-cache the old state; the NOTIFY is delivered by PostgreSQL at commit.
     */
    private void announce(String message) {
        jdbc.sql("SELECT pg_notify(:channel, :message)").param("channel", CHANNEL).param("message", message)
                .query().singleRow();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    evict(message);
                }
            });
        }
        else {
            evict(message);
        }
    }

    private Optional<LiveSession> load(UUID sessionId) {
        return jdbc.sql("""
                SELECT s.expires_at, a.id, a.public_id, a.frozen, t.name AS role
                FROM sessions s
                JOIN accounts a ON a.id = s.account_id
                JOIN user_types t ON t.id = a.user_type_id
                WHERE s.id = :id AND s.revoked_at IS NULL AND a.is_active
                """)
                .param("id", sessionId)
                .query((rs, row) -> new LiveSession(new CurrentAccount(rs.getLong("id"), rs.getString("public_id"),
                        sessionId, rs.getString("role"), rs.getBoolean("frozen")), instant(rs, "expires_at")))
                .optional();
    }
}
