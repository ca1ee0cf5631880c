package dev.kapi.identity;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Seed 003's user object, field for field, plus seed 001's {@code email_verified} and {@code frozen}
 * (additions a seed 003 client ignores); the owner's own profile also lists its {@code entitlements} and whether its password has since
 * become known from a breach ({@code password_breached}).
 */
record UserResponse(long id, String email, @JsonProperty("full_name") String fullName, String status, String role,
        @JsonProperty("is_active") boolean isActive, @JsonProperty("last_login") Instant lastLogin,
        @JsonProperty("failed_login_attempts") int failedLoginAttempts,
        @JsonProperty("password_changed_at") Instant passwordChangedAt,
        @JsonProperty("email_verified") boolean emailVerified, boolean frozen,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<String> entitlements,
        @JsonProperty("password_breached") @JsonInclude(JsonInclude.Include.NON_NULL) Boolean passwordBreached) {

    static UserResponse from(Account account) {
        return withEntitlements(account, null);
    }

    /** The user with what its active packages entitle it to, sorted; only the owner's profile carries them. */
    static UserResponse withEntitlements(Account account, Set<String> entitlements) {
        return new UserResponse(account.id(), account.email(), account.fullName(), account.status(), account.role(),
                account.active(), account.lastLogin(), account.failedLoginAttempts(), account.passwordChangedAt(),
                account.emailVerified(), account.frozen(),
                entitlements == null ? null : entitlements.stream().sorted().toList(),
                entitlements == null ? null : account.passwordBreached());
    }
}
