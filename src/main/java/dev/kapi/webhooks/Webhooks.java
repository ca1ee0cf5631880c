package dev.kapi.webhooks;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.net.OutboundHttp;
import dev.kapi.shared.sealing.SecretSealer;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The webhooks and their deliveries. A secret is {@code whsec_} and 256 random bits,
 * shown once and kept sealed (Kapı needs it back to sign). Events are stored
 * space-separated.
 */
@Component
class Webhooks {

    static final Set<String> EVENTS = Set.of("account.registered", "account.updated", "account.deleted",
            "account.frozen", "account.unfrozen", "session.revoked", "credits.changed", "package.assigned",
            "messaging.queue.finished", "messaging.inbound", "trading.trade.executed", "event.registration.created",
            "event.registration.cancelled", "event.checked_in", "oauth.client.created", "oauth.consent.granted",
            "oauth.consent.revoked", "users.imported", "account.linked", "account.unlinked",
            "identity_provider.created", "identity_provider.updated", "identity_provider.deleted");
    static final String SEAL_CONTEXT = "webhook-secret";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final JdbcClient jdbc;

    private final SecretSealer sealer;

    private final WebhookTargets targets;

    private final Clock clock;

    Webhooks(JdbcClient jdbc, SecretSealer sealer, WebhookSettings settings, OutboundHttp outbound, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.targets = new WebhookTargets(outbound, settings.allowPrivate());
        this.clock = clock;
    }

    record Webhook(long id, String url, List<String> events, String description, Instant createdAt, Instant updatedAt) {
    }

    record Created(Webhook webhook, String secret) {
    }

    record Delivery(long id, long webhookId, UUID eventId, String type, String status, int attempts, Integer lastStatus,
            String lastError, Instant nextAttemptAt, Instant createdAt, Instant deliveredAt) {
    }

    WebhookTargets targets() {
        return targets;
    }

    Created create(long adminId, String url, List<String> events, String description) {
        String checkedUrl = targets.check(url).toString();
        String eventText = eventText(events);
        String secret = "whsec_" + HexFormat.of().formatHex(randomBytes());
        Instant now = clock.instant();
        long id = jdbc.sql("""
                INSERT INTO webhooks (url, events, description, secret_sealed, created_by, created_at, updated_at)
                VALUES (:url, :events, :description, :secret, :by, :now, :now) RETURNING id
                """)
            .param("url", checkedUrl)
            .param("events", eventText)
            .param("description", clean(description))
            .param("secret", sealer.seal(secret, SEAL_CONTEXT))
            .param("by", adminId)
            .param("now", utc(now))
            .query(Long.class)
            .single();
        return new Created(get(id).orElseThrow(), secret);
    }

    Webhook update(long id, String url, List<String> events, String description) {
        String checkedUrl = targets.check(url).toString();
        int updated = jdbc.sql("""
                UPDATE webhooks SET url = :url, events = :events, description = :description, updated_at = :now
                WHERE id = :id
                """)
            .param("url", checkedUrl)
            .param("events", eventText(events))
            .param("description", clean(description))
            .param("now", utc(clock.instant()))
            .param("id", id)
            .update();
        if (updated == 0) {
            throw unknown();
        }
        return get(id).orElseThrow();
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM webhooks WHERE id = :id").param("id", id).update() > 0;
    }

    Optional<Webhook> get(long id) {
        return jdbc.sql("SELECT * FROM webhooks WHERE id = :id")
            .param("id", id)
            .query((rs, row) -> webhook(rs))
            .optional();
    }

    List<Webhook> list(long afterId, int limit) {
        return jdbc.sql("SELECT * FROM webhooks WHERE id > :after ORDER BY id LIMIT :limit")
            .param("after", afterId)
            .param("limit", limit)
            .query((rs, row) -> webhook(rs))
            .list();
    }

    /**
     * A webhook's deliveries, newest first, before the delivery id {@code beforeId}
     * (null: from the newest).
     */
    List<Delivery> deliveries(long webhookId, Long beforeId, int limit) {
        return jdbc.sql("""
                SELECT * FROM webhook_deliveries
                WHERE webhook_id = :webhook AND id < :before ORDER BY id DESC LIMIT :limit
                """)
            .param("webhook", webhookId)
            .param("before", beforeId == null ? Long.MAX_VALUE : beforeId)
            .param("limit", limit)
            .query((rs, row) -> delivery(rs))
            .list();
    }

    /** Makes the delivery pending and due now, with its event id and body unchanged. */
    Delivery redeliver(long webhookId, long deliveryId) {
        Instant now = clock.instant();
        int updated = jdbc.sql("""
                UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = :now,
                    updated_at = :now
                WHERE id = :id AND webhook_id = :webhook
                """).param("now", utc(now)).param("id", deliveryId).param("webhook", webhookId).update();
        if (updated == 0) {
            throw ApiException.notFound("webhook-delivery-not-found");
        }
        return jdbc.sql("SELECT * FROM webhook_deliveries WHERE id = :id")
            .param("id", deliveryId)
            .query((rs, row) -> delivery(rs))
            .single();
    }

    static ApiException unknown() {
        return ApiException.notFound("webhook-not-found");
    }

    private static String eventText(List<String> events) {
        Set<String> distinct = new LinkedHashSet<>();
        for (String event : events) {
            if (event == null || !EVENTS.contains(event)) {
                throw ApiException.invalidField("events", "webhook-event-unknown");
            }
            distinct.add(event);
        }
        if (distinct.isEmpty()) {
            throw ApiException.invalidField("events", "webhook-event-unknown");
        }
        return String.join(" ", distinct);
    }

    private static String clean(String description) {
        return description == null ? "" : description.strip();
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        return new Webhook(rs.getLong("id"), rs.getString("url"), List.of(rs.getString("events").split(" ")),
                rs.getString("description"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(rs.getLong("id"), rs.getLong("webhook_id"), rs.getObject("event_id", UUID.class),
                rs.getString("type"), rs.getString("status"), rs.getInt("attempts"),
                (Integer) rs.getObject("last_status"), rs.getString("last_error"), instant(rs, "next_attempt_at"),
                instant(rs, "created_at"), instant(rs, "delivered_at"));
    }

}
