package dev.kapi.webhooks;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Webhooks, managed by admins (and by service keys with admin scopes): the secret is in
 * the answer to the creation only; deliveries can be listed and sent again.
 */
@RestController
@RequestMapping("/api/admin/webhooks")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class WebhooksController {

    private final Webhooks webhooks;

    private final RecentAuthentication recentAuthentication;

    WebhooksController(Webhooks webhooks, RecentAuthentication recentAuthentication) {
        this.webhooks = webhooks;
        this.recentAuthentication = recentAuthentication;
    }

    record WebhookRequest(@NotBlank @Size(max = WebhookTargets.MAX_URL) String url,
            @NotEmpty @Size(max = 20) List<@Size(max = 64) String> events, @Size(max = 500) String description) {
    }

    record WebhookResponse(long id, String url, List<String> events, String description,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {

        static WebhookResponse from(Webhooks.Webhook webhook) {
            return new WebhookResponse(webhook.id(), webhook.url(), webhook.events(), webhook.description(),
                    webhook.createdAt(), webhook.updatedAt());
        }
    }

    record CreatedWebhook(long id, String url, List<String> events, String description, String secret,
            @JsonProperty("created_at") Instant createdAt) {
    }

    record DeliveryResponse(long id, @JsonProperty("event_id") UUID eventId, String type,
            @Schema(pattern = "pending|delivered|failed") String status, int attempts,
            @JsonProperty("last_status") Integer lastStatus, @JsonProperty("last_error") String lastError,
            @JsonProperty("next_attempt_at") Instant nextAttemptAt, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("delivered_at") Instant deliveredAt) {

        static DeliveryResponse from(Webhooks.Delivery delivery) {
            return new DeliveryResponse(delivery.id(), delivery.eventId(), delivery.type(), delivery.status(),
                    delivery.attempts(), delivery.lastStatus(), delivery.lastError(),
                    "pending".equals(delivery.status()) ? delivery.nextAttemptAt() : null, delivery.createdAt(),
                    delivery.deliveredAt());
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a webhook; its signing secret (whsec_...) is in this answer only")
    ResponseEntity<CreatedWebhook> create(@AuthenticationPrincipal CurrentAccount admin,
            @Valid @RequestBody WebhookRequest request) {
        // Where account events go: a stolen admin session must not point them at itself.
        recentAuthentication.requireOfPerson(admin);
        Webhooks.Created created = webhooks.create(admin.id(), request.url(), request.events(), request.description());
        Webhooks.Webhook webhook = created.webhook();
        return ResponseEntity.created(URI.create("/api/admin/webhooks/" + webhook.id()))
            .body(new CreatedWebhook(webhook.id(), webhook.url(), webhook.events(), webhook.description(),
                    created.secret(), webhook.createdAt()));
    }

    @GetMapping
    @Operation(summary = "Webhooks in creation order (never their secrets)")
    ResponseEntity<List<WebhookResponse>> list(@RequestParam(defaultValue = "50") @PageLimit int limit,
            @RequestParam(required = false) @Size(max = 32) String cursor) {
        Long after = Cursors.afterId(cursor);
        return Page.byId(webhooks.list(after == null ? 0 : after, limit + 1), limit, Webhooks.Webhook::id)
            .asArray(WebhookResponse::from);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One webhook")
    WebhookResponse get(@PathVariable long id) {
        return webhooks.get(id).map(WebhookResponse::from).orElseThrow(Webhooks::unknown);
    }

    @PutMapping("/{id}")
    @Operation(summary = "Replace a webhook's URL, events and description; the secret stays")
    WebhookResponse update(@AuthenticationPrincipal CurrentAccount admin, @PathVariable long id,
            @Valid @RequestBody WebhookRequest request) {
        recentAuthentication.requireOfPerson(admin);
        return WebhookResponse.from(webhooks.update(id, request.url(), request.events(), request.description()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a webhook and its deliveries")
    void delete(@PathVariable long id) {
        if (!webhooks.delete(id)) {
            throw Webhooks.unknown();
        }
    }

    @GetMapping("/{id}/deliveries")
    @Operation(summary = "A webhook's deliveries, newest first: status, attempts and the receiver's last answer")
    ResponseEntity<List<DeliveryResponse>> deliveries(@PathVariable long id,
            @RequestParam(defaultValue = "50") @PageLimit int limit,
            @RequestParam(required = false) @Size(max = 32) String cursor) {
        webhooks.get(id).orElseThrow(Webhooks::unknown);
        return Page.byId(webhooks.deliveries(id, Cursors.afterId(cursor), limit + 1), limit, Webhooks.Delivery::id)
            .asArray(DeliveryResponse::from);
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/redeliver")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Send a delivery again: pending and due now, with the same event id and body")
    DeliveryResponse redeliver(@PathVariable long id, @PathVariable("deliveryId") long deliveryId) {
        return DeliveryResponse.from(webhooks.redeliver(id, deliveryId));
    }

}
