package dev.kapi.support;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.time.Instant;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.codec.binary.Base32;

/**
 * RFC 6238's algorithm (SHA-1, six digits, 30-second steps) written out, to check Kapı's
 * TOTP against.
 */
public final class Totp {

    private Totp() {
    }

    /** The code of the step {@code offset} steps from the one {@code now} is in. */
    public static String code(String base32Secret, Instant now, int offset) {
        return atStep(base32Secret, Math.floorDiv(now.getEpochSecond(), 30) + offset);
    }

    public static String atStep(String base32Secret, long step) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(new Base32().decode(base32Secret), "HmacSHA1"));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0xf;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                    | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
            return String.format("%06d", binary % 1_000_000);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
