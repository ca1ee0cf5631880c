package dev.kapi.identity.passkey;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;

import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.signin.Amr;
import dev.kapi.identity.signin.LoginThrottle;
import dev.kapi.identity.signin.PasswordLogin;
import dev.kapi.shared.ApiException;

/**
 * Signing in with a passkey alone: a discoverable credential names its account, and user
 * verification on the authenticator (the UV flag of its signed data) stands for the other
 * factor, so no second step follows. An assertion without it is possession alone and
 * signs nobody in: 400 {@code passkey-user-verification-required}. A locked account stays
 * locked. The API's route ends it with tokens, the hosted sign-in page with a session of
 * its cookie.
 */
@Service
public class PasskeySignIn {

    private final Passkeys passkeys;

    private final SecondFactors factors;

    private final Accounts accounts;

    private final LoginThrottle throttle;

    private final PasswordLogin login;

    PasskeySignIn(Passkeys passkeys, SecondFactors factors, Accounts accounts, LoginThrottle throttle,
            PasswordLogin login) {
        this.passkeys = passkeys;
        this.factors = factors;
        this.accounts = accounts;
        this.throttle = throttle;
        this.login = login;
    }

    /**
     * Options for any passkey, or, with a sign-in's mfa_token, for one of that account's.
     */
    Passkeys.Ceremony options(String mfaToken) {
        if (mfaToken == null) {
            return passkeys.startSignIn(null);
        }
        long accountId = factors.challenged(mfaToken).orElseThrow(() -> ApiException.unauthorized("mfa-token-invalid"));
        return passkeys.startSignIn(accountId);
    }

    PasswordLogin.SignedIn signIn(UUID ceremonyId, JsonNode credential, String ip, String userAgent) {
        return (PasswordLogin.SignedIn) signIn(ceremonyId, credential, new PasswordLogin.Finish.Tokens(ip, userAgent));
    }

    /**
     * Signs in with the assertion of an options' ceremony for any passkey, ending as
     * {@code finish} says (tokens, a new session, or the same session proved again, whose
     * owner the passkey must then be). The session's {@code amr} is {@code hwk}.
     */
    public PasswordLogin.Outcome signIn(UUID ceremonyId, JsonNode credential, PasswordLogin.Finish finish) {
        Passkeys.Assertion assertion = passkeys.finishSignIn(ceremonyId, credential, null);
        if (!assertion.userVerified()) {
            throw ApiException.invalidField("credential", "passkey-user-verification-required");
        }
        long accountId = assertion.accountId();
        Account account = accounts.byId(accountId)
            .filter(Account::active)
            .orElseThrow(() -> ApiException.unauthorized("account-inactive"));
        throttle.claim(accountId, null, new LoginThrottle.Entry(AuditType.LOGIN_REFUSED_LOCKED, null, "passkey"));
        return login.finish(account, SecondFactors.PASSKEY, List.of(Amr.HARDWARE_KEY), finish, () -> {
        });
    }

}
