package dev.kapi.identity.account;

import java.time.Instant;

import dev.kapi.identity.CurrentAccount;

/**
 * An account as stored, with its user type's name as {@code role}. Never rendered as it
 * is.
 */
public record Account(long id, String publicId, String username, String email, String fullName, String name,
        String surname, String status, int userTypeId, String role, boolean active, boolean frozen,
        boolean emailVerified, String phoneNumber, String avatar, String passwordHash, Instant lastLogin,
        Instant passwordChangedAt, Instant createdAt, Instant updatedAt, int failedLoginAttempts, String language,
        boolean passwordBreached) {

    public boolean isAdmin() {
        return CurrentAccount.ADMIN.equals(role);
    }
}
