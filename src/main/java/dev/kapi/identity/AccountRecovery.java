package dev.kapi.identity;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.shared.ApiException;

/**
 * Proving an email address and getting back into an account: confirming the mailed verification token,
 * asking for a reset mail (the same answer whether or not the address has an account) and setting a new
 * password with the mailed reset token.
 */
@Service
class AccountRecovery {

    private final Accounts accounts;
    private final OneTimeTokens tokens;
    private final Sessions sessions;
    private final PasswordHashing hashing;
    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final TransactionOperations transactions;
    private final Clock clock;

    AccountRecovery(Accounts accounts, OneTimeTokens tokens, Sessions sessions, PasswordHashing hashing,
            LoginThrottle throttle, AuditLog audit, ApplicationEventPublisher events,
            TransactionOperations transactions, Clock clock) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.sessions = sessions;
        this.hashing = hashing;
        this.throttle = throttle;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    void verifyEmail(String token) {
        transactions.executeWithoutResult(status -> {
            long accountId = tokens.consume(token, OneTimeTokens.VERIFY_EMAIL)
                    .orElseThrow(() -> ApiException.invalidField("token", "token-invalid"));
            accounts.markEmailVerified(accountId, clock.instant());
            audit.record("email-verified", accountId, accountId, null);
        });
    }

    /** Publishes a reset request for an existing, active account; does nothing visible otherwise. */
    void forgotPassword(String email) {
        transactions.executeWithoutResult(status -> accounts.byLogin(AccountManagement.normalizeEmail(email))
                .filter(account -> account.email().equals(AccountManagement.normalizeEmail(email)))
                .filter(Account::active)
                // One mail a minute per account, so the route cannot be used to flood a mailbox.
                .filter(account -> !audit.recorded("password-reset-requested", account.id(),
                        clock.instant().minus(Duration.ofMinutes(1))))
                .ifPresent(account -> {
                    audit.record("password-reset-requested", null, account.id(), null);
                    events.publishEvent(new AccountMails.PasswordResetRequested(account.id()));
                }));
    }

    /**
     * Sets the new password, ends every session and clears a lockout. A made-up token is refused before
     * the new password is hashed, so the route costs a hash only to someone holding a mailed token.
     */
    void resetPassword(String token, String newPassword) {
        if (!tokens.live(token, OneTimeTokens.RESET_PASSWORD)) {
            throw ApiException.invalidField("token", "token-invalid");
        }
        String hash = hashing.hash(newPassword);
        transactions.executeWithoutResult(status -> {
            long accountId = tokens.consume(token, OneTimeTokens.RESET_PASSWORD)
                    .orElseThrow(() -> ApiException.invalidField("token", "token-invalid"));
            accounts.changePassword(accountId, hash, clock.instant());
            sessions.endAllOf(accountId, null, "password-reset");
            throttle.clear(LoginThrottle.forAccount(accountId));
            audit.record("password-reset", accountId, accountId, null);
        });
    }
}
