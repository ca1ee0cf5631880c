package dev.kapi.identity.password;

import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kapi.identity.TestSettings;
import dev.kapi.identity.password.ForeignHashes.Argon2;
import dev.kapi.identity.password.ForeignHashes.Bcrypt;
import dev.kapi.identity.password.ForeignHashes.Checked;
import dev.kapi.identity.password.ForeignHashes.Pbkdf2;
import dev.kapi.identity.password.ForeignHashes.Scrypt;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each imported hash form against its reference implementation's own test vectors, and
 * the bounds that keep an imported hash from being a CPU or memory bomb.
 */
class ForeignHashesTests {

    private final PasswordHashing hashing = new PasswordHashing(TestSettings.identity(null, null));

    /** jBCrypt's vectors, as Spring Security's BCryptTests carry them. */
    @ParameterizedTest
    @CsvSource({ "abc, $2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i",
            "abc, $2b$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i",
            "abc, $2y$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i" })
    void bcryptWhenSpringSecurityVectorThenVerifiesAndNeedsUpgrade(String password, String hash) {
        String stored = stored(ForeignHashes.check(new Bcrypt(hash)));

        assertThat(hashing.matches(password, stored)).isTrue();
        assertThat(hashing.matches(password + "d", stored)).isFalse();
        assertThat(hashing.needsUpgrade(stored)).isTrue();
    }

    /** Spring Security's Argon2PasswordEncoderTests, predictable salt. */
    @ParameterizedTest
    @ValueSource(strings = {
            "$argon2id$v=19$m=4096,t=3,p=1$QUFBQUFBQUFBQUFBQUFBQQ$hmmTNyJlwbb6HAvFoHFWF+u03fdb0F2qA+39oPlcAqo",
            "$argon2id$v=19$m=512,t=5,p=4$QUFBQUFBQUFBQUFBQUFBQQ$PNv4C3K50bz3rmON+LtFpdisD7ePieLNq+l5iUHgc1k" })
    void argon2WhenSpringSecurityVectorThenVerifiesAndWeakerParametersNeedUpgrade(String hash) {
        String stored = stored(ForeignHashes.check(new Argon2(hash)));

        assertThat(hashing.matches("sometestpassword", stored)).isTrue();
        assertThat(hashing.matches("someotherpassword", stored)).isFalse();
        assertThat(hashing.needsUpgrade(stored)).isTrue();
    }

    /**
     * The pbkdf2-sha256 credential of {@code offline-test-user} (password
     * {@code password2}, which Keycloak's MigrationTest signs in with) in Keycloak's own
     * migration-realm-26.6.0.json.
     */
    @Test
    void pbkdf2Sha256WhenKeycloakExportThenVerifies() {
        String stored = stored(ForeignHashes.check(new Pbkdf2(false,
                "kNwotFPNeuwelpT1HWt+E4ONXFK6wjd+h0zbzNBRGwOqacAjeY7vYN9QZQ46DlEKSdn04cEU/3RvX8WPcRegxg==",
                "rEIJDbs+BQqpx31v8mONWA==", 27500)));

        assertThat(hashing.matches("password2", stored)).isTrue();
        assertThat(hashing.matches("password3", stored)).isFalse();
        assertThat(hashing.needsUpgrade(stored)).isTrue();
    }

    /**
     * As Keycloak's Pbkdf2Test checks its providers: the value is the JDK's
     * PBKDF2WithHmacSHA512 of the password at Keycloak's 512-bit derived key size.
     */
    @Test
    void pbkdf2Sha512WhenKeycloaksOwnCheckThenVerifies() throws Exception {
        byte[] salt = Base64.getDecoder().decode("rEIJDbs+BQqpx31v8mONWA==");
        byte[] value = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512")
            .generateSecret(new PBEKeySpec("test1234!!".toCharArray(), salt, 210_000, 512))
            .getEncoded();

        String stored = stored(ForeignHashes
            .check(new Pbkdf2(true, Base64.getEncoder().encodeToString(value), "rEIJDbs+BQqpx31v8mONWA==", 210_000)));

        assertThat(hashing.matches("test1234!!", stored)).isTrue();
        assertThat(hashing.matches("test1234!?", stored)).isFalse();
    }

    /** The example of github.com/firebase/scrypt's README. */
    @Test
    void scryptFirebaseWhenReadmeExampleThenVerifies() {
        String stored = stored(ForeignHashes.check(
                new Scrypt("lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==",
                        "42xEC+ixf3L2lw==",
                        "jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXAn210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==",
                        "Bw==", 8, 14)));

        assertThat(hashing.matches("user1password", stored)).isTrue();
        assertThat(hashing.matches("user2password", stored)).isFalse();
        assertThat(hashing.needsUpgrade(stored)).isTrue();
    }

    @Test
    void checkWhenCostAboveTheBoundThenRefusedNamingIt() {
        assertThat(ForeignHashes.check(new Bcrypt("$2a$15$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i"))
            .problem()).extracting("code", "message").containsExactly("hash-too-costly", "bcrypt cost must be 4 to 14");
        assertThat(ForeignHashes
            .check(new Argon2("$argon2id$v=19$m=1048576,t=3,p=1$QUFBQUFBQUFBQUFBQUFBQQ$"
                    + "hmmTNyJlwbb6HAvFoHFWF+u03fdb0F2qA+39oPlcAqo"))
            .problem()
            .code()).isEqualTo("hash-too-costly");
        assertThat(ForeignHashes
            .check(new Pbkdf2(false, "kNwotFPNeuwelpT1HWt+E4ONXFK6wjd+h0zbzNBRGwM=", "rEIJDbs+BQqpx31v8mONWA==",
                    1_000_001))
            .problem()).extracting("field", "message")
            .containsExactly("password_hash.iterations", "iterations must be 1 to 1000000");
        assertThat(ForeignHashes.check(new Scrypt("AAAA", "AAAA", "AAAA", "Bw==", 8, 20)).problem())
            .extracting("field", "code")
            .containsExactly("password_hash.mem_cost", "hash-too-costly");
    }

    @Test
    void checkWhenNotTheFormThenRefusedByField() {
        assertThat(ForeignHashes.check(new Bcrypt("$1$md5crypt")).problem().code()).isEqualTo("hash-invalid");
        assertThat(ForeignHashes.check(new Pbkdf2(true, "not base64!", "AAAA", 1000)).problem().field())
            .isEqualTo("password_hash.value");
        assertThat(ForeignHashes.check(new Scrypt("AAAAAAAA", "AAAA", "AAAA", null, 8, 14)).problem().field())
            .isEqualTo("password_hash.value");
    }

    private static String stored(Checked checked) {
        assertThat(checked.problem()).isNull();
        return checked.stored();
    }

}
