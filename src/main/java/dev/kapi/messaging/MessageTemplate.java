package dev.kapi.messaging;

import java.time.Instant;

/**
 * A template as Meta has it for one business account (synced): its name, language,
 * category (marketing, utility, authentication), status (APPROVED, PENDING, REJECTED,
 * PAUSED, DISABLED), components, and what a send must fill in: {@code bodyParameters}
 * texts and, for a media header, a link of {@code headerFormat}.
 */
record MessageTemplate(long id, long ownerId, String wabaId, String metaId, String name, String language,
        String category, String status, String components, int bodyParameters, String headerFormat, Instant syncedAt) {

    static final String APPROVED = "APPROVED";

    /**
     * The header type a send must give (image, video, document), or null when the header
     * takes no media.
     */
    String mediaHeader() {
        return headerFormat == null ? null : switch (headerFormat) {
            case "IMAGE" -> "image";
            case "VIDEO" -> "video";
            case "DOCUMENT" -> "document";
            default -> null;
        };
    }
}
