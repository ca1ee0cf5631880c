package dev.kapi.identity.secondfactor;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;

import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.passkey.Passkeys;
import dev.kapi.identity.signin.Amr;
import dev.kapi.identity.signin.LoginThrottle;
import dev.kapi.identity.signin.PasswordLogin;
import dev.kapi.shared.ApiException;

/**
 * The second step of a sign-in: the {@code mfa_token} of a right password and a TOTP
 * code, a recovery code or a passkey. Every try claims one of the account's lockout tries
 * first, as a password does; the count the password step left is cleared only by success
 * here, so a known password does not buy endless guesses at codes.
 */
@Service
public class SecondFactorLogin {

    private final SecondFactors factors;

    private final Passkeys passkeys;

    private final Accounts accounts;

    private final LoginThrottle throttle;

    private final PasswordLogin login;

    private final AuditLog audit;

    SecondFactorLogin(SecondFactors factors, Passkeys passkeys, Accounts accounts, LoginThrottle throttle,
            PasswordLogin login, AuditLog audit) {
        this.factors = factors;
        this.passkeys = passkeys;
        this.accounts = accounts;
        this.throttle = throttle;
        this.login = login;
        this.audit = audit;
    }

    /** Exactly one of: a TOTP code, a recovery code, a passkey's ceremony and answer. */
    public record Proof(String code, String recoveryCode, UUID ceremonyId, JsonNode credential) {

        String method() {
            return code != null ? SecondFactors.TOTP
                    : recoveryCode != null ? SecondFactors.RECOVERY_CODE : SecondFactors.PASSKEY;
        }

        String field() {
            return code != null ? "code" : recoveryCode != null ? "recovery_code" : "passkey";
        }
    }

    PasswordLogin.SignedIn finish(String mfaToken, Proof proof, String ip, String userAgent) {
        return (PasswordLogin.SignedIn) finish(mfaToken, proof, new PasswordLogin.Finish.Tokens(ip, userAgent));
    }

    /**
     * The second step, ending as {@code finish} says (tokens, a new session or the same
     * session proved again).
     */
    public PasswordLogin.Outcome finish(String mfaToken, Proof proof, PasswordLogin.Finish finish) {
        int given = (proof.code() != null ? 1 : 0) + (proof.recoveryCode() != null ? 1 : 0)
                + (proof.ceremonyId() != null ? 1 : 0);
        if (given != 1) {
            throw ApiException.invalidField(proof.code() == null ? "code" : "recovery_code",
                    "mfa-code-or-recovery-code");
        }
        String code = proof.code();
        String recoveryCode = proof.recoveryCode();
        Account account = factors.challenged(mfaToken)
            .flatMap(accounts::byId)
            .filter(Account::active)
            .orElseThrow(() -> ApiException.unauthorized("mfa-token-invalid"));
        LoginThrottle.Attempt attempt = throttle.claim(account.id(), null,
                new LoginThrottle.Entry(AuditType.LOGIN_REFUSED_LOCKED, null, "second-factor"));
        String method = proof.method();
        String second = switch (method) {
            case SecondFactors.TOTP -> factors.verifyTotp(account.id(), code) ? Amr.ONE_TIME_CODE : null;
            case SecondFactors.RECOVERY_CODE ->
                factors.useRecoveryCode(account.id(), recoveryCode) ? Amr.ONE_TIME_CODE : null;
            default -> passkeyProof(account.id(), proof);
        };
        if (second == null) {
            throttle.failed(attempt,
                    new LoginThrottle.Entry(AuditType.LOGIN_SECOND_FACTOR_FAILED, null, "method=" + method));
            throw ApiException.invalidField(proof.field(), "mfa-code-invalid");
        }
        String first = factors.consumeChallenge(mfaToken)
            .orElseThrow(() -> ApiException.unauthorized("mfa-token-invalid"));
        return login.finish(account, method, List.of(first, second), finish, () -> {
            if (recoveryCode != null) {
                audit.record(AuditType.MFA_RECOVERY_CODE_USED, account.id(), account.id(), null);
            }
        });
    }

    /**
     * {@code hwk} or {@code swk} for one of the account's passkeys, null for anything
     * else.
     */
    private String passkeyProof(long accountId, Proof proof) {
        try {
            Passkeys.Assertion assertion = passkeys.finishSignIn(proof.ceremonyId(), proof.credential(), accountId);
            return assertion.accountId() == accountId ? Amr.passkey(assertion.userVerified()) : null;
        }
        catch (ApiException ex) {
            return null;
        }
    }

}
