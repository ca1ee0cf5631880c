package dev.kapi.messaging.whatsapp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.messaging.queue.Queue;
import dev.kapi.messaging.queue.TemplateHolds;
import dev.kapi.messaging.sender.Senders;
import tools.jackson.databind.JsonNode;

/**
 * Meta's template and number callbacks ({@code change.field}
 * {@code message_template_status_update}, {@code message_template_quality_update},
 * {@code phone_number_quality_update}), each applied in its own transaction as it comes:
 * a paused template holds the queues that send it, an approved or reinstated one releases
 * them, a disabled one cancels them; quality scores, number events and messaging tiers
 * are recorded. A callback Meta retries is applied once (its digest), and one older than
 * what is recorded changes nothing (Meta's {@code entry.time}).
 */
@Service
class TemplateSignals {

    static final String TEMPLATE_STATUS = "message_template_status_update";

    static final String TEMPLATE_QUALITY = "message_template_quality_update";

    static final String NUMBER_QUALITY = "phone_number_quality_update";

    /** The fields this class applies. */
    static final Set<String> FIELDS = Set.of(TEMPLATE_STATUS, TEMPLATE_QUALITY, NUMBER_QUALITY);

    private static final Set<String> QUALITIES = Set.of("GREEN", "YELLOW", "RED", "UNKNOWN");

    private static final int MAX_TEXT = 512;

    private static final Logger log = LoggerFactory.getLogger(TemplateSignals.class);

    private final MessageTemplates templates;

    private final TemplateHolds holds;

    private final Senders senders;

    private final BusinessAccounts accounts;

    private final CallbackSignals seen;

    private final Clock clock;

    TemplateSignals(MessageTemplates templates, TemplateHolds holds, Senders senders, BusinessAccounts accounts,
            CallbackSignals seen, Clock clock) {
        this.templates = templates;
        this.holds = holds;
        this.senders = senders;
        this.accounts = accounts;
        this.seen = seen;
        this.clock = clock;
    }

    /**
     * One change of one business account ({@code entry.id}, reported at
     * {@code entry.time}); returns whether it changed anything.
     */
    @Transactional
    boolean apply(String field, String wabaId, long time, JsonNode value) {
        Instant now = clock.instant();
        Instant at = time > 0 && time < Instant.MAX.getEpochSecond() ? Instant.ofEpochSecond(time) : now;
        // Older than the digests are kept: a replay, never applied (Meta retries for 7
        // days).
        if (wabaId == null || wabaId.length() > MAX_TEXT || at.isBefore(now.minus(CallbackSignals.KEPT))
                || !seen.first(digest(field, wabaId, time, value), now)) {
            return false;
        }
        return switch (field) {
            case TEMPLATE_STATUS -> templateStatus(wabaId, at, value);
            case TEMPLATE_QUALITY -> templateQuality(wabaId, at, value);
            case NUMBER_QUALITY -> numberQuality(wabaId, at, value);
            default -> false;
        };
    }

    /**
     * PAUSED holds the queues, APPROVED or REINSTATED (Meta sends either when a pause
     * ends) releases them, DISABLED cancels them; any other event (REJECTED, FLAGGED,
     * PENDING_DELETION, ...) is only recorded.
     */
    private boolean templateStatus(String wabaId, Instant at, JsonNode value) {
        String event = upper(value.path("event"));
        if (event == null) {
            return false;
        }
        String status = "REINSTATED".equals(event) ? MessageTemplate.APPROVED : event;
        List<MessageTemplates.Named> changed = templates.recordStatus(wabaId, text(value.path("message_template_id")),
                text(value.path("message_template_name")), text(value.path("message_template_language")), status, at);
        for (MessageTemplates.Named template : changed) {
            List<Long> queues = switch (status) {
                case MessageTemplates.PAUSED ->
                    holds.hold(wabaId, template.name(), template.language(), Queue.TEMPLATE_PAUSED);
                case MessageTemplate.APPROVED -> holds.release(wabaId, template.name(), template.language());
                case "DISABLED" -> holds.cancel(wabaId, template.name(), template.language());
                default -> List.of();
            };
            log.info("Template {} ({}) of business account {} is {}: queues {}", template.name(), template.language(),
                    wabaId, status, queues);
        }
        return !changed.isEmpty();
    }

    private boolean templateQuality(String wabaId, Instant at, JsonNode value) {
        String quality = upper(value.path("new_quality_score"));
        return templates.recordQuality(wabaId, text(value.path("message_template_id")),
                text(value.path("message_template_name")), text(value.path("message_template_language")),
                quality != null && QUALITIES.contains(quality) ? quality : "UNKNOWN", at) > 0;
    }

    /**
     * The number's event, and its business's messaging tier: Meta's
     * {@code max_daily_conversations_per_business}, else the older {@code current_limit}.
     */
    private boolean numberQuality(String wabaId, Instant at, JsonNode value) {
        String event = upper(value.path("event"));
        String phone = text(value.path("display_phone_number"));
        if (event == null || phone == null) {
            return false;
        }
        List<Long> owners = senders.recordQualityEvent(wabaId, phone, event, at);
        String tier = text(value.path("max_daily_conversations_per_business"));
        MessagingLimit.ofMetaTier(tier != null ? tier : text(value.path("current_limit")))
            .ifPresent(limit -> owners.forEach(owner -> accounts.setLimit(owner, wabaId, limit, clock.instant())));
        return !owners.isEmpty();
    }

    private static String text(JsonNode node) {
        String text = node.isNumber() ? node.asString() : node.asString(null);
        return text == null || text.isBlank() || text.length() > MAX_TEXT ? null : text.strip();
    }

    private static String upper(JsonNode node) {
        String text = text(node);
        return text == null ? null : text.toUpperCase(Locale.ROOT);
    }

    private static byte[] digest(String field, String wabaId, long time, JsonNode value) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(
                    (field + '\u0000' + wabaId + '\u0000' + time + '\u0000' + value).getBytes(StandardCharsets.UTF_8));
            return sha.digest();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
