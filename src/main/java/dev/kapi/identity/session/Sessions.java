package dev.kapi.identity.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.IdentitySettings;
import dev.kapi.identity.SessionRevoked;
import dev.kapi.shared.cluster.ClusterMessages;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * Server-side sessions, the thing every access and refresh token is bound to. A session
 * ends when it is revoked, unused for the idle timeout, or older than its absolute
 * lifetime. Live sessions are cached in process so that checking a token costs no query;
 * ending one updates its row and sends a PostgreSQL {@code NOTIFY}, on which every
 * instance evicts it ({@code sessions} topic of {@link ClusterMessages}). Use slides the
 * idle timeout, written at most once per {@link #TOUCH_INTERVAL}.
 */
@Component
public class Sessions implements SmartInitializingSingleton {

    private static final String TOPIC = "sessions";

    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final JdbcClient jdbc;

    private final Clock clock;

    private final IdentitySettings.SessionRules rules;

    private final ApplicationEventPublisher events;

    private final ClusterMessages cluster;

    private final Cache<UUID, LiveSession> live = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterWrite(Duration.ofMinutes(10))
        .build();

    Sessions(JdbcClient jdbc, Clock clock, IdentitySettings settings, ApplicationEventPublisher events,
            ClusterMessages cluster) {
        this.jdbc = jdbc;
        this.cluster = cluster;
        this.clock = clock;
        this.rules = settings.session();
        this.events = events;
    }

    /**
     * A session that may be used, with what a request needs to know of its account and
     * its last proof.
     */
    record LiveSession(CurrentAccount account, Instant lastUsedAt, Instant expiresAt, Proof proof) {
    }

    /**
     * When the session's owner last proved themselves ({@code auth_time}) and with which
     * methods ({@code amr}, RFC 8176: {@code pwd}, {@code otp}, {@code hwk}, {@code swk},
     * {@code email}).
     */
    public record Proof(Instant authTime, List<String> amr) {

        static Proof of(Instant authTime, String amr) {
            return new Proof(authTime, amr.isBlank() ? List.of() : List.of(amr.split(" ")));
        }
    }

    /** One of the caller's sessions, for the session list. */
    public record SessionView(UUID id, long accountId, Instant createdAt, Instant lastUsedAt, Instant expiresAt,
            String ip, String userAgent) {
    }

    /**
     * Told, on every instance, when sessions ended: one ({@code sessionId}) or all of an
     * account but {@code kept}.
     */
    record Ended(long accountId, UUID sessionId, UUID kept, String reason) {

        boolean covers(UUID session, long account) {
            return accountId == account && (sessionId != null ? sessionId.equals(session) : !session.equals(kept));
        }
    }

    /**
     * Opens a session whose owner just proved themselves with the methods {@code amr}.
     */
    public UUID open(long accountId, List<String> amr, String ip, String userAgent) {
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO sessions (id, account_id, created_at, last_used_at, expires_at, ip, user_agent,
                                      auth_time, amr)
                VALUES (:id, :account, :now, :now, :expires, :ip, :agent, :now, :amr)
                """)
            .param("id", id)
            .param("account", accountId)
            .param("now", utc(now))
            .param("amr", String.join(" ", amr))
            .param("expires", utc(now.plus(rules.absoluteLifetime())))
            .param("ip", ip)
            .param("agent", userAgent == null ? null : userAgent.substring(0, Math.min(userAgent.length(), 512)))
            .update();
        return id;
    }

    /**
     * The account behind a live session, or empty when the session ended, expired or
     * never existed. Using it slides its idle timeout.
     */
    public Optional<CurrentAccount> resolve(UUID sessionId) {
        Instant now = clock.instant();
        // Loaded atomically: an eviction that races the load wins, so an ended session is
        // never re-cached.
        LiveSession session = live.get(sessionId, id -> load(id).orElse(null));
        if (session != null && idle(session, now)) {
            // Another instance may have used the session since this one cached it.
            live.invalidate(sessionId);
            session = live.get(sessionId, id -> load(id).orElse(null));
        }
        if (session == null) {
            return Optional.empty();
        }
        if (!now.isBefore(session.expiresAt()) || idle(session, now)) {
            return Optional.empty();
        }
        if (!now.isBefore(session.lastUsedAt().plus(TOUCH_INTERVAL))) {
            // The touch doubles as a check: a session ended meanwhile is dropped here at
            // the latest.
            int touched = jdbc
                .sql("UPDATE sessions SET last_used_at = greatest(last_used_at, :now) "
                        + "WHERE id = :id AND revoked_at IS NULL")
                .param("now", utc(now))
                .param("id", sessionId)
                .update();
            if (touched == 0) {
                live.invalidate(sessionId);
                return Optional.empty();
            }
            live.put(sessionId, new LiveSession(session.account(), now, session.expiresAt(), session.proof()));
        }
        return Optional.of(session.account());
    }

    /** The last proof of a live session's owner; empty when the session ended. */
    public Optional<Proof> proof(UUID sessionId) {
        if (resolve(sessionId).isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(live.get(sessionId, id -> load(id).orElse(null))).map(LiveSession::proof);
    }

    /**
     * The owner proved themselves again in this session: its {@code auth_time} becomes
     * now and its {@code amr} the methods of this proof. Every instance reloads the
     * account's sessions.
     */
    public boolean reauthenticated(long accountId, UUID sessionId, List<String> amr) {
        int updated = jdbc.sql("""
                UPDATE sessions SET auth_time = :now, amr = :amr
                WHERE id = :id AND account_id = :account AND revoked_at IS NULL
                """)
            .param("now", utc(clock.instant()))
            .param("amr", String.join(" ", amr))
            .param("id", sessionId)
            .param("account", accountId)
            .update();
        live.invalidate(sessionId);
        forgetAccount(accountId);
        return updated > 0;
    }

    /**
     * Points the browser's single sign-on cookie at this session: {@code tokenHash} is
     * the SHA-256 of the cookie's value. False when the session is no longer live.
     */
    public boolean attachSsoToken(UUID sessionId, byte[] tokenHash) {
        return jdbc.sql("UPDATE sessions SET sso_token_hash = :hash WHERE id = :id AND revoked_at IS NULL")
            .param("hash", tokenHash)
            .param("id", sessionId)
            .update() > 0;
    }

    /**
     * The session a single sign-on cookie points to, by the SHA-256 of its value, whether
     * or not it still lives: {@link #resolve} says that.
     */
    public Optional<UUID> bySsoToken(byte[] tokenHash) {
        return jdbc.sql("SELECT id FROM sessions WHERE sso_token_hash = :hash")
            .param("hash", tokenHash)
            .query(UUID.class)
            .optional();
    }

    public List<SessionView> liveSessionsOf(long accountId) {
        return liveSessions("s.account_id = :key", accountId);
    }

    public Optional<SessionView> liveSession(UUID sessionId) {
        return liveSessions("s.id = :key", sessionId).stream().findFirst();
    }

    private List<SessionView> liveSessions(String condition, Object key) {
        Instant now = clock.instant();
        return jdbc
            .sql("SELECT s.* FROM sessions s WHERE " + condition
                    + " AND s.revoked_at IS NULL AND s.expires_at > :now AND s.last_used_at > :idleSince"
                    + " ORDER BY s.last_used_at DESC")
            .param("key", key)
            .param("now", utc(now))
            .param("idleSince", utc(now.minus(rules.idleTimeout())))
            .query((rs, row) -> new SessionView(rs.getObject("id", UUID.class), rs.getLong("account_id"),
                    instant(rs, "created_at"), instant(rs, "last_used_at"), instant(rs, "expires_at"),
                    rs.getString("ip"), rs.getString("user_agent")))
            .list();
    }

    /**
     * Ends one session of the account; false when the account has no such live session.
     */
    public boolean end(long accountId, UUID sessionId, String reason) {
        int ended = jdbc.sql("""
                UPDATE sessions SET revoked_at = :now, revoked_reason = :reason
                WHERE id = :id AND account_id = :account AND revoked_at IS NULL
                """)
            .param("now", utc(clock.instant()))
            .param("reason", reason)
            .param("id", sessionId)
            .param("account", accountId)
            .update();
        if (ended > 0) {
            announce(new Ended(accountId, sessionId, null, reason));
        }
        return ended > 0;
    }

    /** Ends every session of the account, except {@code keep} when given. */
    public void endAllOf(long accountId, UUID keep, String reason) {
        jdbc.sql("""
                UPDATE sessions SET revoked_at = :now, revoked_reason = :reason
                WHERE account_id = :account AND revoked_at IS NULL AND id IS DISTINCT FROM :keep
                """)
            .param("now", utc(clock.instant()))
            .param("reason", reason)
            .param("account", accountId)
            .param("keep", keep)
            .update();
        announce(new Ended(accountId, null, keep, reason));
    }

    /**
     * Drops cached sessions of an account whose role or state changed, so the next
     * request reloads them.
     */
    public void forgetAccount(long accountId) {
        cluster.publish(TOPIC, "forget:" + accountId);
    }

    @Override
    public void afterSingletonsInstantiated() {
        cluster.subscribe(TOPIC, this::apply, this::evictAll);
    }

    /** Applies an invalidation message, from this instance or another. */
    private void apply(String message) {
        String[] parts = message.split(":", 5);
        switch (parts[0]) {
            case "forget" -> forget(Long.parseLong(parts[1]));
            case "end" -> evict(new Ended(Long.parseLong(parts[1]), uuid(parts[2]), uuid(parts[3]), parts[4]));
            default -> evictAll();
        }
    }

    private void evictAll() {
        live.invalidateAll();
    }

    private void evict(Ended ended) {
        live.asMap().entrySet().removeIf(entry -> ended.covers(entry.getKey(), entry.getValue().account().id()));
        events.publishEvent(ended);
    }

    private void forget(long accountId) {
        live.asMap().values().removeIf(session -> session.account().id() == accountId);
    }

    private void announce(Ended ended) {
        events.publishEvent(new SessionRevoked(ended.accountId(), ended.sessionId(), ended.reason()));
        cluster.publish(TOPIC, "end:" + ended.accountId() + ":" + text(ended.sessionId()) + ":" + text(ended.kept())
                + ":" + ended.reason());
    }

    private boolean idle(LiveSession session, Instant now) {
        return !now.isBefore(session.lastUsedAt().plus(rules.idleTimeout()));
    }

    private Optional<LiveSession> load(UUID sessionId) {
        return jdbc.sql("""
                SELECT s.last_used_at, s.expires_at, s.auth_time, s.amr, a.id, a.public_id, a.frozen, t.name AS role
                FROM sessions s
                JOIN accounts a ON a.id = s.account_id
                JOIN user_types t ON t.id = a.user_type_id
                WHERE s.id = :id AND s.revoked_at IS NULL AND a.is_active
                """)
            .param("id", sessionId)
            .query((rs, row) -> new LiveSession(
                    new CurrentAccount(rs.getLong("id"), rs.getString("public_id"), sessionId, rs.getString("role"),
                            rs.getBoolean("frozen")),
                    instant(rs, "last_used_at"), instant(rs, "expires_at"),
                    Proof.of(instant(rs, "auth_time"), rs.getString("amr"))))
            .optional();
    }

    private static String text(UUID id) {
        return id == null ? "-" : id.toString();
    }

    private static UUID uuid(String text) {
        return "-".equals(text) ? null : UUID.fromString(text);
    }

}
