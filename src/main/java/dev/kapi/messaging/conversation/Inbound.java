package dev.kapi.messaging.conversation;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * One message a recipient wrote, as Meta's callback describes it ({@code messages[]}):
 * its wamid, number (or, from a user who hides it behind a username, business-scoped user
 * id) and time, its type, and what Kapı keeps of it — a text's body, a reply button's or
 * list row's id and title, a template quick reply's payload and text, a media's id, type,
 * caption and file name, a reaction's emoji and the message it is on, and the message it
 * answers ({@code context.id}). Every text is capped.
 */
public record Inbound(String wamid, String from, String userId, Instant at, String type, String text, String replyId,
        String replyTitle, String mediaId, String mimeType, String caption, String filename, String emoji,
        String reactedTo, String contextWamid) {

    static final int MAX_TEXT = 4096;

    static final int MAX_CAPTION = 1024;

    static final int MAX_ID = 256;

    /**
     * A BSUID: a country code, a dot and up to 128 characters (an enterprise one more).
     */
    static final int MAX_USER_ID = 160;

    static final Set<String> MEDIA = Set.of("image", "video", "audio", "document", "sticker");

    /**
     * The message, or empty when it names no wamid or no sender: neither a number
     * ({@code from}) nor, for a user who adopted a username and hides the number, a
     * business-scoped user id ({@code from_user_id}).
     */
    public static Optional<Inbound> of(JsonNode message, Instant now) {
        String wamid = cap(message.path("id").asString(null), MAX_ID);
        String from = cap(message.path("from").asString(null), 32);
        String userId = cap(message.path("from_user_id").asString(null), MAX_USER_ID);
        if (wamid == null || (from == null && userId == null)) {
            return Optional.empty();
        }
        long seconds = message.path("timestamp").asLong(0);
        Instant at = seconds > 0 ? Instant.ofEpochSecond(seconds) : now;
        String type = cap(message.path("type").asString("unknown"), 32);
        String text = null;
        String replyId = null;
        String replyTitle = null;
        String mediaId = null;
        String mimeType = null;
        String caption = null;
        String filename = null;
        String emoji = null;
        String reactedTo = null;
        switch (type) {
            case "text" -> text = cap(message.path("text").path("body").asString(null), MAX_TEXT);
            case "interactive" -> {
                JsonNode interactive = message.path("interactive");
                JsonNode reply = interactive.path("button_reply").isObject() ? interactive.path("button_reply")
                        : interactive.path("list_reply");
                replyId = cap(reply.path("id").asString(null), MAX_ID);
                replyTitle = cap(reply.path("title").asString(null), MAX_ID);
                text = replyTitle;
            }
            case "button" -> {
                replyId = cap(message.path("button").path("payload").asString(null), MAX_ID);
                replyTitle = cap(message.path("button").path("text").asString(null), MAX_ID);
                text = replyTitle;
            }
            case "reaction" -> {
                emoji = cap(message.path("reaction").path("emoji").asString(null), 32);
                reactedTo = cap(message.path("reaction").path("message_id").asString(null), MAX_ID);
            }
            default -> {
                if (MEDIA.contains(type)) {
                    JsonNode media = message.path(type);
                    mediaId = cap(media.path("id").asString(null), MAX_ID);
                    mimeType = cap(media.path("mime_type").asString(null), 128);
                    caption = cap(media.path("caption").asString(null), MAX_CAPTION);
                    filename = cap(media.path("filename").asString(null), MAX_ID);
                }
            }
        }
        String context = cap(message.path("context").path("id").asString(null), MAX_ID);
        return Optional.of(new Inbound(wamid, from, userId, at, type, text, replyId, replyTitle, mediaId, mimeType,
                caption, filename, emoji, reactedTo, context));
    }

    /** What an opt-out word is looked for in: a text, or a button's text. */
    public String words() {
        return text;
    }

    /** A text, a title or a caption: what a webhook receiver reads first. */
    String summary() {
        return text != null ? text : caption;
    }

    private static String cap(String value, int max) {
        return value == null ? null : value.length() > max ? value.substring(0, max) : value;
    }

}
