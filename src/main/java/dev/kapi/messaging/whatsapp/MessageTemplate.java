package dev.kapi.messaging.whatsapp;

import java.time.Duration;
import java.time.Instant;

/**
 * A template as Meta has it for one business account (synced): its name, language,
 * category (marketing, utility, authentication), status (APPROVED, PENDING, REJECTED,
 * PAUSED, DISABLED), components, and what a send must fill in: {@code bodyParameters}
 * texts and, for a media header, a link of {@code headerFormat}; and what Meta's
 * callbacks said of it since: its {@code quality} (GREEN, YELLOW, RED, UNKNOWN) and,
 * while paused, until when the pause should last.
 */
public record MessageTemplate(long id, long ownerId, String wabaId, String metaId, String name, String language,
        String category, String status, String components, int bodyParameters, String headerFormat, Instant syncedAt,
        String quality, Instant pausedUntil) {

    public static final String APPROVED = "APPROVED";

    /**
     * Meta's first pause of a template lasts 3 hours, every later one 6 (the third
     * disables it).
     */
    static final Duration FIRST_PAUSE = Duration.ofHours(3);

    static final Duration LATER_PAUSE = Duration.ofHours(6);

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
