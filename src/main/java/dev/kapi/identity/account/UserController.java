package dev.kapi.identity.account;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.AcceptablePassword;
import dev.kapi.identity.AccountRules;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.EntitlementSource;
import dev.kapi.identity.RecentAuthentication;
import dev.kapi.identity.session.SessionManagement;
import dev.kapi.identity.session.SessionStream;
import dev.kapi.identity.session.Sessions;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The user routes of seeds 003 and 001: one's own profile, password, sessions and
 * account, and the admin's user list.
 */
@RestController
@Tag(name = "users")
class UserController {

    private final AccountManagement accounts;

    private final SessionManagement sessions;

    private final SessionStream stream;

    private final List<EntitlementSource> entitlements;

    private final RecentAuthentication recentAuthentication;

    UserController(AccountManagement accounts, SessionManagement sessions, SessionStream stream,
            List<EntitlementSource> entitlements, RecentAuthentication recentAuthentication) {
        this.recentAuthentication = recentAuthentication;
        this.accounts = accounts;
        this.sessions = sessions;
        this.stream = stream;
        this.entitlements = entitlements;
    }

    record SessionResponse(UUID id, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("last_used_at") Instant lastUsedAt, @JsonProperty("expires_at") Instant expiresAt, String ip,
            @JsonProperty("user_agent") String userAgent, boolean current) {

        static SessionResponse from(SessionManagement.OwnSession own) {
            Sessions.SessionView session = own.session();
            return new SessionResponse(session.id(), session.createdAt(), session.lastUsedAt(), session.expiresAt(),
                    session.ip(), session.userAgent(), own.current());
        }
    }

    record SessionList(List<SessionResponse> sessions) {
    }

    record UpdateProfileRequest(@JsonProperty("full_name") @Size(min = 1, max = 200) String fullName,
            @Email(regexp = AccountRules.EMAIL) @Size(max = 254) String email, @Size(min = 1, max = 50) String status,
            @JsonProperty("is_active") Boolean isActive) {
    }

    record ChangePasswordRequest(@JsonProperty("current_password") @NotNull String currentPassword,
            @JsonProperty("new_password") @NotNull @AcceptablePassword String newPassword,
            @JsonProperty("confirm_password") @NotNull String confirmPassword) {
    }

    record UserList(List<UserResponse> users, long total) {
    }

    @GetMapping("/users/me")
    @Operation(summary = "The signed-in user's profile")
    UserResponse me(@AuthenticationPrincipal CurrentAccount me) {
        Set<String> granted = new TreeSet<>();
        entitlements.forEach(source -> granted.addAll(source.entitlementsOf(me.id())));
        UserResponse profile = UserResponse.withEntitlements(accounts.profile(me.id()), granted);
        return me.sessionId() == null ? profile : sessions.proofOf(me).map(profile::withProof).orElse(profile);
    }

    @PutMapping("/users/me")
    @Operation(summary = "Change one's full name, email or status; role and activity are not the user's to set")
    UserResponse update(@AuthenticationPrincipal CurrentAccount me, @Valid @RequestBody UpdateProfileRequest request) {
        if (Boolean.FALSE.equals(request.isActive())) {
            throw ApiException.invalidField("is_active", "self-deactivation-not-allowed");
        }
        if (request.email() != null
                && !AccountManagement.normalizeEmail(request.email()).equals(accounts.profile(me.id()).email())) {
            recentAuthentication.require(me);
        }
        return UserResponse
            .from(accounts.updateProfile(me.id(), request.fullName(), request.email(), request.status()));
    }

    @DeleteMapping("/users/me")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete one's own account for good; ends every session")
    void delete(@AuthenticationPrincipal CurrentAccount me) {
        recentAuthentication.require(me);
        accounts.delete(me, me.id());
    }

    @PostMapping("/users/me/freeze")
    @Operation(summary = "Freeze one's account: it can still sign in and read, but not write outside identity")
    UserResponse freeze(@AuthenticationPrincipal CurrentAccount me) {
        return UserResponse.from(accounts.freeze(me, true));
    }

    @PostMapping("/users/me/unfreeze")
    @Operation(summary = "Thaw one's frozen account")
    UserResponse unfreeze(@AuthenticationPrincipal CurrentAccount me) {
        return UserResponse.from(accounts.freeze(me, false));
    }

    @GetMapping("/users/me/sessions")
    @Operation(summary = "One's live sessions, most recently used first")
    SessionList sessions(@AuthenticationPrincipal CurrentAccount me) {
        return new SessionList(sessions.sessionsOf(me).stream().map(SessionResponse::from).toList());
    }

    @DeleteMapping("/users/me/sessions/{session_id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "End one of one's sessions; another user's session id answers 404")
    void endSession(@AuthenticationPrincipal CurrentAccount me, @PathVariable("session_id") UUID sessionId) {
        sessions.endSession(me, sessionId);
    }

    @GetMapping(path = "/users/me/session-events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Server-sent events: 'session-ended' with the reason, the moment this session ends")
    SseEmitter sessionEvents(@AuthenticationPrincipal CurrentAccount me) {
        return stream.open(me);
    }

    @PostMapping("/users/me/change-password")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Change one's password; ends every other session")
    void changePassword(@AuthenticationPrincipal CurrentAccount me, @Valid @RequestBody ChangePasswordRequest request) {
        accounts.changePassword(me, request.currentPassword(), request.newPassword(), request.confirmPassword());
    }

    @GetMapping("/users")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "All users, oldest first (admin)")
    UserList list(@RequestParam(defaultValue = "0") @Min(0) @Max(Cursors.MAX_SKIP) int skip,
            @RequestParam(defaultValue = "10") @PageLimit(max = 100) int limit) {
        AccountManagement.AccountPage page = accounts.page(skip, limit);
        return new UserList(page.accounts().stream().map(UserResponse::from).toList(), page.total());
    }

    @GetMapping("/users/{user_id}")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "One user (admin)")
    UserResponse get(@PathVariable("user_id") long userId) {
        return UserResponse.from(accounts.get(userId));
    }

    @DeleteMapping("/users/{user_id}")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a user for good (admin); never one's own account")
    void deleteUser(@AuthenticationPrincipal CurrentAccount me, @PathVariable("user_id") long userId) {
        accounts.deleteByAdmin(me, userId);
    }

}
