package dev.kapi.identity.password;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.crypto.generators.SCrypt;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Verifies Firebase Authentication's modified scrypt: the key scrypt derives from the
 * password and the account's salt followed by the project's salt separator (N =
 * 2^mem_cost, r = rounds, p = 1) encrypts the project's signer key with AES-256-CTR and a
 * zero counter; the result is the stored hash. Built on BouncyCastle's {@link SCrypt} and
 * the JDK's AES. Stored by Kapı as
 * {@code rounds$mem_cost$salt$salt_separator$signer_key$value} (base64) after the
 * encoder's id. Verification only.
 */
final class FirebaseScrypt implements PasswordEncoder {

    /** The stored form of a Firebase hash (checked by {@link ForeignHashes}). */
    static String stored(int rounds, int memCost, byte[] salt, byte[] saltSeparator, byte[] signerKey, byte[] value) {
        Base64.Encoder base64 = Base64.getEncoder();
        return rounds + "$" + memCost + "$" + base64.encodeToString(salt) + "$" + base64.encodeToString(saltSeparator)
                + "$" + base64.encodeToString(signerKey) + "$" + base64.encodeToString(value);
    }

    @Override
    public String encode(CharSequence rawPassword) {
        throw new UnsupportedOperationException("imported Firebase hashes are only verified");
    }

    @Override
    public boolean matches(CharSequence rawPassword, String encoded) {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 6) {
            return false;
        }
        Base64.Decoder base64 = Base64.getDecoder();
        byte[] hash = hash(rawPassword, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), base64.decode(parts[2]),
                base64.decode(parts[3]), base64.decode(parts[4]));
        return MessageDigest.isEqual(hash, base64.decode(parts[5]));
    }

    @Override
    public boolean upgradeEncoding(String encoded) {
        return true;
    }

    static byte[] hash(CharSequence password, int rounds, int memCost, byte[] salt, byte[] saltSeparator,
            byte[] signerKey) {
        byte[] fullSalt = new byte[salt.length + saltSeparator.length];
        System.arraycopy(salt, 0, fullSalt, 0, salt.length);
        System.arraycopy(saltSeparator, 0, fullSalt, salt.length, saltSeparator.length);
        byte[] derived = SCrypt.generate(password.toString().getBytes(StandardCharsets.UTF_8), fullSalt, 1 << memCost,
                rounds, 1, 64);
        try {
            Cipher aes = Cipher.getInstance("AES/CTR/NoPadding");
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(derived, 0, 32, "AES"), new IvParameterSpec(new byte[16]));
            return aes.doFinal(signerKey);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
