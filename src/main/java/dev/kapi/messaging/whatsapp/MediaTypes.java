package dev.kapi.messaging.whatsapp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The files WhatsApp takes as media and how large each may be (Meta's Cloud API media
 * reference): images (JPEG, PNG) 5 MB, videos (MP4, 3GPP) and audio (AAC, AMR, MPEG, MP4,
 * OGG) 16 MB, documents (PDF, text, Word, Excel, PowerPoint) 100 MB; and whether a file's
 * first bytes are what its declared type says.
 */
final class MediaTypes {

    static final long MB = 1024 * 1024;

    /** What a declared type is sent as, and its largest size. */
    record Kind(String type, long maxBytes) {
    }

    /** The most bytes a file's signature check reads. */
    static final int HEAD = 16;

    private static final Map<String, Kind> KINDS = Map.ofEntries(Map.entry("image/jpeg", new Kind("image", 5 * MB)),
            Map.entry("image/png", new Kind("image", 5 * MB)), Map.entry("video/mp4", new Kind("video", 16 * MB)),
            Map.entry("video/3gpp", new Kind("video", 16 * MB)), Map.entry("audio/aac", new Kind("audio", 16 * MB)),
            Map.entry("audio/amr", new Kind("audio", 16 * MB)), Map.entry("audio/mpeg", new Kind("audio", 16 * MB)),
            Map.entry("audio/mp4", new Kind("audio", 16 * MB)), Map.entry("audio/ogg", new Kind("audio", 16 * MB)),
            Map.entry("application/pdf", new Kind("document", 100 * MB)),
            Map.entry("text/plain", new Kind("document", 100 * MB)),
            Map.entry("application/msword", new Kind("document", 100 * MB)),
            Map.entry("application/vnd.ms-excel", new Kind("document", 100 * MB)),
            Map.entry("application/vnd.ms-powerpoint", new Kind("document", 100 * MB)),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    new Kind("document", 100 * MB)),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    new Kind("document", 100 * MB)),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation",
                    new Kind("document", 100 * MB)));

    /** The largest file of any type. */
    static final long MAX_BYTES = 100 * MB;

    private MediaTypes() {
    }

    /**
     * The largest file a customer can send as media of the given type (Meta's limits;
     * stickers 500 KB), and as any type WhatsApp does not name here: the largest of all.
     */
    static long maxBytesOf(String messageType) {
        return switch (messageType == null ? "" : messageType) {
            case "image" -> 5 * MB;
            case "video", "audio" -> 16 * MB;
            case "sticker" -> 500 * 1024;
            default -> MAX_BYTES;
        };
    }

    /**
     * The kind of a declared type ({@code image/png; x=y} reads as {@code image/png}).
     */
    static Optional<Kind> of(String declared) {
        return declared == null ? Optional.empty() : Optional.ofNullable(KINDS.get(plain(declared)));
    }

    static String plain(String declared) {
        int semicolon = declared.indexOf(';');
        return (semicolon < 0 ? declared : declared.substring(0, semicolon)).strip().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the file's first bytes fit its declared type. */
    static boolean looksLike(String declared, byte[] head) {
        return switch (plain(declared)) {
            case "image/jpeg" -> starts(head, 0xFF, 0xD8, 0xFF);
            case "image/png" -> starts(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
            case "video/mp4", "video/3gpp", "audio/mp4" -> head.length >= 8 && text(head, 4, 4).equals("ftyp");
            case "audio/ogg" -> text(head, 0, 4).equals("OggS");
            case "audio/amr" -> text(head, 0, 5).equals("#!AMR");
            case "audio/aac" -> starts(head, 0xFF, 0xF1) || starts(head, 0xFF, 0xF9);
            case "audio/mpeg" -> text(head, 0, 3).equals("ID3")
                    || (head.length >= 2 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xE0) == 0xE0);
            case "application/pdf" -> text(head, 0, 5).equals("%PDF-");
            case "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint" ->
                starts(head, 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1);
            case "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    "application/vnd.openxmlformats-officedocument.presentationml.presentation" ->
                starts(head, 'P', 'K', 0x03, 0x04);
            case "text/plain" -> head.length > 0 && Arrays.stream(toInts(head)).noneMatch(b -> b == 0);
            default -> false;
        };
    }

    private static boolean starts(byte[] head, int... signature) {
        if (head.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((head[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] head, int from, int length) {
        return head.length < from + length ? "" : new String(head, from, length, StandardCharsets.ISO_8859_1);
    }

    private static int[] toInts(byte[] bytes) {
        int[] ints = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ints[i] = bytes[i] & 0xFF;
        }
        return ints;
    }

}
