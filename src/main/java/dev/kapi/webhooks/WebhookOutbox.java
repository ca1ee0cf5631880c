package dev.kapi.webhooks;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.events.EventCheckedIn;
import dev.kapi.events.EventRegistrationCancelled;
import dev.kapi.events.EventRegistrationCreated;
import dev.kapi.identity.AccountDeleted;
import dev.kapi.identity.AccountLinked;
import dev.kapi.identity.AccountUnlinked;
import dev.kapi.identity.AccountFrozen;
import dev.kapi.identity.AccountRegistered;
import dev.kapi.identity.AccountUpdated;
import dev.kapi.identity.IdentityProviderChanged;
import dev.kapi.identity.OAuthClientCreated;
import dev.kapi.identity.OAuthConsentGranted;
import dev.kapi.identity.OAuthConsentRevoked;
import dev.kapi.identity.SessionRevoked;
import dev.kapi.identity.UsersImported;
import dev.kapi.messaging.InboundMessageReceived;
import dev.kapi.messaging.QueueFinished;
import dev.kapi.plans.CreditsChanged;
import dev.kapi.plans.PackageAssigned;
import dev.kapi.trading.TradeExecuted;
import tools.jackson.databind.json.JsonMapper;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Writes each event, once per webhook that wants it, to the outbox. The listeners are
 * plain {@code @EventListener}s: they run in the publisher's transaction, so a row
 * commits with the change it tells of and none is left by a change that rolled back. The
 * body is made here, once: every retry sends these bytes under this event id.
 */
@Component
class WebhookOutbox {

    private final JdbcClient jdbc;

    private final JsonMapper json;

    private final Clock clock;

