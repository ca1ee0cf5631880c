package dev.kapi.messaging.conversation;

import java.time.Instant;

/**
 * The media of a message a customer wrote, as its callback named it: the message's id,
 * the sender it was written to (whose access token fetches it from Meta), Meta's media
 * type and id, the declared MIME type and file name, and when Meta received it (Meta
 * keeps media 30 days).
 */
public record InboundMedia(long messageId, long senderId, String type, String mediaId, String mimeType, String filename,
        Instant receivedAt) {
}
