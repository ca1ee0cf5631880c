package dev.kapi.messaging.whatsapp;

import java.time.Instant;

/**
 * A template as Meta has it for one business account (synced): its name, language,
 * category (marketing, utility, authentication), status (APPROVED, PENDING, REJECTED,
 * PAUSED, DISABLED), components, and what a send must fill in: {@code bodyParameters}
 * texts and, for a media header, a link of {@code headerFormat}.
 */
public record MessageTemplate(long id, long ownerId, String wabaId, String metaId, String name, String language,
        String category, String status, String components, int bodyParameters, String headerFormat, Instant syncedAt) {

    public static final String APPROVED = "APPROVED";

    /**
     * The header type a send must give (image, video, document), or null when the header
     * takes no media.
     */
    public String mediaHeader() {
        return headerFormat == null ? null : switch (headerFormat) {
            case "IMAGE" -> "image";
            case "VIDEO" -> "video";
            case "DOCUMENT" -> "document";
            default -> null;
        };
    }
}
