package dev.kapi.messaging.conversation;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The messages recipients wrote ({@code messaging_inbound}), one row per owner and wamid:
 * a callback Meta sends again stores nothing; and the first reply to a campaign message
 * marks it {@code replied_at}.
 */
@Repository
public class InboundMessages {

    private final JdbcClient jdbc;

    InboundMessages(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores the message unless the owner has it already; returns its new id, empty for a
     * message stored before.
     */
    OptionalLong insert(long owner, long senderId, String phone, Long customerId, Inbound message, Long messageId,
            Instant now) {
        return jdbc
            .sql("""
                    INSERT INTO messaging_inbound (owner_id, sender_id, wamid, phone, user_id, customer_id, type, text, reply_id,
                                                   reply_title, media_id, mime_type, caption, filename, emoji, reacted_to,
                                                   context_wamid, message_id, received_at, created_at)
                    VALUES (:owner, :sender, :wamid, :phone, :userId, :customer, :type, :text, :replyId, :replyTitle, :mediaId,
                            :mimeType, :caption, :filename, :emoji, :reactedTo, :context, :messageId, :at, :now)
                    ON CONFLICT (owner_id, wamid) DO NOTHING
                    RETURNING id
                    """)
            .param("owner", owner)
            .param("sender", senderId)
            .param("wamid", message.wamid())
            .param("phone", phone)
            .param("userId", message.userId())
            .param("customer", customerId)
            .param("type", message.type())
            .param("text", message.text())
            .param("replyId", message.replyId())
            .param("replyTitle", message.replyTitle())
            .param("mediaId", message.mediaId())
            .param("mimeType", message.mimeType())
            .param("caption", message.caption())
            .param("filename", message.filename())
            .param("emoji", message.emoji())
            .param("reactedTo", message.reactedTo())
            .param("context", message.contextWamid())
            .param("messageId", messageId)
            .param("at", utc(message.at()))
            .param("now", utc(now))
            .query(Long.class)
            .optional()
            .map(OptionalLong::of)
            .orElse(OptionalLong.empty());
    }

    /**
     * The owner's campaign message with this wamid, marked replied at {@code at} the
     * first time; empty when the owner sent no such message.
     */
    Long replied(long owner, String wamid, Instant at) {
        if (wamid == null) {
            return null;
        }
        return jdbc.sql("""
                UPDATE messaging_messages SET replied_at = coalesce(replied_at, :at)
                WHERE provider_message_id = :wamid AND owner_id = :owner
                RETURNING id
                """)
            .param("at", utc(at))
            .param("wamid", wamid)
            .param("owner", owner)
            .query(Long.class)
            .optional()
            .orElse(null);
    }

    /**
     * The media of message {@code id}, when it is one the customer with this number wrote
     * to the owner and it names a media id: the same rows the customer's conversation
     * shows.
     */
    public Optional<InboundMedia> media(long owner, String phone, long id) {
        return jdbc.sql("""
                SELECT id, sender_id, type, media_id, mime_type, filename, received_at FROM messaging_inbound
                WHERE id = :id AND owner_id = :owner AND phone = :phone AND media_id IS NOT NULL
                """)
            .param("id", id)
            .param("owner", owner)
            .param("phone", phone)
            .query((rs, n) -> new InboundMedia(rs.getLong("id"), rs.getLong("sender_id"), rs.getString("type"),
                    rs.getString("media_id"), rs.getString("mime_type"), rs.getString("filename"),
                    instant(rs, "received_at")))
            .optional();
    }

    /** Every message written to the owner (an account deleted for good). */
    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_inbound WHERE owner_id = :owner").param("owner", owner).update();
    }

}
