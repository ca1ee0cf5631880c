package dev.kapi.identity;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Identity configuration. Secrets come from the environment ({@code KAPI_JWT_SECRET},
 * {@code KAPI_ADMIN_SECRET}); without a JWT secret Kapı starts only on its embedded
 * default, which generates and keeps one.
 */
@ConfigurationProperties("kapi.identity")
public record IdentitySettings(String jwtSecret, String adminSecret, @DefaultValue("30m") Duration accessTokenLifetime,
        @DefaultValue SessionRules session, @DefaultValue Lockout lockout, @DefaultValue Password password,
        @DefaultValue Tokens tokens, @DefaultValue Housekeeping housekeeping, @DefaultValue StepUp stepUp) {

    /**
     * Recent authentication ({@code KAPI_IDENTITY_STEPUP_MAXAGE}): how old a session's
     * last proof of its owner ({@code auth_time}) may be for the changes that make a
     * stolen token permanent (factors, email, keys, backups, deletion).
     */
    record StepUp(@DefaultValue("5m") Duration maxAge) {
    }

    /**
     * What {@link Housekeeping} removes: sessions and one-time tokens {@code keep-ended}
     * after they ended or expired, dead lockout counts, and audit events older than
     * {@code audit-retention} (unset: kept for ever).
     */
    record Housekeeping(@DefaultValue("7d") Duration keepEnded, Duration auditRetention) {
    }

    /**
     * How long mailed one-time tokens stay valid ({@code not-me}: the link of a
     * new-credential alert).
     */
    public record Tokens(@DefaultValue("24h") Duration emailVerification, @DefaultValue("30m") Duration passwordReset,
            @DefaultValue("7d") Duration notMe) {
    }

    /**
     * How long a session lives: it ends after {@code idle-timeout} without use and at the
     * latest after {@code absolute-lifetime}. A used refresh token presented again within
     * {@code refresh-reuse-grace} (clients that race) is still honoured; later it ends
     * the whole session.
     */
    public record SessionRules(@DefaultValue("7d") Duration idleTimeout, @DefaultValue("30d") Duration absoluteLifetime,
            @DefaultValue("10s") Duration refreshReuseGrace) {
    }

    /** Failed logins allowed before an identifier is locked, and for how long. */
    public record Lockout(@DefaultValue("5") int maxFailures, @DefaultValue("15m") Duration duration) {

        /**
         * Whether the numbered try (counted since the count last started) is the one that
         * locks: the try that reaches the limit, or one past it.
         */
        public boolean locksAt(int attempt) {
            return attempt >= maxFailures;
        }
    }

    /**
     * Password rules and hashing: {@code algorithm} is {@code bcrypt} (default) or
     * {@code argon2}; {@code hash-concurrency} bounds hashes running at once (0 = number
     * of cores), a login waits at most {@code hash-wait} for a slot. A new password's
     * zxcvbn score must reach {@code min-strength} (0-4); {@code hibp-url} (unset:
     * offline list only) is a Have I Been Pwned range API asked within
     * {@code hibp-timeout}.
     */
    public record Password(@DefaultValue("8") int minLength, @DefaultValue("256") int maxLength,
            @DefaultValue("bcrypt") String algorithm, @DefaultValue("10") int bcryptCost,
            @DefaultValue("0") int hashConcurrency, @DefaultValue("5s") Duration hashWait,
            @DefaultValue("2") int minStrength, String hibpUrl, @DefaultValue("2s") Duration hibpTimeout) {
    }
}
