package dev.kapi.identity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Page;

/**
 * What administrators may do with accounts, for the admin module's APIs (seeds 004 and
 * 000). The rules live behind this interface once: seed 003's {@code /users} routes use
 * the same implementation.
 */
public interface AccountAdministration {

    /**
     * A user type: {@code admin}, {@code editor}, {@code viewer}, {@code user}, or one
     * added later.
     */
    record UserType(int id, String name) {
    }

    /** An account as an administrator sees it. Never carries the password hash. */
    record AdminView(long id, String publicId, String username, String name, String surname, String fullName,
            String email, boolean active, boolean frozen, boolean emailVerified, String phoneNumber, String avatar,
            UserType userType, String status, Instant lastLogin, Instant passwordChangedAt, Instant createdAt,
            Instant updatedAt) {
    }

    /**
     * A new account created by an administrator; phone number and avatar are optional.
     */
    record NewUser(String username, String password, String name, String surname, String email, String userTypeName,
            String phoneNumber, String avatar) {
    }

    /**
     * A partial change; {@code null} leaves a field as it is. A new password is hashed.
     */
    record UserChanges(String username, String password, String name, String surname, String email, String userTypeName,
            String phoneNumber, String avatar, Boolean active) {

        /**
         * True when no account field is to change (a request may change only credits,
         * say); then {@code update} writes nothing.
         */
        public boolean isEmpty() {
            return username == null && password == null && name == null && surname == null && email == null
                    && userTypeName == null && phoneNumber == null && avatar == null && active == null;
        }
    }

    /** A live session of an account. */
    record SessionInfo(UUID id, long accountId, Instant createdAt, Instant lastUsedAt, Instant expiresAt, String ip,
            String userAgent) {
    }

    List<UserType> userTypes();

    AdminView create(CurrentAccount admin, NewUser user);

    AdminView update(CurrentAccount admin, long accountId, UserChanges changes);

    Optional<AdminView> byId(long accountId);

    Optional<AdminView> byPublicId(String publicId);

    /**
     * The account id behind a public id, for admin routes addressed by {@code userId};
     * else 404 {@code user-not-found}.
     */
    default long idOf(String publicId) {
        return byPublicId(publicId).map(AdminView::id).orElseThrow(() -> ApiException.notFound("user-not-found"));
    }

    /** By username, or by email when no username matches; case-insensitive. */
    Optional<AdminView> byName(String name);

    /**
     * Accounts in id order, optionally of one user type and matching {@code search} in
     * email, username or name (case- and Turkish-accent-insensitive).
     */
    Page<AdminView> list(String userTypeName, String search, int limit, String cursor);

    /** Deactivates: the account can no longer sign in, and its sessions end at once. */
    void deactivate(CurrentAccount admin, long accountId);

    /** Removes the account for good; never one's own. */
    void deletePermanently(CurrentAccount admin, long accountId);

    List<SessionInfo> sessionsOf(long accountId);

    Optional<SessionInfo> session(UUID sessionId);

    void endSession(CurrentAccount admin, UUID sessionId);

}
