package dev.kapi.identity.password;

import java.security.MessageDigest;
import java.util.Base64;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Verifies PBKDF2 hashes as Keycloak stores them ({@code pbkdf2-sha256},
 * {@code pbkdf2-sha512}): the UTF-8 password, a salt and an iteration count, the derived
 * key as long as the stored value. Stored by Kapı as
 * {@code iterations$base64(salt)$base64(value)} after the encoder's id. Verification
 * only: Kapı never hashes a new password this way.
 */
final class KeycloakPbkdf2 implements PasswordEncoder {

    private final boolean sha512;

    KeycloakPbkdf2(boolean sha512) {
        this.sha512 = sha512;
    }

    /** The stored form of a Keycloak credential (checked by {@link ForeignHashes}). */
    static String stored(int iterations, byte[] salt, byte[] value) {
        return iterations + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(value);
    }

    @Override
    public String encode(CharSequence rawPassword) {
        throw new UnsupportedOperationException("imported PBKDF2 hashes are only verified");
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encoded) {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 3) {
            return false;
        }
        int iterations = Integer.parseInt(parts[0]);
        byte[] salt = Base64.getDecoder().decode(parts[1]);
        byte[] expected = Base64.getDecoder().decode(parts[2]);
        return MessageDigest.isEqual(derive(rawPassword, salt, iterations, expected.length), expected);
    }

    @Override
    public boolean upgradeEncoding(String encoded) {
        return true;
    }

    byte[] derive(CharSequence password, byte[] salt, int iterations, int length) {
        Digest digest = sha512 ? new SHA512Digest() : new SHA256Digest();
        PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(digest);
        generator.init(PKCS5S2ParametersGenerator.PKCS5PasswordToUTF8Bytes(password.toString().toCharArray()), salt,
                iterations);
        return ((KeyParameter) generator.generateDerivedMacParameters(length * 8)).getKey();
    }

}
