package dev.kapi.trading.exchange;

import java.time.Instant;

/**
 * An exchange API key as stored: both halves sealed; only the last four characters of the
 * key in clear.
 */
public record ApiKey(long id, long ownerId, String exchange, String label, String keyLast4, String sealedKey,
        String sealedSecret, Instant createdAt) {

    /**
     * The context a key's halves are sealed under, so a ciphertext copied to another row
     * does not open.
     */
    public static String sealingContext(long ownerId, long keyId) {
        return "trading-api-key:" + ownerId + ":" + keyId;
    }
}
