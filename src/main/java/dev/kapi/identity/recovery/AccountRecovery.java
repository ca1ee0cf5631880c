package dev.kapi.identity.recovery;

import java.time.Clock;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.password.PasswordHashing;
import dev.kapi.identity.session.Sessions;
import dev.kapi.identity.signin.LoginThrottle;
import dev.kapi.shared.ApiException;

/**
 * Proving an email address and getting back into an account: confirming the mailed
 * verification token, asking for the verification mail again or for a reset mail (the
 * same answer, and the same work in the request, whether or not the address has an
 * account) and setting a new password with the mailed reset token.
 */
@Service
public class AccountRecovery {

    private final Accounts accounts;

    private final OneTimeTokens tokens;

    private final Sessions sessions;

    private final PasswordHashing hashing;

    private final LoginThrottle throttle;

    private final AuditLog audit;

    private final AddressRequests requests;

    private final AddressClaims claims;

    private final TransactionOperations transactions;

    private final Clock clock;

    AccountRecovery(Accounts accounts, OneTimeTokens tokens, Sessions sessions, PasswordHashing hashing,
            LoginThrottle throttle, AuditLog audit, AddressRequests requests, AddressClaims claims,
            TransactionOperations transactions, Clock clock) {
        this.claims = claims;
        this.accounts = accounts;
        this.tokens = tokens;
        this.sessions = sessions;
        this.hashing = hashing;
        this.throttle = throttle;
        this.audit = audit;
        this.requests = requests;
        this.transactions = transactions;
        this.clock = clock;
    }

    public void verifyEmail(String token) {
        transactions.executeWithoutResult(status -> {
            long accountId = tokens.consume(token, OneTimeTokens.VERIFY_EMAIL)
                .orElseThrow(() -> ApiException.invalidField("token", "token-invalid"));
            accounts.markEmailVerified(accountId, clock.instant());
            audit.record(AuditType.EMAIL_VERIFIED, accountId, accountId, null);
        });
    }

    /**
     * Queues a reset mail for the address: the request does the same work whether or not
     * the address has an account, and {@link AddressRequests} mails an existing, active
     * one (at most once a minute) after the answer.
     */
    public void forgotPassword(String email) {
        requests.add(AddressRequests.PASSWORD_RESET, email);
    }

    /**
     * Queues the verification mail again for the address, the same way: it goes out only
     * to an active account whose address is not verified yet.
     */
    public void resendVerification(String email) {
        requests.add(AddressRequests.VERIFICATION, email);
    }

    /**
     * Sets the new password, ends every session and clears a lockout. A made-up token is
     * refused before the new password is hashed, so the route costs a hash only to
     * someone holding a mailed token.
     */
    public void resetPassword(String token, String newPassword) {
        if (!tokens.live(token, OneTimeTokens.RESET_PASSWORD)) {
            throw ApiException.invalidField("token", "token-invalid");
        }
        String hash = hashing.hash(newPassword);
        transactions.executeWithoutResult(status -> {
            long accountId = tokens.consume(token, OneTimeTokens.RESET_PASSWORD)
                .orElseThrow(() -> ApiException.invalidField("token", "token-invalid"));
            // The reset mail proved the address: on an unverified account that claims it
            // (factors set before go).
            if (accounts.byId(accountId).filter(account -> !account.emailVerified()).isPresent()) {
                claims.claim(accountId, false);
            }
            accounts.changePassword(accountId, hash, clock.instant());
            sessions.endAllOf(accountId, null, "password-reset");
            throttle.clear(accountId);
            audit.record(AuditType.PASSWORD_RESET, accountId, accountId, null);
        });
    }

}
