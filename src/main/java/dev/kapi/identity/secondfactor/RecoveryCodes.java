package dev.kapi.identity.secondfactor;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.identity.token.SecretTokens;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Ten single-use recovery codes per account, for when the authenticator is lost:
 * {@code xxxxx-xxxxx} from an alphabet without look-alike characters (about 49 random
 * bits each), shown once and kept as the HMAC ({@link CodeHashes}) of their SHA-256: 49
 * bits are within reach of a GPU against a bare hash, not against a key the database does
 * not hold. A code is checked under every configured master key, so codes survive a
 * rotation of the master key. Codes that earlier versions kept as a bare SHA-256 are
 * converted at start ({@link #afterSingletonsInstantiated}). A new set replaces the old
 * one.
 */
@Component
public class RecoveryCodes implements SmartInitializingSingleton {

    static final int COUNT = 10;

    private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final Logger log = LoggerFactory.getLogger(RecoveryCodes.class);

    private final JdbcClient jdbc;

    private final CodeHashes hashes;

    private final Clock clock;

    RecoveryCodes(JdbcClient jdbc, CodeHashes hashes, Clock clock) {
        this.jdbc = jdbc;
        this.hashes = hashes;
        this.clock = clock;
    }

    /**
     * Converts the codes an earlier version kept as a bare SHA-256: each becomes the HMAC
     * of that hash, which is what {@link #use} computes for the code. Any instance may
     * run it; each row is converted once.
     */
    @Override
    public void afterSingletonsInstantiated() {
        record Old(long accountId, String hash) {
        }
        List<Old> old = jdbc.sql("SELECT account_id, code_hash FROM mfa_recovery_codes WHERE NOT keyed")
            .query((rs, row) -> new Old(rs.getLong("account_id"), rs.getString("code_hash")))
            .list();
        for (Old row : old) {
            jdbc.sql("""
                    UPDATE mfa_recovery_codes SET code_hash = :keyed, keyed = true
                    WHERE account_id = :id AND code_hash = :hash AND NOT keyed
                    """)
                .param("keyed", hashes.hash(row.hash()))
                .param("id", row.accountId())
                .param("hash", row.hash())
                .update();
        }
        if (!old.isEmpty()) {
            log.info("Converted {} recovery codes kept as a bare SHA-256 to an HMAC", old.size());
        }
    }

    List<String> replace(long accountId) {
        remove(accountId);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            String code = newCode(RANDOM);
            codes.add(code);
            jdbc.sql("""
                    INSERT INTO mfa_recovery_codes (account_id, code_hash, created_at, keyed)
                    VALUES (:id, :hash, :now, true)
                    """)
                .param("id", accountId)
                .param("hash", hashes.hash(digest(code)))
                .param("now", utc(clock.instant()))
                .update();
        }
        return codes;
    }

    /**
     * Uses a code up: true once for each of the account's codes. Case, spaces and the
     * dash do not matter.
     */
    boolean use(long accountId, String code) {
        return jdbc.sql("""
                UPDATE mfa_recovery_codes SET used_at = :now
                WHERE account_id = :id AND code_hash IN (:hashes) AND keyed AND used_at IS NULL
                """)
            .param("now", utc(clock.instant()))
            .param("id", accountId)
            .param("hashes", hashes.hashes(digest(code)))
            .update() == 1;
    }

    int left(long accountId) {
        return jdbc.sql("SELECT count(*) FROM mfa_recovery_codes WHERE account_id = :id AND used_at IS NULL")
            .param("id", accountId)
            .query(Integer.class)
            .single();
    }

    void remove(long accountId) {
        jdbc.sql("DELETE FROM mfa_recovery_codes WHERE account_id = :id").param("id", accountId).update();
    }

    /** A new code: {@code xxxxx-xxxxx} from the alphabet. */
    static String newCode(RandomGenerator random) {
        StringBuilder code = new StringBuilder();
        for (int c = 0; c < 10; c++) {
            code.append(c == 5 ? "-" : "").append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** The code as it is compared: case, spaces and the dash left out. */
    static String normalized(String code) {
        return code.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", "");
    }

    /** The normalized code's SHA-256 (what earlier versions kept). */
    private static String digest(String code) {
        return SecretTokens.hash(normalized(code));
    }

}
