package dev.kapi.messaging.queue;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.messaging.draft.RichContent;
import dev.kapi.messaging.draft.Template;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 001's queue routes: campaigns of the signed-in user, their life cycle and their
 * messages.
 */
@RestController
@RequestMapping("/api/messaging/queues")
@Tag(name = "messaging")
class QueueController {

    private final QueueManagement queues;

    QueueController(QueueManagement queues) {
        this.queues = queues;
    }

    record CreateQueueRequest(@Size(max = 200) String name, @JsonProperty("draft_id") @NotNull Long draftId,
            @JsonProperty("sender_ids") @NotEmpty @Size(max = 50) List<@NotNull Long> senderIds,
            @JsonProperty("group_ids") @Size(max = 1_000) List<@NotNull Long> groupIds,
            @JsonProperty("customer_ids") @Size(max = 100_000) List<@NotNull Long> customerIds,
            @JsonProperty("scheduled_at") @Schema(format = "date-time") String scheduledAt) {
    }

    record QueueResponse(long id, String name, @JsonProperty("draft_id") Long draftId, String body, Template template,
            String category, QueueStatus status,
            @JsonProperty("pause_reason") @Schema(pattern = "template-paused|template-missing") String pauseReason,
            @JsonProperty("sender_ids") List<Long> senderIds, @JsonProperty("group_ids") List<Long> groupIds,
            @JsonProperty("customer_ids") List<Long> customerIds, @JsonProperty("scheduled_at") Instant scheduledAt,
            int total, int blacklisted, Map<String, Long> counts, double progress,
            @JsonProperty("estimated_finish") Instant estimatedFinish, @JsonProperty("credits_held") long creditsHeld,
            @JsonProperty("credits_spent") long creditsSpent,
            @JsonProperty("credits_uncovered") @Schema(
                    description = "what Meta billed beyond the queue's holds that the balance could not cover when it settled") long creditsUncovered,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("started_at") Instant startedAt,
            @JsonProperty("finished_at") Instant finishedAt, RichContent.Media media,
            RichContent.Interactive interactive) {

        static QueueResponse from(QueueManagement.QueueView view) {
            Queue queue = view.queue();
            long remaining = view.counts().get(MessageStatus.PENDING.wire())
                    + view.counts().get(MessageStatus.SENDING.wire())
                    + view.counts().get(MessageStatus.DEFERRED.wire());
            double progress = queue.total() == 0 ? 0
                    : Math.round((queue.total() - remaining) * 10_000.0 / queue.total()) / 10_000.0;
            return new QueueResponse(queue.id(), queue.name(), queue.draftId(), queue.body(),
                    Template.from(queue.template()), queue.category(), queue.status(), queue.pauseReason(),
                    queue.senderIds(), queue.groupIds(), queue.customerIds(), queue.scheduledAt(), queue.total(),
                    queue.blacklisted(), view.counts(), progress, view.estimatedFinish(), view.heldCredits(),
                    queue.charged(), queue.creditsUncovered(), queue.createdAt(), queue.startedAt(), queue.finishedAt(),
                    queue.rich() == null ? null : queue.rich().media(),
                    queue.rich() == null ? null : queue.rich().interactive());
        }
    }

    record PreflightResponse(long selected, long blacklisted, long graylisted,
            @JsonProperty("graylist_skipped") long graylistSkipped,
            @JsonProperty("service_window_applies") boolean serviceWindowApplies,
            @JsonProperty("inside_service_window") long insideServiceWindow,
            @JsonProperty("outside_service_window") long outsideServiceWindow, long recipients,
            @JsonProperty("credits_needed") long creditsNeeded,
            @JsonProperty("credits_available") long creditsAvailable,
            @JsonProperty("enough_credits") boolean enoughCredits,
            @JsonProperty("estimated_duration_seconds") long estimatedDurationSeconds,
            @JsonProperty("missing_variables") Map<String, Long> missingVariables,
            @JsonProperty("messaging_limit_applies") boolean messagingLimitApplies,
            @JsonProperty("messaging_limit_waiting") long messagingLimitWaiting,
            @JsonProperty("estimated_finish_at") Instant estimatedFinishAt,
            @Schema(description = "Messages of a started queue waiting out Meta's per-user marketing cap") long deferred) {

        static PreflightResponse from(QueueEstimates.Preflight preflight) {
            return new PreflightResponse(preflight.selected(), preflight.blacklisted(), preflight.graylisted(),
                    preflight.graylistSkipped(), preflight.serviceWindowApplies(), preflight.insideServiceWindow(),
                    preflight.outsideServiceWindow(), preflight.recipients(), preflight.creditsNeeded(),
                    preflight.creditsAvailable(), preflight.enoughCredits(), preflight.estimatedSeconds(),
                    preflight.missingVariables(), preflight.messagingLimitApplies(), preflight.messagingLimitWaiting(),
                    preflight.estimatedFinish(), preflight.deferred());
        }
    }

