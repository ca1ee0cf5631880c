package dev.kapi.identity.account;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.identity.AcceptablePassword;
import dev.kapi.identity.AccountAdministration;
import dev.kapi.identity.AccountDeleted;
import dev.kapi.identity.AccountFrozen;
import dev.kapi.identity.AccountRegistered;
import dev.kapi.identity.AccountUpdated;
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
 * The account use cases of seeds 003 and 001: registering, reading and changing one's
 * profile and password, freezing and deleting an account, and the admin's list. Each rule
 * lives here once, whatever API dialect calls it. Password hashes are computed before a
 * transaction starts, so no connection is held while they run.
 */
@Service
public class AccountManagement implements AccountAdministration {

    private final Accounts accounts;

    private final Sessions sessions;

    private final PasswordHashing hashing;

    private final AuditLog audit;

    private final ApplicationEventPublisher events;

    private final TransactionOperations transactions;

    private final Clock clock;

    private final RecentAuthentication recentAuthentication;

    AccountManagement(Accounts accounts, Sessions sessions, PasswordHashing hashing, AuditLog audit,
            ApplicationEventPublisher events, TransactionOperations transactions, Clock clock,
            RecentAuthentication recentAuthentication) {
        this.recentAuthentication = recentAuthentication;
        this.accounts = accounts;
        this.sessions = sessions;
        this.hashing = hashing;
        this.audit = audit;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** A page of accounts with the total count. */
    record AccountPage(List<Account> accounts, long total) {
    }

    /**
     * Registers an account of the given user type and mails a verification link; the
     * email must not be taken (case-insensitive). The password was checked against the
     * length rules with the request ({@link AcceptablePassword}); {@code language} is
     * that of the mails the account will get.
     */
    public Account register(String email, String password, String fullName, String role, Locale language) {
        // A taken address is refused before the hash: a request that fails on who it is
        // costs no hash.
        if (accounts.emailTakenByOther(normalizeEmail(email), 0)) {
            throw ApiException.conflict("email-taken");
        }
        String hash = hashing.hash(password);
        try {
            return transactions.execute(status -> {
                Account account = accounts.create(Accounts.NewAccount.selfRegistered(normalizeEmail(email),
                        fullName.trim(), role, hash, languageTag(language)), clock.instant());
                audit.record(AuditType.ACCOUNT_REGISTERED, account.id(), account.id(), "role=" + role);
                events.publishEvent(new AccountMails.VerificationRequested(account.id()));
                events.publishEvent(new AccountRegistered(account.id(), account.publicId(), account.email(), role));
                return account;
            });
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("email-taken");
        }
    }

    /**
     * The signed-in user's own profile: the hottest read, served from the account cache.
     */
    Account profile(long id) {
        return accounts.byIdCached(id).orElseThrow(() -> ApiException.notFound("user-not-found"));
    }

    Account get(long id) {
        return accounts.byId(id).orElseThrow(() -> ApiException.notFound("user-not-found"));
    }

    /**
     * Changes the profile; a new email address is unverified until its owner follows the
     * mailed link.
     */
    @Transactional
    Account updateProfile(long id, String fullName, String email, String status) {
        Account account = get(id);
        String newEmail = email == null ? account.email() : normalizeEmail(email);
        boolean emailChanged = !newEmail.equals(account.email());
        if (emailChanged && accounts.emailTakenByOther(newEmail, id)) {
            throw ApiException.conflict("email-taken");
        }
        try {
            accounts.updateProfile(id, fullName == null ? account.fullName() : fullName.trim(), newEmail,
                    !emailChanged && account.emailVerified(), status == null ? account.status() : status.trim(),
                    clock.instant());
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("email-taken");
        }
        if (emailChanged) {
            audit.record(AuditType.EMAIL_CHANGED, id, id, null);
            events.publishEvent(new AccountMails.VerificationRequested(id));
            events
                .publishEvent(new CredentialAlerts.CredentialAdded(id, CredentialAlerts.EMAIL, account.email(), null));
        }
        Account updated = get(id);
        events.publishEvent(new AccountUpdated(id, updated.publicId(), emailChanged));
        return updated;
    }

    /** Seed 003's checks; success ends every other session of the account. */
    void changePassword(CurrentAccount me, String current, String replacement, String confirmation) {
        Account account = get(me.id());
        if (!hashing.matches(current, account.passwordHash())) {
            throw ApiException.invalidField("current_password", "current-password-wrong");
        }
        if (!replacement.equals(confirmation)) {
            throw ApiException.invalidField("confirm_password", "passwords-do-not-match");
        }
        if (replacement.equals(current)) {
            throw ApiException.invalidField("new_password", "password-unchanged");
        }
        String hash = hashing.hash(replacement);
        transactions.executeWithoutResult(status -> {
            accounts.changePassword(account.id(), hash, clock.instant());
            sessions.endAllOf(account.id(), me.sessionId(), "password-changed");
            audit.record(AuditType.PASSWORD_CHANGED, me.id(), me.id(), null);
        });
    }

    /**
     * Freezes or thaws the account: frozen, it can sign in and read but not write outside
     * identity.
     */
    @Transactional
    Account freeze(CurrentAccount me, boolean frozen) {
        accounts.freeze(me.id(), frozen, clock.instant());
        sessions.forgetAccount(me.id());
        audit.record(frozen ? AuditType.ACCOUNT_FROZEN : AuditType.ACCOUNT_UNFROZEN, me.id(), me.id(), null);
        Account account = get(me.id());
        events.publishEvent(new AccountFrozen(account.id(), account.publicId(), frozen, "user", account.active(),
                account.frozen()));
        return account;
    }

    /** Removes the account for good, ends its sessions and tells the other modules. */
    @Transactional
    void delete(CurrentAccount actor, long id) {
        // The row first, then the last-admin lock: the order every change of an account
        // takes them in.
        Account account = accounts.lockById(id).orElseThrow(() -> ApiException.notFound("user-not-found"));
        accounts.guardLastAdmin(id);
        sessions.endAllOf(id, null, "account-deleted");
        accounts.delete(id);
        audit.record(actor.id() == id ? AuditType.ACCOUNT_DELETED : AuditType.ADMIN_ACCOUNT_DELETED, actor.id(), id,
                "email=" + account.email());
        events.publishEvent(new AccountDeleted(id, account.publicId()));
    }

    /** The admin's deletion: the same as the user's own, but never one's own account. */
    @Transactional
    void deleteByAdmin(CurrentAccount admin, long id) {
        if (admin.id() == id) {
            throw ApiException.forbidden("cannot-delete-self");
        }
        delete(admin, id);
    }

    // --- AccountAdministration: the admin APIs of seeds 004 and 000 ---

    @Override
    public List<UserType> userTypes() {
        return accounts.userTypes();
    }

    @Override
    public AdminView create(CurrentAccount admin, NewUser user) {
        String email = normalizeEmail(user.email());
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
        if (changes.email() != null && accounts.emailTakenByOther(normalizeEmail(changes.email()), accountId)) {
            throw ApiException.invalidField("email", "email-taken-admin");
        }
        UserType newType = changes.userTypeName() == null ? null : userType(changes.userTypeName());
        try {
            return transactions.execute(status -> {
                // Merged onto the locked row, so that a concurrent change of another
                // field is not undone.
                Account account = accounts.lockById(accountId)
                    .orElseThrow(() -> ApiException.notFound("user-not-found-update"));
                String email = changes.email() == null ? account.email() : normalizeEmail(changes.email());
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
                Account updated = get(accountId);
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
        return accounts.byId(accountId).map(AccountManagement::view);
    }

    @Override
    public Optional<AdminView> byPublicId(String publicId) {
        return accounts.byPublicId(publicId).map(AccountManagement::view);
    }

    @Override
    public Optional<AdminView> byName(String name) {
        return accounts.byName(name.trim()).map(AccountManagement::view);
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
            .map(AccountManagement::view);
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
        deleteByAdmin(admin, accountId);
    }

    @Override
    public List<SessionInfo> sessionsOf(long accountId) {
        return sessions.liveSessionsOf(accountId).stream().map(AccountManagement::info).toList();
    }

    @Override
    public Optional<SessionInfo> session(UUID sessionId) {
        return sessions.liveSession(sessionId).map(AccountManagement::info);
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
        boolean newAddress = changes.email() != null && !normalizeEmail(changes.email()).equals(current.email());
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

    static AdminView view(Account account) {
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

    AccountPage page(int skip, int limit) {
        return new AccountPage(accounts.page(skip, limit), accounts.count());
    }

    public static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private static String languageTag(Locale locale) {
        return Locale.ENGLISH.getLanguage().equals(locale.getLanguage()) ? "en" : "tr";
    }

}
