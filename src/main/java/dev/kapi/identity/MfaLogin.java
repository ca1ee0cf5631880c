package dev.kapi.identity;

import java.util.OptionalInt;

import org.springframework.stereotype.Service;

import dev.kapi.shared.ApiException;

/**
 * The second step of a sign-in: the {@code mfa_token} of a right password and a TOTP or recovery code.
 * Every try claims one of the account's lockout tries first, as a password does; the count the password
 * step left is cleared only by success here, so a known password does not buy endless guesses at codes.
 */
@Service
class MfaLogin {

    private final SecondFactors factors;
    private final Accounts accounts;
    private final LoginThrottle throttle;
    private final PasswordLogin login;
    private final AuditLog audit;
    private final long lockMinutes;

    MfaLogin(SecondFactors factors, Accounts accounts, LoginThrottle throttle, PasswordLogin login, AuditLog audit,
            IdentitySettings settings) {
        this.factors = factors;
        this.accounts = accounts;
        this.throttle = throttle;
        this.login = login;
        this.audit = audit;
        this.lockMinutes = settings.lockout().duration().toMinutes();
    }

    PasswordLogin.SignedIn finish(String mfaToken, String code, String recoveryCode, String ip, String userAgent) {
        if ((code == null) == (recoveryCode == null)) {
            throw ApiException.invalidField(code == null ? "code" : "recovery_code", "mfa-code-or-recovery-code");
        }
        Account account = factors.challenged(mfaToken).flatMap(accounts::byId).filter(Account::active)
                .orElseThrow(() -> ApiException.unauthorized("mfa-token-invalid"));
        OptionalInt attempt = throttle.tryClaim(LoginThrottle.forAccount(account.id()));
        if (attempt.isEmpty()) {
            audit.record("login-refused-locked", null, account.id(), "second-factor");
            throw ApiException.unauthorized("account-locked", lockMinutes);
        }
        String method = code != null ? SecondFactors.TOTP : SecondFactors.RECOVERY_CODE;
        boolean right = code != null ? factors.verifyTotp(account.id(), code)
                : factors.useRecoveryCode(account.id(), recoveryCode);
        if (!right) {
            audit.record("login-second-factor-failed", null, account.id(), "method=" + method);
            if (throttle.isLast(attempt.getAsInt())) {
                audit.record("account-locked", null, account.id(), null);
            }
            throw ApiException.invalidField(code != null ? "code" : "recovery_code", "mfa-code-invalid");
        }
        if (!factors.consumeChallenge(mfaToken)) {
            throw ApiException.unauthorized("mfa-token-invalid");
        }
        return login.complete(account, method, ip, userAgent, () -> {
            if (recoveryCode != null) {
                audit.record("mfa-recovery-code-used", account.id(), account.id(), null);
            }
        });
    }
}
