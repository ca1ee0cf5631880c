package dev.kapi.identity;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Seed 003's user object, field for field, plus seed 001's {@code email_verified} and {@code frozen}
 * (additions a seed 003 client ignores).
 */
record UserResponse(long id, String email, @JsonProperty("full_name") String fullName, String status, String role,
        @JsonProperty("is_active") boolean isActive, @JsonProperty("last_login") Instant lastLogin,
        @JsonProperty("failed_login_attempts") int failedLoginAttempts,
        @JsonProperty("password_changed_at") Instant passwordChangedAt,
        @JsonProperty("email_verified") boolean emailVerified, boolean frozen) {

    static UserResponse from(Account account) {
        return new UserResponse(account.id(), account.email(), account.fullName(), account.status(), account.role(),
                account.active(), account.lastLogin(), account.failedLoginAttempts(), account.passwordChangedAt(), account.emailVerified(), account.frozen());
    }
}
