package dev.kapi.messaging.conversation;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The signed-in user's conversation with one of their customers: both directions, newest
 * first, cursor-paged like every list.
 */
@RestController
@Tag(name = "messaging")
class ConversationController {

    private final Conversations conversations;

    ConversationController(Conversations conversations) {
        this.conversations = conversations;
    }

    record Reply(String id, String title) {
    }

    record Media(String type, @JsonProperty("media_id") String mediaId, @JsonProperty("mime_type") String mimeType,
            String caption, String filename) {
    }

    record Reaction(@JsonProperty("message_id") String messageId,
            @Schema(description = "null: the reaction was taken back") String emoji) {
    }

    record Context(String wamid, @JsonProperty("message_id") Long messageId) {
    }

    record ConversationMessage(@Schema(pattern = "inbound|outbound") String direction, long id, Instant at,
            @Schema(description = "outbound: text or template; inbound: Meta's type (text, interactive, button, "
                    + "image, video, audio, document, sticker, reaction, …)") String type,
            String text, @JsonProperty("queue_id") Long queueId, String status, String template, String wamid,
            @JsonProperty("replied_at") Instant repliedAt, Reply reply, Media media, Reaction reaction,
            Context context) {

        static ConversationMessage from(Conversations.Entry entry) {
            boolean inbound = entry.direction().equals(Conversations.INBOUND);
            return new ConversationMessage(entry.direction(), entry.id(), entry.at(), entry.type(), entry.text(),
                    entry.queueId(), entry.status(), entry.template(), entry.wamid(), entry.repliedAt(),
                    entry.replyId() == null && entry.replyTitle() == null ? null
                            : new Reply(entry.replyId(), entry.replyTitle()),
                    entry.mediaId() == null ? null
                            : new Media(entry.type(), entry.mediaId(), entry.mimeType(), entry.caption(),
                                    entry.filename()),
                    inbound && "reaction".equals(entry.type()) ? new Reaction(entry.reactedTo(), entry.emoji()) : null,
                    entry.contextWamid() == null ? null : new Context(entry.contextWamid(), entry.inReplyTo()));
        }
    }

    @GetMapping("/api/messaging/customers/{id}/messages")
    @Operation(summary = "The conversation with a customer: campaign messages sent to it and what it wrote, "
            + "newest first; the next page's cursor in X-Next-Cursor")
    ResponseEntity<List<ConversationMessage>> messages(@AuthenticationPrincipal CurrentAccount me,
            @PathVariable long id, @RequestParam(required = false) @Size(max = 200) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return conversations.of(me.id(), id, cursor, limit).asArray(ConversationMessage::from);
    }

}
