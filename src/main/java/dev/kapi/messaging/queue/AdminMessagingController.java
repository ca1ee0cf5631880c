package dev.kapi.messaging.queue;

import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.kapi.identity.AccountAdministration;
import dev.kapi.identity.AccountDirectory;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 001's admin view of messaging: one user's message details (newest first),
 * statistics of each of their queues, and every user's queues with their owner.
 * {@code userId} is the public id of seed 004.
 */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "messaging")
class AdminMessagingController {

    private final AccountAdministration accounts;

    private final AccountDirectory directory;

    private final QueueManagement queues;

    AdminMessagingController(AccountAdministration accounts, AccountDirectory directory, QueueManagement queues) {
        this.accounts = accounts;
        this.directory = directory;
        this.queues = queues;
    }

    /** A queue as its owner sees it, and the owner's public id. */
    record OwnedQueueResponse(@JsonProperty("user_id") String userId,
            @JsonUnwrapped QueueController.QueueResponse queue) {
    }

    @GetMapping("/api/admin/messaging/users/{userId}/messages")
    @Operation(summary = "A user's messages, newest first, optionally of one status or queue (admin)")
    ResponseEntity<List<QueueController.MessageResponse>> messages(@PathVariable String userId,
            @RequestParam(required = false) @Parameter(
                    schema = @Schema(implementation = MessageStatus.class)) String status,
            @RequestParam(name = "queue_id", required = false) Long queueId,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return queues.messagesOf(accounts.idOf(userId), status, queueId, cursor, limit)
            .asArray(QueueController.MessageResponse::from);
    }

    @GetMapping("/api/admin/messaging/users/{userId}/queues")
    @Operation(summary = "A user's queues with counts per status, in id order (admin)")
    ResponseEntity<List<QueueController.QueueResponse>> queues(@PathVariable String userId,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return queues.list(accounts.idOf(userId), cursor, limit).asArray(QueueController.QueueResponse::from);
    }

    @GetMapping("/api/admin/messaging/queues")
    @Operation(summary = "Every user's queues with their owner and counts per status, newest first (admin)")
    ResponseEntity<List<OwnedQueueResponse>> allQueues(
            @RequestParam(required = false) @Parameter(
                    schema = @Schema(implementation = QueueStatus.class)) String status,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        Page<QueueManagement.QueueView> page = queues.listAll(status, cursor, limit);
        Map<Long, String> owners = directory
            .publicIds(page.rows().stream().map(view -> view.queue().ownerId()).distinct().toList());
        return page.asArray(view -> new OwnedQueueResponse(owners.get(view.queue().ownerId()),
                QueueController.QueueResponse.from(view)));
    }

}
