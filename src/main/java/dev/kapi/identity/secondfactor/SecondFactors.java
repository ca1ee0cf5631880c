package dev.kapi.identity.secondfactor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.alert.CredentialAlerts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.passkey.Passkeys;
import dev.kapi.identity.signin.Amr;
import dev.kapi.identity.token.SecretTokens;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.QrSvg;
import dev.kapi.shared.cluster.ClusterMessages;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.qr.QrData;

import static dev.kapi.shared.SqlTime.utc;

/**
 * An account's second factors: enrolling, confirming, disabling a TOTP authenticator and
 * its recovery codes, registering and removing passkeys ({@link Passkeys}); the
 * {@code mfa_token} of a sign-in's second step (single use,
 * {@code kapi.identity.mfa.challenge-lifetime}); and the sessions that may only enrol
 * because the account's user type requires a factor it lacks. That an account has no
 * factor (most accounts, asked at every sign-in) is cached, and so is whether a session
 * may only enrol; adding or removing a factor evicts both on every instance at once
 * ({@code second-factors} topic of {@link ClusterMessages}). Every change of an account's
 * factors needs a recent proof of its owner ({@link RecentAuthentication}).
 */
@Service
public class SecondFactors implements SmartInitializingSingleton {

    static final String TOTP = "totp";
    static final String RECOVERY_CODE = "recovery_code";

    public static final String PASSKEY = "passkey";

    private static final String TOPIC = "second-factors";

    private final JdbcClient jdbc;

    private final TotpAuthenticators totp;

    private final RecoveryCodes recoveryCodes;

    private final Passkeys passkeys;

    private final Accounts accounts;

    private final AuditLog audit;

    private final SecondFactorSettings settings;

    private final Clock clock;

    private final ClusterMessages cluster;

    private final RecentAuthentication recentAuthentication;

    private final ApplicationEventPublisher events;

    /** Accounts known to have no second factor; an entry only ever means "none". */
    private final Cache<Long, Boolean> withoutFactor = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterWrite(Duration.ofMinutes(10))
        .build();

    private final Cache<UUID, Boolean> enrolmentOnly = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterWrite(Duration.ofMinutes(10))
        .build();

