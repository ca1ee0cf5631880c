package dev.kapi.identity;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.shared.ApiException;

/**
 * Signing in with a password. Deliberately not one transaction: the password hash is the slow part and
 * no database connection is held while it runs; what a success writes after it is one transaction. An unknown login costs the same hash as a known one and
 * gets the same answer.
 */
@Service
class PasswordLogin {

    private final Accounts accounts;
    private final LoginThrottle throttle;
    private final PasswordHashing hashing;
    private final Sessions sessions;
    private final AccessTokens tokens;
    private final RefreshTokens refreshTokens;
    private final AuditLog audit;
    private final TransactionOperations transactions;
    private final Clock clock;
    private final long lockMinutes;

    PasswordLogin(Accounts accounts, LoginThrottle throttle, PasswordHashing hashing, Sessions sessions,
            AccessTokens tokens, RefreshTokens refreshTokens, AuditLog audit, IdentitySettings settings, TransactionOperations transactions,
            Clock clock) {
        this.lockMinutes = settings.lockout().duration().toMinutes();
        this.accounts = accounts;
        this.throttle = throttle;
        this.hashing = hashing;
        this.sessions = sessions;
        this.tokens = tokens;
        this.refreshTokens = refreshTokens;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** What a successful sign-in hands out: an access token and the session's first refresh token. */
    record SignedIn(AccessTokens.Issued access, String refreshToken) {
    }

    SignedIn login(String login, String password, String ip, String userAgent) {
        String identifier = login.trim();
        Optional<Account> found = accounts.byLogin(identifier);
        Long accountId = found.map(Account::id).orElse(null);
        String key = found.map(account -> LoginThrottle.forAccount(account.id()))
                .orElseGet(() -> LoginThrottle.forUnknown(identifier));
        OptionalInt attempt = throttle.tryClaim(key);
        if (attempt.isEmpty()) {
            audit.record("login-refused-locked", null, accountId, accountId == null ? "unknown-login" : null);
            throw ApiException.unauthorized("account-locked", lockMinutes);
        }
        if (!hashing.matches(password, found.map(Account::passwordHash).orElse(null))) {
            audit.record("login-failed", null, accountId, accountId == null ? "unknown-login" : null);
            if (throttle.isLast(attempt.getAsInt())) {
                audit.record("account-locked", null, accountId, accountId == null ? "unknown-login" : null);
            }
            throw ApiException.badRequest("invalid-credentials");
        }
        Account account = found.orElseThrow();
        if (!account.active()) {
            throttle.clear(key);
            throw ApiException.unauthorized("account-inactive");
        }
        if (hashing.needsUpgrade(account.passwordHash())) {
            accounts.rehash(account.id(), hashing.hash(password));
        }
        // One transaction for what a success writes: one commit and one cache announcement instead of one
        // of each per statement, and a session is never left without its refresh token or audit entry.
        return transactions.execute(status -> {
            throttle.clear(key);
            accounts.recordLogin(account.id(), clock.instant());
            UUID sessionId = sessions.open(account.id(), ip, userAgent);
            audit.record("login-succeeded", account.id(), account.id(), "session=" + sessionId);
            return new SignedIn(tokens.issue(account.id(), sessionId), refreshTokens.issue(sessionId));
        });
    }
}
