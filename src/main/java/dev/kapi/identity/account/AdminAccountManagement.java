package dev.kapi.identity.account;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.identity.AccountAdministration;
import dev.kapi.identity.AccountFrozen;
import dev.kapi.identity.AccountRegistered;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import dev.kapi.identity.alert.CredentialAlerts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.password.PasswordHashing;
import dev.kapi.identity.recovery.AccountMails;
import dev.kapi.identity.session.Sessions;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;

/**
 * What administrators do with accounts through the admin APIs of seeds 004 and 000
 * ({@link AccountAdministration}): create, change, deactivate and delete users, list
 * them, see and end their sessions. A change that would hand an account to whoever makes
 * it, or make an admin, needs a recent proof of a person; the last admin cannot be
 * demoted, deactivated or deleted.
 */
@Service
class AdminAccountManagement implements AccountAdministration {

    private final Accounts accounts;

    private final AccountManagement management;

    private final Sessions sessions;

    private final PasswordHashing hashing;

    private final AuditLog audit;

    private final ApplicationEventPublisher events;

    private final TransactionOperations transactions;

    private final Clock clock;

    private final RecentAuthentication recentAuthentication;

    AdminAccountManagement(Accounts accounts, AccountManagement management, Sessions sessions, PasswordHashing hashing,
            AuditLog audit, ApplicationEventPublisher events, TransactionOperations transactions, Clock clock,
            RecentAuthentication recentAuthentication) {
        this.accounts = accounts;
        this.management = management;
        this.sessions = sessions;
        this.hashing = hashing;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.recentAuthentication = recentAuthentication;
    }

    @Override
    public List<UserType> userTypes() {
        return accounts.userTypes();
    }

    @Override
    public AdminView create(CurrentAccount admin, NewUser user) {
        String email = AccountManagement.normalizeEmail(user.email());
        UserType type = userType(user.userTypeName());
        if (CurrentAccount.ADMIN.equals(type.name())) {
            // A new admin would outlive a stolen admin token: a person needs a recent
            // proof (a key, its scope).
            recentAuthentication.requireOfPerson(admin);
        }
        if (accounts.usernameTakenByOther(user.username().trim(), 0)) {
            throw ApiException.invalidField("username", "username-taken");
        }
        if (accounts.emailTakenByOther(email, 0)) {
            throw ApiException.invalidField("email", "email-taken-admin");
        }
        String hash = hashing.hash(user.password());
        String fullName = (user.name().trim() + " " + user.surname().trim()).trim();
        try {
            return transactions.execute(status -> {
                Account account = accounts.create(
                        new Accounts.NewAccount(user.username().trim(), email, fullName, user.name().trim(),
                                user.surname().trim(), type.name(), hash, "tr", user.phoneNumber(), user.avatar()),
                        clock.instant());
                audit.record(AuditType.ADMIN_ACCOUNT_CREATED, admin.id(), account.id(), "type=" + type.name());
                events.publishEvent(new AccountMails.VerificationRequested(account.id()));
                events.publishEvent(
                        new AccountRegistered(account.id(), account.publicId(), account.email(), type.name()));
                return view(account);
            });
        }
        catch (DuplicateKeyException ex) {
            throw duplicate(ex);
        }
    }

