package dev.kapi.identity.magiclink;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.AccountManagement;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.recovery.AddressClaims;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.signin.Amr;
import dev.kapi.identity.signin.LoginThrottle;
import dev.kapi.identity.signin.PasswordLogin;
import dev.kapi.shared.ApiException;

/**
 * Signing in with a mailed link or code instead of a password. Codes are guessable, so
 * each try by email and code claims a lockout try as a password does (an unknown address
 * too, to answer alike). A mailed proof stands for the password only: an account with a
 * second factor still gets the second step. Following the link or code also proves the
 * address; on an account whose address was unverified that ends what the account allowed
 * before (a squatter may have registered the address with a password of their choosing):
 * every earlier session, the password and the second factors set before are gone, and the
 * answer says {@code password_reset_required}.
 */
@Service
public class MagicLinkSignIn {

    private final MagicLinks links;

    private final Accounts accounts;

    private final LoginThrottle throttle;

    private final SecondFactors factors;

    private final AddressClaims claims;

    private final PasswordLogin login;

    private final AuditLog audit;

    private final TransactionOperations transactions;

    MagicLinkSignIn(MagicLinks links, Accounts accounts, LoginThrottle throttle, SecondFactors factors,
            AddressClaims claims, PasswordLogin login, AuditLog audit, TransactionOperations transactions) {
        this.claims = claims;
        this.links = links;
        this.accounts = accounts;
        this.throttle = throttle;
        this.factors = factors;
        this.login = login;
        this.audit = audit;
        this.transactions = transactions;
    }

    PasswordLogin.Outcome withToken(String token, String ip, String userAgent) {
        Account account = links.useLink(token)
            .flatMap(accounts::byId)
            .filter(Account::active)
            .orElseThrow(() -> ApiException.invalidField("token", "token-invalid"));
        return signIn(account, new PasswordLogin.Finish.Tokens(ip, userAgent), Optional.empty());
    }

    PasswordLogin.Outcome withCode(String email, String code, String ip, String userAgent) {
        return withCode(email, code, new PasswordLogin.Finish.Tokens(ip, userAgent));
    }

    /**
     * Signs in with the mailed code, ending as {@code finish} says (the hosted page opens
     * a session without tokens).
     */
    public PasswordLogin.Outcome withCode(String email, String code, PasswordLogin.Finish finish) {
        String address = AccountManagement.normalizeEmail(email);
        Optional<Account> found = accounts.byLogin(address).filter(account -> account.email().equals(address));
        Long accountId = found.map(Account::id).orElse(null);
        LoginThrottle.Attempt attempt = throttle.claim(accountId, address,
                new LoginThrottle.Entry(AuditType.LOGIN_REFUSED_LOCKED, null, "magic-code"));
        if (found.isEmpty() || !links.useCode(accountId, code)) {
            throttle.failed(attempt, new LoginThrottle.Entry(AuditType.MAGIC_CODE_FAILED, null,
                    accountId == null ? "unknown-login" : null));
            throw ApiException.invalidField("code", "magic-code-invalid");
        }
        Account account = found.get();
        if (!account.active()) {
            throttle.clear(attempt);
            throw ApiException.unauthorized("account-inactive");
        }
        return signIn(account, finish, Optional.of(attempt));
    }

    private PasswordLogin.Outcome signIn(Account account, PasswordLogin.Finish finish,
            Optional<LoginThrottle.Attempt> attempt) {
        boolean claimed = !account.emailVerified();
        if (claimed) {
            transactions.executeWithoutResult(status -> claims.claim(account.id(), true));
        }
        List<String> methods = factors.methodsOf(account.id());
        if (!methods.isEmpty()) {
            return transactions.execute(status -> {
                attempt.ifPresent(throttle::release);
                audit.record(AuditType.LOGIN_SECOND_FACTOR_REQUIRED, account.id(), account.id(), "method=magic-link");
                return new PasswordLogin.SecondFactorRequired(factors.challenge(account.id(), Amr.EMAIL), methods);
            });
        }
        PasswordLogin.Outcome outcome = login.finish(account, "magic-link", List.of(Amr.EMAIL), finish, () -> {
        });
        return outcome instanceof PasswordLogin.SignedIn signedIn ? signedIn.requiringPasswordReset(claimed) : outcome;
    }

}
