package dev.kapi.identity.recovery;

import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.kapi.identity.IdentitySettings;
import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.Accounts;
import dev.kapi.shared.PublicUrl;
import dev.kapi.shared.mail.Mailer;

/**
 * Sends the mails of the account lifecycle after the request that asked for them
 * committed. The token is created here, so its plain value exists only in the mail; if
 * sending fails, the event stays incomplete in the publication registry and is sent again
 * rather than lost.
 */
@Component
public class AccountMails {

    /** Registration or an email change: the address has to be confirmed. */
    public record VerificationRequested(long accountId) {
    }

    /** Someone asked to reset the password of an existing account. */
    record PasswordResetRequested(long accountId) {
    }

    private final Accounts accounts;

    private final OneTimeTokens tokens;

    private final Mailer mailer;

    private final PublicUrl site;

    private final MessageSource messages;

    private final IdentitySettings.Tokens lifetimes;

    AccountMails(Accounts accounts, OneTimeTokens tokens, Mailer mailer, PublicUrl site, MessageSource messages,
            IdentitySettings settings) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.mailer = mailer;
        this.site = site;
        this.messages = messages;
        this.lifetimes = settings.tokens();
    }

    @ApplicationModuleListener
    void on(VerificationRequested request) {
        accounts.byId(request.accountId()).filter(account -> !account.emailVerified()).ifPresent(account -> {
            String token = tokens.issue(account.id(), OneTimeTokens.VERIFY_EMAIL, lifetimes.emailVerification());
            send(account, "verify", site.link("verify-email", token), lifetimes.emailVerification().toHours());
        });
    }

    @ApplicationModuleListener
    void on(PasswordResetRequested request) {
        accounts.byId(request.accountId()).filter(Account::active).ifPresent(account -> {
            String token = tokens.issue(account.id(), OneTimeTokens.RESET_PASSWORD, lifetimes.passwordReset());
            send(account, "reset", site.link("reset-password", token), lifetimes.passwordReset().toMinutes());
        });
    }

    private void send(Account account, String kind, String link, long validFor) {
        Locale locale = Locale.forLanguageTag(account.language());
        String name = account.fullName() != null ? account.fullName() : account.email();
        mailer.send(account.email(), messages.getMessage("mail." + kind + ".subject", null, locale),
                messages.getMessage("mail." + kind + ".body", new Object[] { name, link, validFor }, locale));
    }

}
