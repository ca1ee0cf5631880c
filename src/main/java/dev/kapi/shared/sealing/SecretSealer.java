package dev.kapi.shared.sealing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import dev.kapi.shared.database.LocalSecrets;

/**
 * Authenticated encryption for secrets at rest: AES-256-GCM with a random 96-bit nonce. A
 * sealed value reads {@code v1:<key id>:<base64 nonce+ciphertext>}; the key id (first 8
 * hex digits of the key's SHA-256) tells which master key opens it, so keys can be
 * rotated: seal with the current one, open with any configured one, and
 * {@link #needsResealing} says which values to re-encrypt. The {@code context} (e.g. a
 * row's owner and purpose) is bound as associated data, so a ciphertext copied to another
 * row does not open.
 */
@Component
public final class SecretSealer {

    private static final String VERSION = "v1";

    private static final int NONCE_BYTES = 12;

    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();

    private final String currentKeyId;

    private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

    public SecretSealer(SealingSettings settings, ObjectProvider<LocalSecrets> localSecrets) {
        byte[] current;
        if (StringUtils.hasText(settings.masterKey())) {
            current = decodeKey(settings.masterKey(), "KAPI_MASTER_KEY");
        }
        else {
            LocalSecrets local = localSecrets.getIfAvailable();
            if (local == null) {
                throw new IllegalStateException("KAPI_MASTER_KEY is not set. It is required when Kapı uses an "
                        + "external database; only the embedded default generates its own.");
            }
            current = local.secret("master-key", 32);
        }
        this.currentKeyId = register(current);
        for (String previous : settings.previousKeys()) {
            if (StringUtils.hasText(previous)) {
                register(decodeKey(previous.trim(), "KAPI_MASTER_KEY_PREVIOUS"));
            }
        }
    }

    public String seal(String plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] ciphertext = crypt(Cipher.ENCRYPT_MODE, keys.get(currentKeyId), nonce, context,
                plaintext.getBytes(StandardCharsets.UTF_8));
        byte[] packed = ByteBuffer.allocate(NONCE_BYTES + ciphertext.length).put(nonce).put(ciphertext).array();
        return VERSION + ":" + currentKeyId + ":" + Base64.getEncoder().encodeToString(packed);
    }

    /**
     * Opens a sealed value; throws {@link SealingException} when no configured key opens
     * it or it was altered.
     */
    public String open(String sealed, String context) {
        String[] parts = sealed.split(":", 3);
        if (parts.length != 3 || !VERSION.equals(parts[0])) {
            throw new SealingException("Not a sealed value");
        }
        SecretKeySpec key = keys.get(parts[1]);
        if (key == null) {
            throw new SealingException("Sealed with master key " + parts[1] + ", which is not configured");
        }
        byte[] packed;
        try {
            packed = Base64.getDecoder().decode(parts[2]);
        }
        catch (IllegalArgumentException ex) {
            throw new SealingException("Not a sealed value");
        }
        if (packed.length <= NONCE_BYTES) {
            throw new SealingException("Not a sealed value");
        }
        byte[] nonce = java.util.Arrays.copyOfRange(packed, 0, NONCE_BYTES);
        byte[] ciphertext = java.util.Arrays.copyOfRange(packed, NONCE_BYTES, packed.length);
        return new String(crypt(Cipher.DECRYPT_MODE, key, nonce, context, ciphertext), StandardCharsets.UTF_8);
    }

    /**
     * Keys for another use than sealing, derived from the master keys as
     * HMAC-SHA-256(master key, label): the current master key's first, then the previous
     * ones' (a value kept under a derived key outlives a rotation only if it is checked
     * against all of them). The label names the use and its version, e.g.
     * {@code kapi:code-hmac:v1}; a derived key reveals nothing of the master key.
     */
    public List<byte[]> derivedKeys(String label) {
        List<byte[]> derived = new ArrayList<>();
        derived.add(derive(keys.get(currentKeyId), label));
        keys.forEach((id, key) -> {
            if (!id.equals(currentKeyId)) {
                derived.add(derive(key, label));
            }
        });
        return derived;
    }

    private static byte[] derive(SecretKeySpec masterKey, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(masterKey.getEncoded(), "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.UTF_8));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * True when the value was sealed with an older master key and should be sealed again.
     */
    public boolean needsResealing(String sealed) {
        return !sealed.startsWith(VERSION + ":" + currentKeyId + ":");
    }

    private byte[] crypt(int mode, SecretKeySpec key, byte[] nonce, String context, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        }
        catch (GeneralSecurityException ex) {
            throw new SealingException("The sealed value does not open with its key (altered, or another context)");
        }
    }

    private String register(byte[] key) {
        try {
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
            keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
            return id;
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] decodeKey(String base64, String name) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalStateException(name + " must be base64 (e.g. openssl rand -base64 32)");
        }
        if (key.length != 32) {
            throw new IllegalStateException(name + " must be 32 bytes once decoded; it is " + key.length);
        }
        return key;
    }

    /** A sealed value could not be opened. Never carries the secret. */
    public static final class SealingException extends RuntimeException {

        SealingException(String message) {
            super(message);
        }

    }

}