    WebhookOutbox(JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @EventListener
    void on(AccountRegistered registered) {
        record("account.registered", data("account_id", registered.accountId(), "public_id", registered.publicId(),
                "email", registered.email(), "role", registered.role()));
    }

    @EventListener
    void on(AccountDeleted deleted) {
        record("account.deleted", data("account_id", deleted.accountId(), "public_id", deleted.publicId()));
    }

    @EventListener
    void on(AccountUpdated updated) {
        record("account.updated", data("account_id", updated.accountId(), "public_id", updated.publicId(),
                "email_changed", updated.emailChanged()));
    }

    @EventListener
    void on(AccountFrozen frozen) {
        record(frozen.frozen() ? "account.frozen" : "account.unfrozen",
                data("account_id", frozen.accountId(), "public_id", frozen.publicId(), "reason", frozen.reason(),
                        "active", frozen.active(), "frozen", frozen.accountFrozen()));
    }

    @EventListener
    void on(CreditsChanged changed) {
        record("credits.changed", data("account_id", changed.accountId(), "kind", changed.kind(), "amount",
                changed.amount(), "reason", changed.reason()));
    }

    @EventListener
    void on(PackageAssigned assigned) {
        record("package.assigned",
                data("account_id", assigned.accountId(), "user_package_id", assigned.userPackageId(), "package_id",
                        assigned.packageId(), "package_name", assigned.packageName(), "starts_at",
                        assigned.startsAt().toString(), "ends_at", assigned.endsAt().toString()));
    }

    @EventListener
    void on(QueueFinished finished) {
        record("messaging.queue.finished", data("queue_id", finished.queueId(), "account_id", finished.accountId(),
                "status", "completed", "finished_at", finished.finishedAt().toString()));
    }

    @EventListener
    void on(InboundMessageReceived inbound) {
        record("messaging.inbound",
                data("account_id", inbound.accountId(), "inbound_id", inbound.inboundId(), "customer_id",
                        inbound.customerId(), "phone", inbound.phone(), "user_id", inbound.userId(), "type",
                        inbound.type(), "text", inbound.text(), "in_reply_to", inbound.inReplyTo(), "received_at",
                        inbound.receivedAt().toString()));
    }

    @EventListener
    void on(SessionRevoked revoked) {
        record("session.revoked",
                data("account_id", revoked.accountId(), "session_id",
                        revoked.sessionId() == null ? null : revoked.sessionId().toString(), "all_sessions",
                        revoked.sessionId() == null, "reason", revoked.reason()));
    }

    @EventListener
    void on(OAuthClientCreated created) {
        record("oauth.client.created",
                data("client_id", created.clientId(), "client_name", created.clientName(), "client_type",
                        created.clientType(), "grant_types", created.grantTypes(), "scopes", created.scopes(),
                        "created_by", created.createdBy()));
    }

    @EventListener
    void on(OAuthConsentGranted granted) {
        record("oauth.consent.granted",
                data("account_id", granted.accountId(), "client_id", granted.clientId(), "scopes", granted.scopes()));
    }

    @EventListener
    void on(OAuthConsentRevoked revoked) {
        record("oauth.consent.revoked", data("account_id", revoked.accountId(), "client_id", revoked.clientId()));
    }

    @EventListener
    void on(UsersImported imported) {
        record("users.imported", data("imported", imported.imported(), "updated", imported.updated(), "skipped",
                imported.skipped(), "imported_by", imported.importedBy()));
    }

    @EventListener
    void on(AccountLinked linked) {
        record("account.linked", data("account_id", linked.accountId(), "public_id", linked.publicId(), "alias",
                linked.alias(), "subject", linked.subject()));
    }

    @EventListener
    void on(AccountUnlinked unlinked) {
        record("account.unlinked", data("account_id", unlinked.accountId(), "public_id", unlinked.publicId(), "alias",
                unlinked.alias(), "subject", unlinked.subject()));
    }

    @EventListener
    void on(IdentityProviderChanged changed) {
        record("identity_provider." + changed.change(),
                data("alias", changed.alias(), "type", changed.type(), "changed_by", changed.changedBy()));
    }

    @EventListener
    void on(TradeExecuted trade) {
        record("trading.trade.executed",
                data("trade_id", trade.tradeId(), "bot_id", trade.botId(), "account_id", trade.accountId(), "symbol",
                        trade.symbol(), "side", trade.side(), "price", plain(trade.price()), "quantity",
                        plain(trade.quantity()), "fee", plain(trade.fee()), "realized_pnl", plain(trade.realizedPnl()),
                        "exit_reason", trade.exitReason(), "source", trade.source(), "executed_at",
                        trade.executedAt() == null ? null : trade.executedAt().toString()));
    }

    @EventListener
    void on(EventRegistrationCreated created) {
        record("event.registration.created", data("registration_id", created.registrationId(), "event_id",
                created.eventId(), "account_id", created.accountId(), "status", created.status()));
    }

    @EventListener
    void on(EventRegistrationCancelled cancelled) {
        record("event.registration.cancelled",
                data("registration_id", cancelled.registrationId(), "event_id", cancelled.eventId(), "account_id",
                        cancelled.accountId(), "promoted_registration_id", cancelled.promotedRegistrationId()));
    }

    @EventListener
    void on(EventCheckedIn checkedIn) {
        record("event.checked_in", data("registration_id", checkedIn.registrationId(), "event_id", checkedIn.eventId(),
                "account_id", checkedIn.accountId(), "checked_in_at", checkedIn.checkedInAt().toString()));
    }

    /**
     * Queues the event for every webhook subscribed to its type; nothing when none is.
     */
    void record(String type, Map<String, Object> data) {
        UUID eventId = UUID.randomUUID();
        Instant now = clock.instant();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", eventId.toString());
        body.put("type", type);
        body.put("created_at", now.toString());
        body.put("data", data);
        jdbc.sql(
                """
                        INSERT INTO webhook_deliveries (webhook_id, event_id, type, body, next_attempt_at, created_at, updated_at)
                        SELECT id, :event, :type, :body, :now, :now, :now FROM webhooks
                        WHERE :type = ANY (string_to_array(events, ' '))
                        """)
            .param("event", eventId)
            .param("type", type)
            .param("body", json.writeValueAsString(body))
            .param("now", utc(now))
            .update();
    }

    private static String plain(java.math.BigDecimal value) {
        return value == null ? null : value.toPlainString();
    }

    private static Map<String, Object> data(Object... pairs) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            data.put((String) pairs[i], pairs[i + 1]);
        }
        return data;
    }

}