    @Override
    public AdminView update(CurrentAccount admin, long accountId, UserChanges changes) {
        Account current = accounts.byId(accountId).orElseThrow(() -> ApiException.notFound("user-not-found-update"));
        if (changes.isEmpty()) {
            // Nothing of the account changes (a request may set only credits): write
            // nothing.
            return view(current);
        }
        if (Boolean.FALSE.equals(changes.active()) && admin.id() == accountId) {
            throw ApiException.forbidden("cannot-delete-self");
        }
        if (takesOver(current, changes)) {
            recentAuthentication.requireOfPerson(admin);
        }
        String hash = changes.password() == null ? null : hashing.hash(changes.password());
        if (changes.username() != null && accounts.usernameTakenByOther(changes.username().trim(), accountId)) {
            throw ApiException.invalidField("username", "username-taken");
        }
        if (changes.email() != null
                && accounts.emailTakenByOther(AccountManagement.normalizeEmail(changes.email()), accountId)) {
            throw ApiException.invalidField("email", "email-taken-admin");
        }
        UserType newType = changes.userTypeName() == null ? null : userType(changes.userTypeName());
        try {
            return transactions.execute(status -> {
                // Merged onto the locked row, so that a concurrent change of another
                // field is not undone.
                Account account = accounts.lockById(accountId)
                    .orElseThrow(() -> ApiException.notFound("user-not-found-update"));
                String email = changes.email() == null ? account.email()
                        : AccountManagement.normalizeEmail(changes.email());
                boolean emailChanged = !email.equals(account.email());
                boolean active = changes.active() == null ? account.active() : changes.active();
                if (!active || newType != null && !CurrentAccount.ADMIN.equals(newType.name())) {
                    accounts.guardLastAdmin(accountId);
                }
                String name = changes.name() == null ? account.name() : changes.name().trim();
                String surname = changes.surname() == null ? account.surname() : changes.surname().trim();
                String fullName = changes.name() != null || changes.surname() != null
                        ? (blankToEmpty(name) + " " + blankToEmpty(surname)).trim() : account.fullName();
                accounts.updateByAdmin(accountId,
                        new Accounts.AdminFields(
                                changes.username() == null ? account.username() : changes.username().trim(), email,
                                account.emailVerified() && !emailChanged, fullName, name, surname,
                                newType == null ? account.userTypeId() : newType.id(), active,
                                changes.phoneNumber() == null ? account.phoneNumber() : changes.phoneNumber(),
                                changes.avatar() == null ? account.avatar() : changes.avatar()),
                        clock.instant());
                if (hash != null) {
                    accounts.changePassword(accountId, hash, clock.instant());
                    sessions.endAllOf(accountId, null, "password-changed-by-admin");
                }
                if (account.active() && !active) {
                    sessions.endAllOf(accountId, null, "account-deactivated");
                }
                else {
                    sessions.forgetAccount(accountId);
                }
                if (emailChanged) {
                    events.publishEvent(new AccountMails.VerificationRequested(accountId));
                    events.publishEvent(new CredentialAlerts.CredentialAdded(accountId, CredentialAlerts.EMAIL,
                            account.email(), null));
                }
                audit.record(AuditType.ADMIN_ACCOUNT_UPDATED, admin.id(), accountId,
                        "fields=" + changedFields(changes));
                Account updated = accounts.byId(accountId).orElseThrow(() -> ApiException.notFound("user-not-found"));
                if (account.active() != active) {
                    // Receivers hear of an admin's deactivation as of a freeze: the
                    // account can no longer act.
                    events.publishEvent(new AccountFrozen(accountId, account.publicId(), !active,
                            active ? "admin-reactivated" : "admin-deactivated", active, updated.frozen()));
                }
                return view(updated);
            });
        }
        catch (DuplicateKeyException ex) {
            throw duplicate(ex);
        }
    }

    @Override
    public Optional<AdminView> byId(long accountId) {
        return accounts.byId(accountId).map(AdminAccountManagement::view);
    }

    @Override
    public Optional<AdminView> byPublicId(String publicId) {
        return accounts.byPublicId(publicId).map(AdminAccountManagement::view);
    }

    @Override
    public Optional<AdminView> byName(String name) {
        return accounts.byName(name.trim()).map(AdminAccountManagement::view);
    }

