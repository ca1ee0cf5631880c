package dev.kapi.messaging;

import java.time.Instant;

/**
 * Published once per message a recipient wrote to one of an account's WhatsApp numbers
 * (Meta's retries of the same message publish nothing), in the transaction that stores
 * it; for listeners outside messaging such as webhooks. {@code text} is a text's body, a
 * button's or list row's title, or a media caption; {@code inReplyTo} the id of the
 * account's message it answers, if any. {@code phone} is null for a user who hides the
 * number behind a username; {@code userId} is then Meta's business-scoped user id.
 */
public record InboundMessageReceived(long accountId, long inboundId, Long customerId, String phone, String userId,
        String type, String text, Long inReplyTo, Instant receivedAt) {
}
