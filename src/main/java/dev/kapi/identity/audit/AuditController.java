package dev.kapi.identity.audit;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.validation.constraints.Size;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The security audit trail for admins, in the admin API's envelope
 * ({@code success, count, data}).
 */
@RestController
@Tag(name = "admin")
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    record AuditEntry(long id, AuditType type, Long actorId, Long targetId, String ip, Instant occurredAt,
            String details) {

        static AuditEntry from(AuditLog.Entry entry) {
            return new AuditEntry(entry.id(), entry.type(), entry.actorId(), entry.targetId(), entry.ip(),
                    entry.occurredAt(), entry.details());
        }
    }

    record AuditPage(boolean success, int count, List<AuditEntry> data, String nextCursor) {
    }

    @GetMapping("/api/admin/audit")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Security events, newest first; filter by user id (actor or target), type and time")
    AuditPage audit(@RequestParam(required = false) Long user,
            @RequestParam(required = false) @Size(max = 64) @Parameter(
                    schema = @Schema(implementation = AuditType.class)) String type,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant to,
            @RequestParam(defaultValue = "50") @PageLimit int limit,
            @RequestParam(required = false) @Size(max = 32) String cursor) {
        Long before = Cursors.afterId(cursor);
        Optional<AuditType> known = type == null ? Optional.empty() : AuditType.of(type);
        if (type != null && known.isEmpty()) {
            // No entry has a type identity does not write.
            return new AuditPage(true, 0, List.of(), null);
        }
        Page<AuditEntry> page = Page
            .byId(audit.find(new AuditLog.Query(user, known.orElse(null), from, to, before, limit + 1)), limit,
                    AuditLog.Entry::id)
            .map(AuditEntry::from);
        return new AuditPage(true, page.rows().size(), page.rows(), page.nextCursor());
    }

}
