package dev.kapi.identity;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.util.StringUtils;

import dev.kapi.identity.account.AccountManagement;
import dev.kapi.identity.password.PasswordScreening;
import dev.kapi.shared.ApiException;

/**
 * The first admin, so that a new installation can be signed in to without calling an API
 * by hand: at start, {@code KAPI_BOOTSTRAP_ADMIN_EMAIL} and
 * {@code KAPI_BOOTSTRAP_ADMIN_PASSWORD} create an admin when the database has none (and
 * are ignored, with a log line, when it has one); {@code create-admin} on the command
 * line ({@link AdminCommand}) creates one with a password typed on the terminal.
 * Instances starting together take an advisory lock, so only one of them creates it. The
 * password is screened as every other one is ({@link PasswordScreening}: length,
 * breached, too guessable): variables that cannot make the admin they ask for stop the
 * start with a message naming the variable and why, rather than leave an installation
 * without an admin behind a log line.
 */
@Component
class FirstAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

    private static final long BOOTSTRAP_LOCK = 0x4b617069_41646d6eL;

    private final AccountManagement accounts;

    private final JdbcClient jdbc;

    private final TransactionOperations transactions;

    private final IdentitySettings settings;

    private final PasswordScreening screening;

    private final MessageSource messages;

    private final String email;

    private final String password;

    FirstAdmin(AccountManagement accounts, JdbcClient jdbc, TransactionOperations transactions,
            IdentitySettings settings, PasswordScreening screening, MessageSource messages,
            FirstAdminSettings bootstrap) {
        this.screening = screening;
        this.messages = messages;
        this.accounts = accounts;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
        this.email = bootstrap.email();
        this.password = bootstrap.password();
    }

    /** What became of a request for an admin. */
    enum Outcome {

        CREATED, ADMIN_EXISTS

    }

    /** Why the email or the password given cannot make an admin, and which of the two. */
    static final class Refused extends IllegalArgumentException {

        private final boolean password;

        Refused(boolean password, String reason) {
            super(reason);
            this.password = password;
        }

    }

    @Override
    public void run(ApplicationArguments args) {
        if (!StringUtils.hasText(email) && !StringUtils.hasText(password)) {
            return;
        }
        if (!StringUtils.hasText(email) || !StringUtils.hasText(password)) {
            log.warn("KAPI_BOOTSTRAP_ADMIN_EMAIL and KAPI_BOOTSTRAP_ADMIN_PASSWORD go together; no admin created");
            return;
        }
        try {
            if (createIfNoAdmin(email, password) == Outcome.CREATED) {
                log.info("Created the first admin {} from KAPI_BOOTSTRAP_ADMIN_EMAIL", email.trim());
            }
            else {
                log.info("KAPI_BOOTSTRAP_ADMIN_EMAIL ignored: the database already has an admin");
            }
        }
        catch (Refused ex) {
            String refused = (ex.password ? "KAPI_BOOTSTRAP_ADMIN_PASSWORD" : "KAPI_BOOTSTRAP_ADMIN_EMAIL")
                    + " refused, no admin created: " + ex.getMessage();
            log.error(refused);
            throw new IllegalStateException(refused);
        }
    }

    /**
     * Creates the admin only when no active admin exists yet (the values are checked only
     * then: variables left set after the first start never stop a later one).
     */
    Outcome createIfNoAdmin(String email, String password) {
        return transactions.execute(status -> {
            jdbc.sql("SELECT 1 FROM (SELECT pg_advisory_xact_lock(:key)) AS locked")
                .param("key", BOOTSTRAP_LOCK)
                .query(Integer.class)
                .single();
            if (adminExists()) {
                return Outcome.ADMIN_EXISTS;
            }
            check(email, password);
            register(email, password);
            return Outcome.CREATED;
        });
    }

    /** Creates an admin whether or not others exist; the email must be free. */
    void create(String email, String password) {
        check(email, password);
        register(email, password);
    }

    private void register(String email, String password) {
        try {
            accounts.register(email.trim(), password, "Admin", CurrentAccount.ADMIN, Locale.forLanguageTag("tr"));
        }
        catch (ApiException ex) {
            throw new Refused(false, "email-taken".equals(ex.code())
                    ? "an account with the email " + email.trim() + " already exists" : ex.code());
        }
    }

    boolean adminExists() {
        return jdbc.sql("""
                SELECT EXISTS (SELECT 1 FROM accounts a JOIN user_types t ON t.id = a.user_type_id
                               WHERE t.name = 'admin' AND a.is_active)
                """).query(Boolean.class).single();
    }

    /**
     * The email's form, and the password as registration screens it (the reason in
     * English).
     */
    private void check(String email, String password) {
        if (email == null || !email.trim().matches(AccountRules.EMAIL) || email.trim().length() > 254) {
            throw new Refused(false, "not an email address: " + email);
        }
        IdentitySettings.Password rules = settings.password();
        if (password == null || password.length() < rules.minLength() || password.length() > rules.maxLength()) {
            throw new Refused(true,
                    "the password must be " + rules.minLength() + " to " + rules.maxLength() + " characters long");
        }
        screening.screen(password).ifPresent(refusal -> {
            throw new Refused(true, messages.getMessage("error." + refusal.code(), refusal.args(), Locale.ENGLISH));
        });
    }

}
