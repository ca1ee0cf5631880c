package dev.kapi.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Ten single-use recovery codes per account, for when the authenticator is lost: {@code xxxxx-xxxxx} from an
 * alphabet without look-alike characters (about 49 random bits each), shown once and kept as SHA-256 hashes.
 * A new set replaces the old one.
 */
@Component
class RecoveryCodes {

    static final int COUNT = 10;
    private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;
    private final Clock clock;

    RecoveryCodes(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    List<String> replace(long accountId) {
        remove(accountId);
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            StringBuilder code = new StringBuilder();
            for (int c = 0; c < 10; c++) {
                code.append(c == 5 ? "-" : "").append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            codes.add(code.toString());
            jdbc.sql("INSERT INTO mfa_recovery_codes (account_id, code_hash, created_at) VALUES (:id, :hash, :now)")
                    .param("id", accountId).param("hash", hash(code.toString())).param("now", utc(clock.instant()))
                    .update();
        }
        return codes;
    }

    /** Uses a code up: true once for each of the account's codes. Case, spaces and the dash do not matter. */
    boolean use(long accountId, String code) {
        return jdbc.sql("""
                UPDATE mfa_recovery_codes SET used_at = :now
                WHERE account_id = :id AND code_hash = :hash AND used_at IS NULL
                """).param("now", utc(clock.instant())).param("id", accountId).param("hash", hash(code)).update() == 1;
    }

    int left(long accountId) {
        return jdbc.sql("SELECT count(*) FROM mfa_recovery_codes WHERE account_id = :id AND used_at IS NULL")
                .param("id", accountId).query(Integer.class).single();
    }

    void remove(long accountId) {
        jdbc.sql("DELETE FROM mfa_recovery_codes WHERE account_id = :id").param("id", accountId).update();
    }

    private static String hash(String code) {
        return SecretTokens.hash(code.toLowerCase(Locale.ROOT).replaceAll("[\\s-]", ""));
    }
}
