package dev.kapi.messaging.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.messaging.contact.Customer;
import dev.kapi.messaging.contact.Customers;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * A user's conversation with one of their customers: the campaign messages sent to it and
 * what it wrote back, newest first, keyset-paged on (time, direction, id). Only the
 * owner's customer is read (another user's id is 404), and only the owner's rows.
 */
@Service
class Conversations {

    static final String INBOUND = "inbound";

    static final String OUTBOUND = "outbound";

    private final JdbcClient jdbc;

    private final Customers customers;

    Conversations(JdbcClient jdbc, Customers customers) {
        this.jdbc = jdbc;
        this.customers = customers;
    }

    /** One message of either direction; the fields that do not apply are null. */
    record Entry(String direction, long id, Instant at, String type, String text, Long queueId, String status,
            String template, String wamid, Instant repliedAt, String replyId, String replyTitle, String mediaId,
            String mimeType, String caption, String filename, String emoji, String reactedTo, String contextWamid,
            Long inReplyTo) {
    }

    @Transactional(readOnly = true)
    Page<Entry> of(long owner, long customerId, String cursor, int limit) {
        Customer customer = customers.byId(owner, customerId)
            .orElseThrow(() -> ApiException.notFound("customer-not-found"));
        Instant at = null;
        String direction = null;
        long id = 0;
        if (cursor != null) {
            List<String> parts = Cursors.decode(cursor, 3);
            try {
                at = Instant.parse(parts.get(0));
                direction = parts.get(1);
                id = Long.parseLong(parts.get(2));
            }
            catch (DateTimeParseException | NumberFormatException ex) {
                throw Cursors.invalid();
            }
        }
        List<Entry> rows = jdbc.sql("""
                SELECT * FROM (
                    SELECT 'outbound' AS direction, m.id, coalesce(m.sent_at, m.failed_at) AS at,
                           CASE WHEN q.template_name IS NULL THEN 'text' ELSE 'template' END AS type,
                           CASE WHEN q.template_name IS NULL THEN q.body END AS text, m.queue_id, m.status,
                           q.template_name AS template, m.provider_message_id AS wamid, m.replied_at,
                           NULL AS reply_id, NULL AS reply_title, NULL AS media_id, NULL AS mime_type, NULL AS caption,
                           NULL AS filename, NULL AS emoji, NULL AS reacted_to, NULL AS context_wamid,
                           CAST(NULL AS bigint) AS message_id
                    FROM messaging_messages m JOIN messaging_queues q ON q.id = m.queue_id
                    WHERE m.customer_id = :customer AND m.owner_id = :owner
                      AND (m.sent_at IS NOT NULL OR m.failed_at IS NOT NULL)
                    UNION ALL
                    SELECT 'inbound', i.id, i.received_at, i.type, i.text, NULL, NULL, NULL, i.wamid, NULL,
                           i.reply_id, i.reply_title, i.media_id, i.mime_type, i.caption, i.filename, i.emoji,
                           i.reacted_to, i.context_wamid, i.message_id
                    FROM messaging_inbound i
                    WHERE i.owner_id = :owner AND i.phone = :phone
                ) c
                WHERE CAST(:at AS timestamptz) IS NULL OR (c.at, c.direction, c.id) < (:at, :direction, :id)
                ORDER BY c.at DESC, c.direction DESC, c.id DESC
                LIMIT :limit
                """)
            .param("customer", customer.id())
            .param("owner", owner)
            .param("phone", customer.phone())
            .param("at", at == null ? null : utc(at))
            .param("direction", direction == null ? "" : direction)
            .param("id", id)
            .param("limit", limit + 1)
            .query(Conversations::map)
            .list();
        return Page.of(rows, limit, last -> Cursors.encode(last.at(), last.direction(), last.id()));
    }

    private static Entry map(ResultSet rs, int n) throws SQLException {
        return new Entry(rs.getString("direction"), rs.getLong("id"), instant(rs, "at"), rs.getString("type"),
                rs.getString("text"), rs.getObject("queue_id", Long.class), rs.getString("status"),
                rs.getString("template"), rs.getString("wamid"), instant(rs, "replied_at"), rs.getString("reply_id"),
                rs.getString("reply_title"), rs.getString("media_id"), rs.getString("mime_type"),
                rs.getString("caption"), rs.getString("filename"), rs.getString("emoji"), rs.getString("reacted_to"),
                rs.getString("context_wamid"), rs.getObject("message_id", Long.class));
    }

}
