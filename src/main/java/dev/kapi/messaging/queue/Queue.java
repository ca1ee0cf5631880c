package dev.kapi.messaging.queue;

import java.time.Instant;
import java.util.List;

import dev.kapi.messaging.draft.RichContent;
import dev.kapi.messaging.draft.TemplateMessage;

/**
 * A campaign: a draft's text (or media or interactive message, {@code rich}, or WhatsApp
 * template message) sent from one or more of the user's accounts to groups and customers,
 * at once or from {@code scheduledAt}. Its {@link QueueStatus} is {@code created} until
 * started; then {@code scheduled} or {@code running}, {@code paused}, and finally
 * {@code completed} or {@code cancelled}. A queue the system paused for its template says
 * why in {@code pauseReason}. {@code charged} is what its settlements spent;
 * {@code creditsUncovered} what Meta billed beyond its holds that the owner's balance
 * could not cover when it settled.
 */
public record Queue(long id, long ownerId, String name, Long draftId, String body, TemplateMessage template,
        String templateCategory, List<Long> senderIds, List<Long> groupIds, List<Long> customerIds, QueueStatus status,
        Instant scheduledAt, int total, int blacklisted, long charged, Instant createdAt, Instant startedAt,
        Instant finishedAt, Instant updatedAt, int creditCost, RichContent rich, String pauseReason,
        long creditsUncovered) {

    /** The pause reason of a queue held because Meta paused its template. */
    public static final String TEMPLATE_PAUSED = "template-paused";

    /**
     * The pause reason of a queue held because Meta does not know its template (or its
     * language).
     */
    public static final String TEMPLATE_MISSING = "template-missing";

    /**
     * A free-form text (not a template): Meta lets it out only inside the recipient's
     * service window.
     */
    public boolean freeForm() {
        return template == null;
    }

    /**
     * What Meta charges the messages as: the template's category, or {@code service} for
     * a free text.
     */
    String category() {
        return template == null ? SERVICE : templateCategory;
    }

    public static final String SERVICE = "service";

    boolean ended() {
        return status.ended();
    }
}
