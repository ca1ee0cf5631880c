package dev.kapi.identity;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;

/**
 * The account use cases of seed 003: registering, reading and changing one's profile and password,
 * deleting an account, and the admin's list. Each rule lives here once, whatever API dialect calls it.
 */
@Service
class AccountManagement {

    private final Accounts accounts;
    private final Sessions sessions;
    private final PasswordHashing hashing;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    AccountManagement(Accounts accounts, Sessions sessions, PasswordHashing hashing,
            ApplicationEventPublisher events, Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.hashing = hashing;
        this.events = events;
        this.clock = clock;
    }

    /** A page of accounts with the total count. */
    record AccountPage(List<Account> accounts, long total) {
    }

    /**
     * Registers an account of the given user type; the email must not be taken (case-insensitive). The
     * password was checked against the length rules with the request ({@link AcceptablePassword}).
     */
    Account register(String email, String password, String fullName, String role) {
        String hash = hashing.hash(password);
        try {
            return accounts.create(new Accounts.NewAccount(null, normalizeEmail(email), fullName.trim(), null, null,
                    role, hash), clock.instant());
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("email-taken");
        }
    }

    Account get(long id) {
        return accounts.byId(id).orElseThrow(() -> ApiException.notFound("user-not-found"));
    }

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
        return get(id);
    }

    /** Seed 003's four checks, in its order; success ends every other session of the account. */
    @Transactional
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
        accounts.changePassword(account.id(), hashing.hash(replacement), clock.instant());
        sessions.endAllOf(account.id(), me.sessionId(), "password-changed");
    }

    /** Removes the account for good, ends its sessions and tells the other modules. */
    @Transactional
    void delete(long id) {
        Account account = get(id);
        sessions.endAllOf(id, null, "account-deleted");
        accounts.delete(id);
        events.publishEvent(new AccountDeleted(id, account.publicId()));
    }

    /** The admin's deletion: the same as the user's own, but never one's own account. */
    @Transactional
    void deleteByAdmin(CurrentAccount admin, long id) {
        if (admin.id() == id) {
            throw ApiException.forbidden("cannot-delete-self");
        }
        delete(id);
    }

    AccountPage page(int skip, int limit) {
        return new AccountPage(accounts.page(skip, limit), accounts.count());
    }

    static String normalizeEmail(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }
}
