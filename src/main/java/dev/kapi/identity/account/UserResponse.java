package dev.kapi.identity.account;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.session.Sessions;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Seed 003's user object, field for field, plus seed 001's {@code email_verified} and
 * {@code frozen} (additions a seed 003 client ignores); the owner's own profile also
 * lists its {@code entitlements}, whether its password has since become known from a
 * breach ({@code password_breached}), and when and how its session last proved its owner
 * ({@code auth_time}, {@code amr}).
 */
record UserResponse(long id, String email, @JsonProperty("full_name") String fullName, String status,
        @Schema(pattern = "admin|editor|viewer|user") String role, @JsonProperty("is_active") boolean isActive,
        @JsonProperty("last_login") Instant lastLogin, @JsonProperty("failed_login_attempts") int failedLoginAttempts,
        @JsonProperty("password_changed_at") Instant passwordChangedAt,
        @JsonProperty("email_verified") boolean emailVerified, boolean frozen,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> entitlements,
        @JsonProperty("password_breached") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean passwordBreached,
        @JsonProperty("auth_time") @JsonInclude(JsonInclude.Include.NON_NULL) Instant authTime,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> amr) {

    static UserResponse from(Account account) {
        return withEntitlements(account, null);
    }

    /**
     * The user with what its active packages entitle it to, sorted; only the owner's
     * profile carries them.
     */
    static UserResponse withEntitlements(Account account, Set<String> entitlements) {
        return new UserResponse(account.id(), account.email(), account.fullName(), account.status(), account.role(),
                account.active(), account.lastLogin(), account.failedLoginAttempts(), account.passwordChangedAt(),
                account.emailVerified(), account.frozen(),
                entitlements == null ? null : entitlements.stream().sorted().toList(),
                entitlements == null ? null : account.passwordBreached(), null, null);
    }

    /**
     * The owner's profile with its current session's last proof ({@code auth_time},
     * {@code amr}).
     */
    UserResponse withProof(Sessions.Proof proof) {
        return new UserResponse(id, email, fullName, status, role, isActive, lastLogin, failedLoginAttempts,
                passwordChangedAt, emailVerified, frozen, entitlements, passwordBreached, proof.authTime(),
                proof.amr());
    }
}
