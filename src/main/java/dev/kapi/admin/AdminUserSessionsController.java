package dev.kapi.admin;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.AccountAdministration;
import dev.kapi.identity.AccountAdministration.SessionInfo;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * A user's live sessions for the admin console, in seed 004's envelope and camelCase; an
 * admin may end one.
 */
@RestController
@RequestMapping("/api/admin/users/{userId}/sessions")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class AdminUserSessionsController {

    private final AccountAdministration accounts;

    AdminUserSessionsController(AccountAdministration accounts) {
        this.accounts = accounts;
    }

    record AdminSession(UUID id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String ip,
            String userAgent) {

        static AdminSession from(SessionInfo session) {
            return new AdminSession(session.id(), session.createdAt(), session.lastUsedAt(), session.expiresAt(),
                    session.ip(), session.userAgent());
        }
    }

    record SessionList(boolean success, int count, List<AdminSession> data) {
    }

    @GetMapping
    @Operation(summary = "The user's live sessions, most recently used first")
    SessionList list(@PathVariable String userId) {
        List<AdminSession> sessions = accounts.sessionsOf(accounts.idOf(userId))
            .stream()
            .map(AdminSession::from)
            .toList();
        return new SessionList(true, sessions.size(), sessions);
    }

    @DeleteMapping("/{sessionId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "End one of the user's sessions at once; audited as admin-session-revoked")
    void end(@AuthenticationPrincipal CurrentAccount admin, @PathVariable String userId, @PathVariable UUID sessionId) {
        long owner = accounts.idOf(userId);
        accounts.session(sessionId)
            .filter(session -> session.accountId() == owner)
            .orElseThrow(() -> ApiException.notFound("session-not-found"));
        accounts.endSession(admin, sessionId);
    }

}
