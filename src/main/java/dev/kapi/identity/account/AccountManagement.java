package dev.kapi.identity.account;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.identity.AcceptablePassword;
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

/**
 * The account use cases of seeds 003 and 001: registering, reading and changing one's
 * profile and password, freezing and deleting an account, and the admin's list (the admin
 * APIs' use cases are {@link AdminAccountManagement}). Each rule lives here once,
 * whatever API dialect calls it. Password hashes are computed before a transaction
 * starts, so no connection is held while they run.
 */
@Service
public class AccountManagement {

    private final Accounts accounts;

    private final Sessions sessions;

    private final PasswordHashing hashing;

    private final AuditLog audit;

    private final ApplicationEventPublisher events;

    private final TransactionOperations transactions;

    private final Clock clock;

    private final RecentAuthentication recentAuthentication;

    private final RegistrationSettings registration;

    AccountManagement(Accounts accounts, Sessions sessions, PasswordHashing hashing, AuditLog audit,
            ApplicationEventPublisher events, TransactionOperations transactions, Clock clock,
            RecentAuthentication recentAuthentication, RegistrationSettings registration) {
        this.registration = registration;
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

    /** Whether anyone may register an account of their own. */
    public boolean registrationOpen() {
        return registration.open();
    }

    /**
     * Self-registration ({@code POST /auth/register} and the hosted page), a request that
     * passed {@link RegisterRequest}'s rules: an account of type {@code user}; 403
     * {@code sign-up-closed} while registration is closed.
     */
    public Account registerSelf(RegisterRequest request, Locale language) {
        if (!registration.open()) {
            throw ApiException.forbidden("sign-up-closed");
        }
        return register(request.email(), request.password(), request.fullName(), "user", language);
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
     * Registers a {@code user} account for an address an external provider verified:
     * verified from the start, with no password (its owner sets one through a reset).
     * Runs in the caller's transaction; a taken address is a 409 {@code email-taken}.
     */
    public Account registerVerified(String email, String fullName, Locale language) {
        String address = normalizeEmail(email);
        if (accounts.emailTakenByOther(address, 0)) {
            throw ApiException.conflict("email-taken");
        }
        Account created = accounts.create(Accounts.NewAccount.selfRegistered(address,
                fullName == null || fullName.isBlank() ? address.substring(0, address.indexOf('@')) : fullName.trim(),
                "user", null, languageTag(language)), clock.instant());
        accounts.markEmailVerified(created.id(), clock.instant());
        audit.record(AuditType.ACCOUNT_REGISTERED, created.id(), created.id(), "role=user;method=external");
        events.publishEvent(new AccountRegistered(created.id(), created.publicId(), created.email(), "user"));
        return accounts.byId(created.id()).orElseThrow();
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
