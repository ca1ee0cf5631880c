package dev.kapi.messaging.queue;

import java.time.Instant;

/**
 * One recipient of a queue, a durable row with a state machine ({@link MessageStatus}):
 * {@code pending ->
 * sending -> sent -> delivered -> read}, or {@code failed} (with a code, a reason and
 * whether a retry may help), {@code skipped} (black- or graylisted, opted out) or
 * {@code cancelled}. Its id is its idempotency key with the provider. It keeps the
 * recipient's {@code market}, the credits held for it at its queue's start and the last
 * {@code pricing} block (JSON) Meta reported for it; once charged, what it was charged
 * and the category Meta billed it in (null before).
 */
public record Message(long id, long queueId, long ownerId, Long customerId, String phone, MessageStatus status,
        boolean graylisted, Instant dueAt, int attempts, Long senderId, String providerMessageId, String errorCode,
        String errorReason, Boolean retryable, Instant sentAt, Instant deliveredAt, Instant readAt, Instant failedAt,
        Instant updatedAt, String market, int creditsHeld, String pricing, Instant repliedAt, Integer chargedCredits,
        String chargedCategory) {

    /**
     * The key the provider sees with the send (and echoes in its callbacks), so a resend
     * can be recognised.
     */
    public static String idempotencyKey(long id) {
        return "kapi-msg-" + id;
    }

    /** The message id of an idempotency key, or -1 if it is not one of Kapı's. */
    public static long idOfKey(String key) {
        if (key == null || !key.startsWith("kapi-msg-")) {
            return -1;
        }
        try {
            return Long.parseLong(key.substring("kapi-msg-".length()));
        }
        catch (NumberFormatException ex) {
            return -1;
        }
    }
}
