package dev.kapi.identity.signin;

import java.time.Clock;
import java.time.Instant;
import java.util.OptionalInt;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.identity.IdentitySettings;
import dev.kapi.identity.account.AccountCache;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.shared.ApiException;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Brute-force lockout, the one home of every sign-in path's check (password, second
 * factor, passkey, magic code, reauthentication). Each attempt first {@link #claim
 * claims} a numbered try for its identifier in one atomic statement, before any secret is
 * checked; the try that reaches the limit sets the lock, so however many attempts race,
 * at most {@code max-failures} get to a check. A wrong secret is {@link #failed}, a
 * success {@link #clear clears} the count.
 */
@Component
public class LoginThrottle {

    private final JdbcClient jdbc;

    private final Clock clock;

    private final IdentitySettings.Lockout settings;

    private final AccountCache accountCache;

    private final AuditLog audit;

    LoginThrottle(JdbcClient jdbc, Clock clock, IdentitySettings settings, AccountCache accountCache, AuditLog audit) {
        this.jdbc = jdbc;
        this.accountCache = accountCache;
        this.clock = clock;
        this.settings = settings.lockout();
        this.audit = audit;
    }

    /**
     * A claimed try: its identifier's key, the account it counts against (null for a
     * login that names none) and its number since the count last started.
     */
    public record Attempt(String key, Long accountId, int number) {
    }

    /**
     * What the audit says of a refused or failed try: its type, actor and details; the
     * target is the attempt's account.
     */
    public record Entry(AuditType type, Long actorId, String details) {
    }

    /**
     * Claims a try against the account, or against the login when it names none; when the
     * identifier is locked, records the refusal and answers 401 {@code account-locked}
     * with the lock's minutes.
     */
    public Attempt claim(Long accountId, String login, Entry refused) {
        String key = accountId != null ? forAccount(accountId) : forUnknown(login);
        OptionalInt number = tryClaim(key);
        if (number.isEmpty()) {
            audit.record(refused.type(), refused.actorId(), accountId, refused.details());
            throw ApiException.unauthorized("account-locked", settings.duration().toMinutes());
        }
        return new Attempt(key, accountId, number.getAsInt());
    }

    /**
     * A wrong secret: records the failure and, when this try set the lock,
     * {@code account-locked}.
     */
    public void failed(Attempt attempt, Entry failure) {
        audit.record(failure.type(), failure.actorId(), attempt.accountId(), failure.details());
        if (settings.locksAt(attempt.number())) {
            audit.record(AuditType.ACCOUNT_LOCKED, null, attempt.accountId(),
                    attempt.accountId() == null ? "unknown-login" : null);
        }
    }

    /**
     * Gives back a claimed try that was no failure but is not yet a success either (a
     * right secret before its second factor): the count stays, less that try, and a lock
     * only that try set is lifted.
     */
    public void release(Attempt attempt) {
        release(attempt.key(), attempt.number());
    }

    /** A success (or an inactive account): the count starts again. */
    public void clear(Attempt attempt) {
        clear(attempt.key());
    }

    /** Starts the account's count again, as after a successful sign-in or reset. */
    public void clear(long accountId) {
        clear(forAccount(accountId));
    }

    /**
     * Failures of a known account show on its profile, so a change there is a change of
     * the account.
     */
    private void changed(String key) {
        if (key.startsWith("account:")) {
            accountCache.changed(Long.parseLong(key.substring("account:".length())));
        }
    }

    private static String forAccount(long accountId) {
        return "account:" + accountId;
    }

    /** The key a login that names no account counts its tries under. */
    public static String forUnknown(String login) {
        return "login:" + login.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Claims a try: its number since the count last started, or empty when the identifier
     * is locked.
     */
    private OptionalInt tryClaim(String key) {
        Instant now = clock.instant();
        // A count restarts after an expired lock, or when its last failure is older than
        // a lock would last.
        OptionalInt claimed = jdbc.sql("""
                INSERT INTO login_throttle AS t (key, failures, locked_until, updated_at)
                VALUES (:key, 1, CASE WHEN :max <= 1 THEN :lockUntil END, :now)
                ON CONFLICT (key) DO UPDATE SET
                    failures = CASE WHEN t.locked_until IS NOT NULL OR t.updated_at <= :staleBefore
                                    THEN 1 ELSE t.failures + 1 END,
                    locked_until = CASE WHEN (CASE WHEN t.locked_until IS NOT NULL OR t.updated_at <= :staleBefore
                                                   THEN 1 ELSE t.failures + 1 END) >= :max
                                        THEN :lockUntil END,
                    updated_at = :now
                WHERE t.locked_until IS NULL OR t.locked_until <= :now
                RETURNING failures
                """)
            .param("key", key)
            .param("max", settings.maxFailures())
            .param("now", utc(now))
            .param("lockUntil", utc(now.plus(settings.duration())))
            .param("staleBefore", utc(now.minus(settings.duration())))
            .query(Integer.class)
            .optional()
            .map(OptionalInt::of)
            .orElse(OptionalInt.empty());
        if (claimed.isPresent()) {
            changed(key);
        }
        return claimed;
    }

    private void release(String key, int attempt) {
        if (jdbc.sql("""
                UPDATE login_throttle SET failures = failures - 1,
                    locked_until = CASE WHEN failures = :attempt AND failures >= :max THEN NULL ELSE locked_until END
                WHERE key = :key AND failures >= 1
                """).param("key", key).param("attempt", attempt).param("max", settings.maxFailures()).update() > 0) {
            changed(key);
        }
    }

    private void clear(String key) {
        if (jdbc.sql("DELETE FROM login_throttle WHERE key = :key").param("key", key).update() > 0) {
            changed(key);
        }
    }

}
