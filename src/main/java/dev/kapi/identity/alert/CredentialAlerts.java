package dev.kapi.identity.alert;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.identity.AccountUpdated;
import dev.kapi.identity.IdentitySettings;
import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.session.Sessions;
import dev.kapi.identity.token.SecretTokens;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.PublicUrl;
import dev.kapi.shared.mail.Mailer;

import static dev.kapi.shared.SqlTime.utc;

/**
 * "This was not me": when a credential is added to an account (a passkey, a TOTP
 * authenticator) or its address changes, the owner is mailed at once (for an address, at
 * the old one) with a single-use link, {@code <KAPI_PUBLIC_URL>/not-me?token=…}, that a
 * front end posts to {@code POST /auth/not-me}. Using it undoes that change (removes the
 * passkey or the authenticator with its recovery codes, or brings the old address back)
 * and ends every session of the account, so whoever added it with a stolen token is out
 * again. The mail leaves after the change committed, through the event publication
 * registry (sent again rather than lost).
 */
@Service
public class CredentialAlerts {

    public static final String PASSKEY = "passkey";

    public static final String TOTP = "totp";

    public static final String EMAIL = "email";

    /**
     * A credential was added: {@code reference} names it (a passkey's id, or the old
     * address for an email).
     */
    public record CredentialAdded(long accountId, String kind, String reference, String label) {
    }

    private final JdbcClient jdbc;

    private final Accounts accounts;

    private final SecondFactors factors;

    private final Sessions sessions;

    private final AuditLog audit;

    private final Mailer mailer;

    private final PublicUrl site;

    private final MessageSource messages;

    private final TransactionOperations transactions;

    private final IdentitySettings.Tokens lifetimes;

    private final Clock clock;

    private final ApplicationEventPublisher events;

    CredentialAlerts(JdbcClient jdbc, Accounts accounts, SecondFactors factors, Sessions sessions, AuditLog audit,
            Mailer mailer, PublicUrl site, MessageSource messages, TransactionOperations transactions,
            IdentitySettings settings, Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.factors = factors;
        this.sessions = sessions;
        this.audit = audit;
        this.mailer = mailer;
        this.site = site;
        this.messages = messages;
        this.transactions = transactions;
        this.lifetimes = settings.tokens();
        this.clock = clock;
    }

    @ApplicationModuleListener
    void on(CredentialAdded added) {
        accounts.byId(added.accountId()).ifPresent(account -> {
            String token = issue(account.id(), added.kind(), added.reference());
            String to = EMAIL.equals(added.kind()) ? added.reference() : account.email();
            Locale locale = Locale.forLanguageTag(account.language());
            String name = account.fullName() != null ? account.fullName() : to;
            String what = EMAIL.equals(added.kind()) ? account.email() : messages
                .getMessage("mail.credential-added." + added.kind(), new Object[] { added.label() }, locale);
            String kind = EMAIL.equals(added.kind()) ? "email-changed" : "credential-added";
            mailer.send(to, messages.getMessage("mail." + kind + ".subject", null, locale),
                    messages.getMessage("mail." + kind + ".body",
                            new Object[] { name, what, site.link("not-me", token), lifetimes.notMe().toDays() },
                            locale));
        });
    }

    /**
     * Undoes the change the token was mailed for and ends every session of the account;
     * 400 {@code token} when the token is unknown, used or expired.
     */
    void undo(String token) {
        transactions.executeWithoutResult(status -> {
            Alert alert = consume(token).orElseThrow(() -> ApiException.invalidField("token", "token-invalid"));
            String undone = switch (alert.kind()) {
                case PASSKEY -> factors.removePasskeyByAlert(alert.accountId(), alert.reference()) ? "passkey" : "none";
                case TOTP -> factors.removeTotpByAlert(alert.accountId()) ? "totp" : "none";
                default -> restoreEmail(alert.accountId(), alert.reference());
            };
            sessions.endAllOf(alert.accountId(), null, "not-me");
            audit.record(AuditType.CREDENTIAL_ALERT_USED, alert.accountId(), alert.accountId(),
                    "kind=" + alert.kind() + ";undone=" + undone);
        });
    }

    private record Alert(long accountId, String kind, String reference) {
    }

    private String restoreEmail(long accountId, String previous) {
        Optional<Account> account = accounts.byId(accountId);
        if (account.isEmpty() || account.get().email().equals(previous)
                || accounts.emailTakenByOther(previous, accountId)) {
            return "none";
        }
        Account current = account.get();
        // The old address received this link, so it is proved again.
        accounts.updateProfile(accountId, current.fullName(), previous, true, current.status(), clock.instant());
        // As for any change of the address: other modules and webhook receivers hear of
        // it.
        events.publishEvent(new AccountUpdated(accountId, current.publicId(), true));
        return "email";
    }

    private String issue(long accountId, String kind, String reference) {
        String token = SecretTokens.generate();
        Instant now = clock.instant();
        jdbc.sql("""
                INSERT INTO credential_alerts (token_hash, account_id, kind, reference, created_at, expires_at)
                VALUES (:hash, :account, :kind, :reference, :now, :expires)
                """)
            .param("hash", SecretTokens.hash(token))
            .param("account", accountId)
            .param("kind", kind)
            .param("reference", reference)
            .param("now", utc(now))
            .param("expires", utc(now.plus(lifetimes.notMe())))
            .update();
        return token;
    }

    private Optional<Alert> consume(String token) {
        return jdbc.sql("""
                UPDATE credential_alerts SET used_at = :now
                WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now
                RETURNING account_id, kind, reference
                """)
            .param("hash", SecretTokens.hash(token))
            .param("now", utc(clock.instant()))
            .query((rs, row) -> new Alert(rs.getLong("account_id"), rs.getString("kind"), rs.getString("reference")))
            .optional();
    }

}
