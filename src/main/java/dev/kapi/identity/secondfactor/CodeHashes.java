package dev.kapi.identity.secondfactor;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import dev.kapi.identity.token.SecretTokens;
import dev.kapi.shared.sealing.SecretSealer;

/**
 * How short codes are kept: the six-digit sign-in codes mailed with a magic link, and
 * recovery codes. A bare SHA-256 of a six-digit code is undone by hashing the million
 * candidates (under a second), so whoever reads the database or a backup could use a
 * pending code; these are kept as HMAC-SHA-256 under a key derived from the master key
 * ({@link SecretSealer#derivedKeys}, label {@value #LABEL}), which a database read alone
 * does not give. Long random tokens (256 bits) stay plain SHA-256 ({@link SecretTokens}).
 */
@Component
public class CodeHashes {

    static final String LABEL = "kapi:code-hmac:v1";

    private final List<SecretKeySpec> keys;

    CodeHashes(SecretSealer sealer) {
        this.keys = sealer.derivedKeys(LABEL).stream().map(key -> new SecretKeySpec(key, "HmacSHA256")).toList();
    }

    /**
     * The code's HMAC under the current master key: what is stored, and what a
     * short-lived code is checked with.
     */
    public String hash(String code) {
        return hmac(keys.getFirst(), code);
    }

    /**
     * The code's HMAC under every configured master key, the current one first: what a
     * long-lived code (a recovery code) is checked against, so that it survives a
     * rotation of the master key.
     */
    List<String> hashes(String code) {
        return keys.stream().map(key -> hmac(key, code)).distinct().toList();
    }

    private static String hmac(SecretKeySpec key, String code) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(code.getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
