package dev.kapi.identity.signin;

import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

import tools.jackson.databind.JsonNode;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.passkey.Passkeys;
import dev.kapi.identity.password.PasswordHashing;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.session.Sessions;
import dev.kapi.shared.ApiException;

/**
 * {@code POST /auth/reauthenticate}: the owner of a session proves themselves again, so
 * that its {@code auth_time} is now and the changes {@link RecentAuthentication} guards
 * are open for a while. An account without a second factor re-proves with its password;
 * one with a second factor with that factor: a TOTP code or one of its passkeys
 * ({@code hwk} when the authenticator verified its user, else {@code swk}). Each try
 * claims one of the account's lockout tries, as a sign-in does, so a stolen token cannot
 * guess for ever.
 */
@Service
class Reauthentication {

    private final Accounts accounts;

    private final PasswordHashing hashing;

    private final SecondFactors factors;

    private final Passkeys passkeys;

    private final LoginThrottle throttle;

    private final Sessions sessions;

    private final AuditLog audit;

    private final TransactionOperations transactions;

    Reauthentication(Accounts accounts, PasswordHashing hashing, SecondFactors factors, Passkeys passkeys,
            LoginThrottle throttle, Sessions sessions, AuditLog audit, TransactionOperations transactions) {
        this.accounts = accounts;
        this.hashing = hashing;
        this.factors = factors;
        this.passkeys = passkeys;
        this.throttle = throttle;
        this.sessions = sessions;
        this.audit = audit;
        this.transactions = transactions;
    }

    /** Exactly one of: the password, a TOTP code, a passkey's ceremony and answer. */
    record Proof(String password, String code, UUID ceremonyId, JsonNode credential) {

        String field() {
            return password != null ? "password" : code != null ? "code" : "credential";
        }
    }

    /** Options for one of the caller's passkeys (user verification preferred). */
    Passkeys.Ceremony passkeyOptions(CurrentAccount me) {
        sessionOf(me);
        if (!passkeys.any(me.id())) {
            throw ApiException.notFound("passkey-not-found");
        }
        return passkeys.startSignIn(me.id());
    }

    Sessions.Proof reauthenticate(CurrentAccount me, Proof proof) {
        UUID sessionId = sessionOf(me);
        int given = (proof.password() != null ? 1 : 0) + (proof.code() != null ? 1 : 0)
                + (proof.ceremonyId() != null || proof.credential() != null ? 1 : 0);
        if (given != 1) {
            throw ApiException.invalidField("password", "reauthentication-proof-required");
        }
        if (proof.ceremonyId() != null && proof.credential() == null) {
            throw ApiException.invalidField("credential", "passkey-invalid");
        }
        Account account = accounts.byId(me.id())
            .filter(Account::active)
            .orElseThrow(() -> ApiException.unauthorized("account-inactive"));
        List<String> methods = factors.methodsOf(account.id());
        if (proof.password() != null && !methods.isEmpty()) {
            // Nothing is guessed here, so no try is claimed: the password alone is not
            // enough for this account.
            throw ApiException.invalidField("password", "reauthentication-second-factor-required");
        }
        LoginThrottle.Attempt attempt = throttle.claim(account.id(), null,
                new LoginThrottle.Entry(AuditType.REAUTHENTICATION_REFUSED_LOCKED, me.id(), null));
        String amr = proved(account, proof);
        if (amr == null) {
            throttle.failed(attempt,
                    new LoginThrottle.Entry(AuditType.REAUTHENTICATION_FAILED, me.id(), "field=" + proof.field()));
            throw ApiException.invalidField(proof.field(), switch (proof.field()) {
                case "password" -> "current-password-wrong";
                case "code" -> "mfa-code-invalid";
                default -> "passkey-invalid";
            });
        }
        List<String> amrs = List.of(amr);
        transactions.executeWithoutResult(status -> {
            throttle.clear(attempt);
            if (!sessions.reauthenticated(me.id(), sessionId, amrs)) {
                throw ApiException.unauthorized("unauthorized");
            }
            audit.record(AuditType.REAUTHENTICATED, me.id(), me.id(), "session=" + sessionId + ";amr=" + amr);
        });
        return sessions.proof(sessionId).orElseThrow(() -> ApiException.unauthorized("unauthorized"));
    }

    /** The amr value of a right proof, or null when it is wrong. */
    private String proved(Account account, Proof proof) {
        if (proof.password() != null) {
            if (!hashing.matches(proof.password(), account.passwordHash())) {
                return null;
            }
            // An imported hash is replaced here too: whichever sign-in checks it first.
            if (hashing.needsUpgrade(account.passwordHash())) {
                accounts.rehash(account.id(), hashing.hash(proof.password()));
            }
            return Amr.PASSWORD;
        }
        if (proof.code() != null) {
            return factors.verifyTotp(account.id(), proof.code()) ? Amr.ONE_TIME_CODE : null;
        }
        try {
            Passkeys.Assertion assertion = passkeys.finishSignIn(proof.ceremonyId(), proof.credential(), account.id());
            return Amr.passkey(assertion.userVerified());
        }
        catch (ApiException ex) {
            return null;
        }
    }

    private static UUID sessionOf(CurrentAccount me) {
        if (me.sessionId() == null) {
            throw ApiException.forbidden("service-key-not-allowed");
        }
        return me.sessionId();
    }

}
