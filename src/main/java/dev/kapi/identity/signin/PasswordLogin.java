package dev.kapi.identity.signin;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.password.PasswordHashing;
import dev.kapi.identity.password.PasswordScreening;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.session.RefreshTokens;
import dev.kapi.identity.session.Sessions;
import dev.kapi.identity.token.AccessTokens;
import dev.kapi.shared.ApiException;

/**
 * Signing in with a password. Deliberately not one transaction: the password hash is the
 * slow part and no database connection is held while it runs; what a success writes after
 * it is one transaction. An unknown login costs the same hash as a known one and gets the
 * same answer. An account with a second factor gets a challenge instead of tokens
 * ({@link SecondFactorRequired}); its lockout count is not cleared until the second step
 * succeeds, but the right password's own try is given back.
 */
@Service
public class PasswordLogin {

    private final Accounts accounts;

    private final LoginThrottle throttle;

    private final PasswordHashing hashing;

    private final Sessions sessions;

    private final AccessTokens tokens;

    private final RefreshTokens refreshTokens;

    private final AuditLog audit;

    private final TransactionOperations transactions;

    private final Clock clock;

    private final PasswordScreening screening;

    private final SecondFactors factors;

    PasswordLogin(Accounts accounts, LoginThrottle throttle, PasswordHashing hashing, Sessions sessions,
            AccessTokens tokens, RefreshTokens refreshTokens, AuditLog audit, TransactionOperations transactions,
            Clock clock, PasswordScreening screening, SecondFactors factors) {
        this.screening = screening;
        this.factors = factors;
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

    /** What a correct password leads to: tokens, or a second step. */
    public sealed interface Outcome permits SignedIn, SecondFactorRequired, SessionOpened {

    }

    /**
     * How a sign-in whose every step succeeded ends: with {@code /auth} tokens (the API's
     * sign-in routes), with a new session and no tokens (the hosted sign-in page, whose
     * browser holds a cookie instead), or by proving the owner of an existing session
     * again (the hosted page's re-authentication: the session, and so its id, stays).
     */
    public sealed interface Finish permits Finish.Tokens, Finish.NewSession, Finish.SameSession {

        /** Opens a session and answers its token pair. */
        record Tokens(String ip, String userAgent) implements Finish {
        }

        /** Opens a session and answers only its id ({@link SessionOpened}). */
        record NewSession(String ip, String userAgent) implements Finish {
        }

        /**
         * Sets this live session's {@code auth_time} and {@code amr}; the one signing in
         * must be its owner.
         */
        record SameSession(long accountId, UUID sessionId) implements Finish {
        }

    }

    /**
     * A sign-in that ended without tokens: the session it opened or proved again, and
     * whether that session may only enrol a second factor.
     */
    public record SessionOpened(long accountId, UUID sessionId, boolean enrolmentOnly) implements Outcome {
    }

    /**
     * What a successful sign-in hands out: an access token and the session's first
     * refresh token; and whether the account has no password now (its address was proved
     * by mail while unverified, voiding the one set before), so its owner sets one
     * through a reset.
     */
    public record SignedIn(AccessTokens.Issued access, String refreshToken,
            boolean passwordResetRequired) implements Outcome {

        public SignedIn(AccessTokens.Issued access, String refreshToken) {
            this(access, refreshToken, false);
        }

        public SignedIn requiringPasswordReset(boolean required) {
            return new SignedIn(access, refreshToken, required);
        }
    }

    /**
     * The password was right, and the account has a second factor: finish with the token
     * and one of the methods.
     */
    public record SecondFactorRequired(String mfaToken, List<String> methods) implements Outcome {
    }

    public Outcome login(String login, String password, String ip, String userAgent) {
        return login(login, password, new Finish.Tokens(ip, userAgent));
    }

    /**
     * The password step, ending as {@code finish} says when the account has no second
     * factor.
     */
    public Outcome login(String login, String password, Finish finish) {
        String identifier = login.trim();
        Optional<Account> found = accounts.byLogin(identifier);
        Long accountId = found.map(Account::id).orElse(null);
        String details = accountId == null ? "unknown-login" : null;
        LoginThrottle.Attempt attempt = throttle.claim(accountId, identifier,
                new LoginThrottle.Entry(AuditType.LOGIN_REFUSED_LOCKED, null, details));
        if (!hashing.matches(password, found.map(Account::passwordHash).orElse(null))) {
            throttle.failed(attempt, new LoginThrottle.Entry(AuditType.LOGIN_FAILED, null, details));
            throw ApiException.badRequest("invalid-credentials");
        }
        Account account = found.orElseThrow();
        if (!account.active()) {
            throttle.clear(attempt);
            throw ApiException.unauthorized("account-inactive");
        }
        if (hashing.needsUpgrade(account.passwordHash())) {
            accounts.rehash(account.id(), hashing.hash(password));
        }
        // The password still signs in, but its owner is told (password_breached) and the
        // audit trail says so.
        boolean breachedNow = !account.passwordBreached() && screening.breached(password);
        List<String> methods = factors.methodsOf(account.id());
        if (!methods.isEmpty()) {
            return transactions.execute(status -> {
                // Not cleared: a known password must not reset the count that wrong codes
                // add to.
                throttle.release(attempt);
                flagBreached(account, breachedNow);
                audit.record(AuditType.LOGIN_SECOND_FACTOR_REQUIRED, account.id(), account.id(), null);
                return new SecondFactorRequired(factors.challenge(account.id(), Amr.PASSWORD), methods);
            });
        }
        return finish(account, "password", List.of(Amr.PASSWORD), finish, () -> flagBreached(account, breachedNow));
    }

    /**
     * Ends a sign-in whose every step succeeded, by whichever method, as {@code finish}
     * says: {@link #complete} for tokens, else the same writes without tokens, or the
     * proof of an existing session renewed.
     */
    public Outcome finish(Account account, String method, List<String> amr, Finish finish, Runnable alsoWrite) {
        return switch (finish) {
            case Finish.Tokens tokens -> complete(account, method, amr, tokens.ip(), tokens.userAgent(), alsoWrite);
            case Finish.NewSession session -> transactions.execute(status -> {
                Opened opened = open(account, method, amr, session.ip(), session.userAgent(), alsoWrite);
                return new SessionOpened(account.id(), opened.sessionId(), opened.enrolmentOnly());
            });
            case Finish.SameSession same -> transactions.execute(status -> {
                alsoWrite.run();
                throttle.clear(account.id());
                if (same.accountId() != account.id()
                        || !sessions.reauthenticated(account.id(), same.sessionId(), amr)) {
                    throw ApiException.unauthorized("unauthorized");
                }
                audit.record(AuditType.REAUTHENTICATED, account.id(), account.id(),
                        "session=" + same.sessionId() + ";method=" + method + ";amr=" + String.join(" ", amr));
                return new SessionOpened(account.id(), same.sessionId(), factors.enrolmentOnly(same.sessionId()));
            });
        };
    }

    /**
     * Opens the session of a sign-in whose every step succeeded, by whichever method:
     * clears the lockout count, and marks the session enrolment-only when the account's
     * type requires a factor it lacks. The session's {@code auth_time} is now and its
     * {@code amr} the methods of every step ({@link Amr}). One transaction for what a
     * success writes: one commit and one cache announcement instead of one of each per
     * statement, and a session is never left without its refresh token or audit entry.
     */
    public SignedIn complete(Account account, String method, List<String> amr, String ip, String userAgent,
            Runnable alsoWrite) {
        return transactions.execute(status -> {
            Opened opened = open(account, method, amr, ip, userAgent, alsoWrite);
            return new SignedIn(tokens.issue(account.id(), opened.sessionId(), opened.enrolmentOnly()),
                    refreshTokens.issue(opened.sessionId()));
        });
    }

    private record Opened(UUID sessionId, boolean enrolmentOnly) {
    }

    /** What every successful sign-in writes, inside the caller's transaction. */
    private Opened open(Account account, String method, List<String> amr, String ip, String userAgent,
            Runnable alsoWrite) {
        alsoWrite.run();
        throttle.clear(account.id());
        accounts.recordLogin(account.id(), clock.instant());
        UUID sessionId = sessions.open(account.id(), amr, ip, userAgent);
        boolean enrolOnly = factors.mustEnrol(account);
        if (enrolOnly) {
            factors.restrictToEnrolment(account.id(), sessionId);
        }
        audit.record(AuditType.LOGIN_SUCCEEDED, account.id(), account.id(),
                "session=" + sessionId + (method.equals("password") ? "" : ";method=" + method) + ";amr="
                        + String.join(" ", amr) + (enrolOnly ? ";enrolment-only" : ""));
        return new Opened(sessionId, enrolOnly);
    }

    private void flagBreached(Account account, boolean breachedNow) {
        if (breachedNow) {
            accounts.markPasswordBreached(account.id());
            audit.record(AuditType.PASSWORD_BREACHED_AT_LOGIN, account.id(), account.id(), null);
        }
    }

}
