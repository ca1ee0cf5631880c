package dev.kapi.messaging.sender;

import java.time.Instant;
import java.time.LocalDate;

import dev.kapi.shared.ApiException;

/**
 * A connected sending account (seed 001: several per user): its provider, its own pace
 * (messages per second, none: as fast as the provider answers) and daily cap, its status,
 * and the worker's state for it — the token bucket, the day's count and the circuit
 * breaker — and the last number event Meta reported for it ({@code qualityEvent}). The
 * sealed access token never leaves the module's provider code. Numbers written without a
 * country code are read in its {@code defaultRegion} (ISO 3166-1 alpha-2).
 */
public record Sender(long id, long ownerId, String name, String phone, String provider, String phoneNumberId,
        String wabaId, String sealedAccessToken, Double ratePerSecond, Integer dailyCap, SenderStatus status,
        double bucketTokens, Instant bucketAt, LocalDate day, int dayCount, int consecutiveFailures,
        Instant pausedUntil, String pauseReason, Instant createdAt, Instant updatedAt, String defaultRegion,
        String qualityEvent) {

    public static final String SIMULATOR = "simulator";

    public static final String WHATSAPP_CLOUD = "whatsapp_cloud";

    public boolean circuitOpen(Instant now) {
        return pausedUntil != null && pausedUntil.isAfter(now);
    }

    public int sentOn(LocalDate today) {
        return today.equals(day) ? dayCount : 0;
    }

    /**
     * What the access token is sealed to: a copied ciphertext opens for no other sender.
     */
    public static String tokenContext(long ownerId, long senderId) {
        return "messaging-sender:" + ownerId + ":" + senderId;
    }

    /** The answer when the owner has no sending account with the id asked for. */
    public static ApiException notFound() {
        return ApiException.notFound("sender-not-found");
    }

}