    SecondFactors(JdbcClient jdbc, TotpAuthenticators totp, RecoveryCodes recoveryCodes, Passkeys passkeys,
            Accounts accounts, AuditLog audit, SecondFactorSettings settings, Clock clock, ClusterMessages cluster,
            RecentAuthentication recentAuthentication, ApplicationEventPublisher events) {
        this.events = events;
        this.recentAuthentication = recentAuthentication;
        this.cluster = cluster;
        this.passkeys = passkeys;
        this.jdbc = jdbc;
        this.totp = totp;
        this.recoveryCodes = recoveryCodes;
        this.accounts = accounts;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * A started TOTP enrolment: what an authenticator app needs, as text, URI and QR
     * code.
     */
    record TotpEnrolment(String secret, String otpauthUri, String qrSvg) {
    }

    /** What an account has, for its owner and the admins. */
    record Status(boolean totp, int recoveryCodesLeft, List<Passkeys.Passkey> passkeys, List<String> methods,
            boolean required) {
    }

    @Override
    public void afterSingletonsInstantiated() {
        cluster.subscribe(TOPIC, message -> {
            withoutFactor.invalidate(Long.parseLong(message));
            // The account may have enrolled: its sessions known here as enrolment-only
            // are asked again (few).
            enrolmentOnly.asMap().values().removeIf(Boolean::booleanValue);
        }, () -> {
            withoutFactor.invalidateAll();
            enrolmentOnly.invalidateAll();
        });
    }

    /**
     * The second-step methods the account can use; empty when it has no factor. "None" is
     * cached: loaded atomically per account, so an eviction racing the load (a factor
     * added meanwhile) wins.
     */
    @SuppressWarnings("unchecked")
    public List<String> methodsOf(long accountId) {
        if (withoutFactor.getIfPresent(accountId) != null) {
            return List.of();
        }
        List<String>[] loaded = new List[1];
        withoutFactor.get(accountId, id -> {
            loaded[0] = loadMethods(id);
            return loaded[0].isEmpty() ? Boolean.TRUE : null;
        });
        return loaded[0] == null ? List.of() : loaded[0];
    }

    /**
     * Adding or removing a factor: every instance asks the database again (here right
     * after commit).
     */
    private void factorsChanged(long accountId) {
        cluster.publish(TOPIC, Long.toString(accountId));
    }

    private List<String> loadMethods(long accountId) {
        List<String> methods = new ArrayList<>();
        if (totp.enabled(accountId)) {
            methods.add(TOTP);
            if (recoveryCodes.left(accountId) > 0) {
                methods.add(RECOVERY_CODE);
            }
        }
        if (passkeys.any(accountId)) {
            methods.add(PASSKEY);
        }
        return methods;
    }

    Status status(long accountId) {
        Account account = accounts.byId(accountId).orElseThrow(() -> ApiException.notFound("user-not-found"));
        List<String> methods = methodsOf(accountId);
        return new Status(methods.contains(TOTP), recoveryCodes.left(accountId), passkeys.of(accountId), methods,
                settings.required(account.role()));
    }

    @Transactional
    TotpEnrolment startTotp(CurrentAccount me) {
        recentAuthentication.require(me);
        if (totp.enabled(me.id())) {
            throw ApiException.conflict("totp-already-enabled");
        }
        Account account = accounts.byId(me.id()).orElseThrow(() -> ApiException.notFound("user-not-found"));
        String secret = totp.start(me.id());
        String uri = new QrData.Builder().label(account.email())
            .secret(secret)
            .issuer(settings.issuer())
            .algorithm(HashingAlgorithm.SHA1)
            .digits(6)
            .period(TotpAuthenticators.PERIOD_SECONDS)
            .build()
            .getUri();
        audit.record(AuditType.MFA_TOTP_ENROLMENT_STARTED, me.id(), me.id(), null);
        return new TotpEnrolment(secret, uri, QrSvg.of(uri));
    }

    /**
     * Turns TOTP on with a first right code; answers the ten recovery codes, the only
     * time they are shown.
     */
    @Transactional
    List<String> confirmTotp(CurrentAccount me, String code) {
        recentAuthentication.require(me);
        if (totp.enabled(me.id())) {
            throw ApiException.conflict("totp-already-enabled");
        }
        if (!totp.confirm(me.id(), code)) {
            throw ApiException.invalidField("code", "mfa-code-invalid");
        }
        List<String> codes = recoveryCodes.replace(me.id());
        enrolled(me.id());
        factorsChanged(me.id());
        audit.record(AuditType.MFA_TOTP_ENABLED, me.id(), me.id(), null);
        events.publishEvent(new CredentialAlerts.CredentialAdded(me.id(), CredentialAlerts.TOTP, null, null));
        return codes;
    }

    @Transactional
    void disableTotp(CurrentAccount me, String code) {
        recentAuthentication.require(me);
        if (!totp.enabled(me.id())) {
            throw ApiException.notFound("totp-not-enabled");
        }
        if (!totp.verify(me.id(), code)) {
            throw ApiException.invalidField("code", "mfa-code-invalid");
        }
        Account account = accounts.byId(me.id()).orElseThrow(() -> ApiException.notFound("user-not-found"));
        if (settings.required(account.role()) && !passkeys.any(me.id())) {
            throw ApiException.conflict("mfa-required-by-policy", account.role());
        }
        removeTotp(me.id());
        audit.record(AuditType.MFA_TOTP_DISABLED, me.id(), me.id(), null);
    }

    @Transactional
    List<String> regenerateRecoveryCodes(CurrentAccount me) {
        recentAuthentication.require(me);
        if (!totp.enabled(me.id())) {
            throw ApiException.notFound("totp-not-enabled");
        }
        List<String> codes = recoveryCodes.replace(me.id());
        audit.record(AuditType.MFA_RECOVERY_CODES_REGENERATED, me.id(), me.id(), null);
        return codes;
    }

    /**
     * An admin removes every factor of an account (a lost phone): it signs in with its
     * password alone again.
     */
    @Transactional
    void removeAll(CurrentAccount admin, long accountId) {
        recentAuthentication.require(admin);
        accounts.byId(accountId).orElseThrow(() -> ApiException.notFound("user-not-found"));
        List<String> removed = removeEvery(accountId);
        audit.record(AuditType.ADMIN_MFA_REMOVED, admin.id(), accountId, "methods=" + String.join(",", removed));
    }

    /**
     * Removes every factor of an account whose address was just proved for the first
     * time: they were set up by whoever held the account before, not necessarily its
     * owner. The methods removed.
     */
    public List<String> removeAllSetBeforeVerification(long accountId) {
        return removeEvery(accountId);
    }

    /**
     * The owner followed the link of a new-passkey alert: that passkey goes. False when
     * it was gone already.
     */
    public boolean removePasskeyByAlert(long accountId, String passkeyId) {
        if (passkeyId == null || !passkeys.remove(accountId, passkeyId)) {
            return false;
        }
        factorsChanged(accountId);
        return true;
    }

    /**
     * The owner followed the link of a new-authenticator alert: TOTP and its recovery
     * codes go.
     */
    public boolean removeTotpByAlert(long accountId) {
        if (!totp.enabled(accountId)) {
            return false;
        }
        removeTotp(accountId);
        return true;
    }

    /** TOTP and its recovery codes go, on every instance. */
    private void removeTotp(long accountId) {
        totp.remove(accountId);
        recoveryCodes.remove(accountId);
        factorsChanged(accountId);
    }

    /**
     * Every factor of the account goes (a TOTP enrolment not yet confirmed too), on every
     * instance; the methods it had.
     */
    private List<String> removeEvery(long accountId) {
        List<String> removed = methodsOf(accountId);
        totp.remove(accountId);
        recoveryCodes.remove(accountId);
        passkeys.removeAll(accountId);
        factorsChanged(accountId);
        return removed;
    }

    /** The account behind an admin route's public {@code userId}. */
    long accountIdOf(String publicId) {
        return accounts.byPublicId(publicId)
            .map(Account::id)
            .orElseThrow(() -> ApiException.notFound("user-not-found"));
    }

    public boolean verifyTotp(long accountId, String code) {
        return totp.verify(accountId, code);
    }

    boolean useRecoveryCode(long accountId, String code) {
        return recoveryCodes.use(accountId, code);
    }

    /** Options to register a passkey for the signed-in user. */
    public Passkeys.Ceremony startPasskey(CurrentAccount me) {
        recentAuthentication.require(me);
        return passkeys
            .startRegistration(accounts.byId(me.id()).orElseThrow(() -> ApiException.notFound("user-not-found")));
    }

    @Transactional
    public Passkeys.Passkey registerPasskey(CurrentAccount me, java.util.UUID ceremonyId, String label,
            tools.jackson.databind.JsonNode credential) {
        recentAuthentication.require(me);
        Passkeys.Passkey passkey = passkeys.finishRegistration(me.id(), ceremonyId, label, credential);
        enrolled(me.id());
        factorsChanged(me.id());
        audit.record(AuditType.PASSKEY_REGISTERED, me.id(), me.id(), "label=" + label);
        events
            .publishEvent(new CredentialAlerts.CredentialAdded(me.id(), CredentialAlerts.PASSKEY, passkey.id(), label));
        return passkey;
    }

    public List<Passkeys.Passkey> passkeysOf(CurrentAccount me) {
        return passkeys.of(me.id());
    }

    @Transactional
    public void removePasskey(CurrentAccount me, String passkeyId) {
        recentAuthentication.require(me);
        Account account = accounts.byId(me.id()).orElseThrow(() -> ApiException.notFound("user-not-found"));
        if (passkeys.of(me.id()).stream().noneMatch(passkey -> passkey.id().equals(passkeyId))) {
            throw ApiException.notFound("passkey-not-found");
        }
        if (settings.required(account.role()) && !totp.enabled(me.id()) && passkeys.of(me.id()).size() == 1) {
            throw ApiException.conflict("mfa-required-by-policy", account.role());
        }
        passkeys.remove(me.id(), passkeyId);
        factorsChanged(me.id());
        audit.record(AuditType.PASSKEY_REMOVED, me.id(), me.id(), null);
    }

    // --- the second step of a sign-in ---

    /**
     * A second step for the account whose first step ({@link Amr#PASSWORD} or
     * {@link Amr#EMAIL}) was right.
     */
    public String challenge(long accountId, String firstFactor) {
        String token = SecretTokens.generate();
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO mfa_challenges (token_hash, account_id, created_at, expires_at, first_factor)
                VALUES (:hash, :account, :now, :expires, :first)
                """)
            .param("hash", SecretTokens.hash(token))
            .param("account", accountId)
            .param("now", utc(now))
            .param("first", firstFactor)
            .param("expires", utc(now.plus(settings.challengeLifetime())))
            .update();
        return token;
    }

    /** The account whose live (unused, unexpired) challenge this is. */
    public Optional<Long> challenged(String token) {
        return jdbc.sql("""
                SELECT account_id FROM mfa_challenges
                WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
                """)
            .param("hash", SecretTokens.hash(token))
            .param("now", utc(clock.instant()))
            .query(Long.class)
            .optional();
    }

    /**
     * Uses the challenge up: the method of its first step, or empty when another request
     * did first or it expired.
     */
    Optional<String> consumeChallenge(String token) {
        return jdbc.sql("""
                UPDATE mfa_challenges SET used_at = :now
                WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
                RETURNING first_factor
                """)
            .param("hash", SecretTokens.hash(token))
            .param("now", utc(clock.instant()))
            .query(String.class)
            .optional();
    }

    // --- sessions that may only enrol ---

    /** Whether the account's type requires a factor that it does not have. */
    public boolean mustEnrol(Account account) {
        return settings.required(account.role()) && methodsOf(account.id()).isEmpty();
    }

    public void restrictToEnrolment(long accountId, UUID sessionId) {
        jdbc.sql("INSERT INTO mfa_enrolment_sessions (session_id, account_id) VALUES (:session, :account)")
            .param("session", sessionId)
            .param("account", accountId)
            .update();
        enrolmentOnly.put(sessionId, true);
    }

    public boolean enrolmentOnly(UUID sessionId) {
        return enrolmentOnly.get(sessionId,
                id -> jdbc.sql("SELECT EXISTS (SELECT 1 FROM mfa_enrolment_sessions WHERE session_id = :session)")
                    .param("session", id)
                    .query(Boolean.class)
                    .single());
    }

    /** The account has a factor now: its enrolment-only sessions become whole ones. */
    private void enrolled(long accountId) {
        List<UUID> sessions = jdbc
            .sql("DELETE FROM mfa_enrolment_sessions WHERE account_id = :account " + "RETURNING session_id")
            .param("account", accountId)
            .query(UUID.class)
            .list();
        sessions.forEach(enrolmentOnly::invalidate);
    }

}