    @Override
    public Page<AdminView> list(String userTypeName, String search, int limit, String cursor) {
        Integer typeId = null;
        if (userTypeName != null && !userTypeName.isBlank()) {
            typeId = accounts.userTypes()
                .stream()
                .filter(type -> type.name().equalsIgnoreCase(userTypeName.trim()))
                .map(UserType::id)
                .findFirst()
                .orElse(-1);
        }
        Long after = Cursors.afterId(cursor);
        String term = search == null || search.isBlank() ? null : search.trim();
        return Page.byId(accounts.list(typeId, term, after == null ? 0 : after, limit + 1), limit, Account::id)
            .map(AdminAccountManagement::view);
    }

    @Override
    public void deactivate(CurrentAccount admin, long accountId) {
        if (admin.id() == accountId) {
            throw ApiException.forbidden("cannot-delete-self");
        }
        update(admin, accountId, new UserChanges(null, null, null, null, null, null, null, null, false));
    }

    @Override
    @Transactional
    public void deletePermanently(CurrentAccount admin, long accountId) {
        management.deleteByAdmin(admin, accountId);
    }

    @Override
    public List<SessionInfo> sessionsOf(long accountId) {
        return sessions.liveSessionsOf(accountId).stream().map(AdminAccountManagement::info).toList();
    }

    @Override
    public Optional<SessionInfo> session(UUID sessionId) {
        return sessions.liveSession(sessionId).map(AdminAccountManagement::info);
    }

    @Override
    @Transactional
    public void endSession(CurrentAccount admin, UUID sessionId) {
        SessionInfo session = session(sessionId).orElseThrow(() -> ApiException.notFound("session-not-found"));
        sessions.end(session.accountId(), sessionId, "ended-by-admin");
        audit.record(AuditType.ADMIN_SESSION_REVOKED, admin.id(), session.accountId(), "session=" + sessionId);
    }

    /**
     * Whether the change would hand the account to whoever makes it, or make it an admin:
     * a new password or address (its sign-in) or a move into or out of the admin type.
     */
    private static boolean takesOver(Account current, UserChanges changes) {
        boolean newAddress = changes.email() != null
                && !AccountManagement.normalizeEmail(changes.email()).equals(current.email());
        boolean adminTypeChanges = changes.userTypeName() != null
                && !changes.userTypeName().trim().equalsIgnoreCase(current.role())
                && (CurrentAccount.ADMIN.equalsIgnoreCase(changes.userTypeName().trim())
                        || CurrentAccount.ADMIN.equals(current.role()));
        return changes.password() != null || newAddress || adminTypeChanges;
    }

    private UserType userType(String name) {
        return accounts.userTypes()
            .stream()
            .filter(type -> type.name().equalsIgnoreCase(name.trim()))
            .findFirst()
            .orElseThrow(() -> ApiException.invalidField("userTypeName", "user-type-unknown"));
    }

    private static ApiException duplicate(DuplicateKeyException ex) {
        return String.valueOf(ex.getMessage()).contains("accounts_username_key")
                ? ApiException.invalidField("username", "username-taken")
                : ApiException.invalidField("email", "email-taken-admin");
    }

    private static String changedFields(UserChanges changes) {
        StringBuilder fields = new StringBuilder();
        for (var component : UserChanges.class.getRecordComponents()) {
            try {
                if (component.getAccessor().invoke(changes) != null) {
                    fields.append(fields.isEmpty() ? "" : ",").append(component.getName());
                }
            }
            catch (ReflectiveOperationException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return fields.toString();
    }

    private static String blankToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static AdminView view(Account account) {
        return new AdminView(account.id(), account.publicId(), account.username(), account.name(), account.surname(),
                account.fullName(), account.email(), account.active(), account.frozen(), account.emailVerified(),
                account.phoneNumber(), account.avatar(), new UserType(account.userTypeId(), account.role()),
                account.status(), account.lastLogin(), account.passwordChangedAt(), account.createdAt(),
                account.updatedAt());
    }

    private static SessionInfo info(Sessions.SessionView session) {
        return new SessionInfo(session.id(), session.accountId(), session.createdAt(), session.lastUsedAt(),
                session.expiresAt(), session.ip(), session.userAgent());
    }

}
