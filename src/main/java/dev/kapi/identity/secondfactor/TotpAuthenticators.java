package dev.kapi.identity.secondfactor;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.shared.sealing.SecretSealer;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.secret.DefaultSecretGenerator;

import static dev.kapi.shared.SqlTime.utc;

/**
 * An account's TOTP authenticator (RFC 6238: SHA-1, six digits, 30-second steps, as every
 * authenticator app reads them). The secret is sealed at rest. A code is accepted in its
 * own step or one step either side, and only in a step later than the last one accepted:
 * a code, or an older one, never works twice.
 */
@Component
class TotpAuthenticators {

    static final int PERIOD_SECONDS = 30;

    private final JdbcClient jdbc;

    private final SecretSealer sealer;

    private final Clock clock;

    private final DefaultSecretGenerator secrets = new DefaultSecretGenerator(32);

    private final DefaultCodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6);

    TotpAuthenticators(JdbcClient jdbc, SecretSealer sealer, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** Whether the account has a confirmed authenticator. */
    boolean enabled(long accountId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM mfa_totp WHERE account_id = :id AND confirmed_at IS NOT NULL)")
            .param("id", accountId)
            .query(Boolean.class)
            .single();
    }

    /** A new, unconfirmed secret (base32) replacing an earlier unconfirmed one. */
    String start(long accountId) {
        String secret = secrets.generate();
        jdbc.sql("""
                INSERT INTO mfa_totp (account_id, secret_sealed, created_at) VALUES (:id, :sealed, :now)
                ON CONFLICT (account_id) DO UPDATE SET secret_sealed = :sealed, created_at = :now, last_used_step = NULL
                WHERE mfa_totp.confirmed_at IS NULL
                """)
            .param("id", accountId)
            .param("sealed", sealer.seal(secret, context(accountId)))
            .param("now", utc(clock.instant()))
            .update();
        return secret;
    }

    /**
     * Turns the pending authenticator on if the code is right for it; false otherwise.
     */
    boolean confirm(long accountId, String code) {
        if (!use(accountId, code, false)) {
            return false;
        }
        return jdbc.sql("UPDATE mfa_totp SET confirmed_at = :now WHERE account_id = :id AND confirmed_at IS NULL")
            .param("now", utc(clock.instant()))
            .param("id", accountId)
            .update() == 1;
    }

    /**
     * Uses a code of the confirmed authenticator: true once per step, for a right code.
     */
    boolean verify(long accountId, String code) {
        return use(accountId, code, true);
    }

    void remove(long accountId) {
        jdbc.sql("DELETE FROM mfa_totp WHERE account_id = :id").param("id", accountId).update();
    }

    private boolean use(long accountId, String code, boolean confirmed) {
        Optional<String> sealed = jdbc
            .sql("SELECT secret_sealed FROM mfa_totp WHERE account_id = :id"
                    + (confirmed ? " AND confirmed_at IS NOT NULL" : " AND confirmed_at IS NULL"))
            .param("id", accountId)
            .query(String.class)
            .optional();
        if (sealed.isEmpty() || code == null) {
            return false;
        }
        String secret = sealer.open(sealed.get(), context(accountId));
        long now = step(clock.instant());
        for (long step = now - 1; step <= now + 1; step++) {
            if (MessageDigest.isEqual(code(secret, step).getBytes(StandardCharsets.US_ASCII),
                    code.getBytes(StandardCharsets.US_ASCII))) {
                // Atomic: of two requests racing with the same code, one wins.
                return jdbc.sql("""
                        UPDATE mfa_totp SET last_used_step = :step
                        WHERE account_id = :id AND (last_used_step IS NULL OR last_used_step < :step)
                        """).param("step", step).param("id", accountId).update() == 1;
            }
        }
        return false;
    }

    private String code(String secret, long step) {
        try {
            return codes.generate(secret, step);
        }
        catch (CodeGenerationException ex) {
            throw new IllegalStateException("Could not compute a TOTP code", ex);
        }
    }

    static long step(Instant instant) {
        return Math.floorDiv(instant.getEpochSecond(), PERIOD_SECONDS);
    }

    private static String context(long accountId) {
        return "mfa-totp:" + accountId;
    }

}