    record MessageResponse(long id, @JsonProperty("queue_id") long queueId,
            @JsonProperty("customer_id") Long customerId, String phone, MessageStatus status, boolean graylisted,
            int attempts, @JsonProperty("sender_id") Long senderId, @JsonProperty("error_code") String errorCode,
            @JsonProperty("error_reason") String errorReason, Boolean retryable,
            @JsonProperty("sent_at") Instant sentAt, @JsonProperty("delivered_at") Instant deliveredAt,
            @JsonProperty("read_at") Instant readAt, @JsonProperty("failed_at") Instant failedAt,
            @JsonProperty("updated_at") Instant updatedAt, String market, @JsonProperty("credits_held") int creditsHeld,
            @JsonRawValue @Schema(type = "object",
                    description = "Meta's last pricing block: billable, pricing_model, category, type") String pricing,
            @JsonProperty("replied_at") @Schema(
                    description = "when the recipient first answered this message") Instant repliedAt,
            @JsonProperty("charged_credits") @Schema(
                    description = "what the message was charged: the price of the category Meta billed, for its market, "
                            + "as the rate card stood when the queue started; null until charged") Integer chargedCredits,
            @JsonProperty("charged_category") @Schema(description = "the category Meta billed the message in",
                    pattern = "marketing|utility|authentication|service") String chargedCategory) {

        static MessageResponse from(Message message) {
            return new MessageResponse(message.id(), message.queueId(), message.customerId(), message.phone(),
                    message.status(), message.graylisted(), message.attempts(), message.senderId(), message.errorCode(),
                    message.errorReason(), message.retryable(), message.sentAt(), message.deliveredAt(),
                    message.readAt(), message.failedAt(), message.updatedAt(), message.market(), message.creditsHeld(),
                    message.pricing(), message.repliedAt(), message.chargedCredits(), message.chargedCategory());
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Make a queue from a draft, sending accounts, groups and customers; started with /start")
    ResponseEntity<QueueResponse> create(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody CreateQueueRequest request) {
        QueueManagement.QueueView created = queues.create(me.id(), request.name(), request.draftId(),
                request.senderIds(), request.groupIds() == null ? List.of() : request.groupIds(),
                request.customerIds() == null ? List.of() : request.customerIds(), instant(request.scheduledAt()));
        return ResponseEntity.created(URI.create("/api/messaging/queues/" + created.queue().id()))
            .body(QueueResponse.from(created));
    }

    @GetMapping
    @Operation(summary = "Queues in id order with counts per status; next page in X-Next-Cursor")
    ResponseEntity<List<QueueResponse>> list(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return queues.list(me.id(), cursor, limit).asArray(QueueResponse::from);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One queue: counts per status, progress, estimated finish")
    QueueResponse get(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return QueueResponse.from(queues.get(me.id(), id));
    }

    @GetMapping("/{id}/preflight")
    @Operation(
            summary = "Recipients after dedup, blacklist and graylist; credits needed and available; duration; missing variables")
    PreflightResponse preflight(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return PreflightResponse.from(queues.preflight(me.id(), id));
    }

    @PostMapping("/{id}/start")
    @Operation(summary = "Start: one row per recipient, a credit reserved for each (409 insufficient-credits)")
    QueueResponse start(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return QueueResponse.from(queues.start(me.id(), id));
    }

    @PostMapping("/{id}/pause")
    @Operation(summary = "Pause a running or scheduled queue")
    QueueResponse pause(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return QueueResponse.from(queues.pause(me.id(), id));
    }

    @PostMapping("/{id}/resume")
    @Operation(summary = "Resume a paused queue")
    QueueResponse resume(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return QueueResponse.from(queues.resume(me.id(), id));
    }

    @PostMapping("/{id}/cancel")
    @Operation(summary = "Cancel: pending messages are never sent and their credits are given back")
    QueueResponse cancel(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return QueueResponse.from(queues.cancel(me.id(), id));
    }

    @GetMapping("/{id}/messages")
    @Operation(
            summary = "The queue's messages in id order, optionally of one status (status=failed: who could not be sent to, and why)")
    ResponseEntity<List<MessageResponse>> messages(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @RequestParam(required = false) @Parameter(
                    schema = @Schema(implementation = MessageStatus.class)) String status,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return queues.messages(me.id(), id, status, cursor, limit).asArray(MessageResponse::from);
    }

    @PostMapping("/{id}/retry-failed")
    @Operation(summary = "Send the failed messages a retry may cure again, a credit reserved for each")
    QueueResponse retryFailed(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return QueueResponse.from(queues.retryFailed(me.id(), id));
    }

    private static Instant instant(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        }
        catch (DateTimeParseException ex) {
            throw ApiException.invalidField("scheduled_at", "invalid-datetime");
        }
    }

}
