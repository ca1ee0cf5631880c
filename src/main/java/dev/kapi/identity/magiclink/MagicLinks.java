package dev.kapi.identity.magiclink;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.recovery.AddressRequests;
import dev.kapi.identity.recovery.OneTimeTokens;
import dev.kapi.identity.secondfactor.CodeHashes;
import dev.kapi.identity.secondfactor.SecondFactorSettings;
import dev.kapi.shared.PublicUrl;
import dev.kapi.shared.mail.Mailer;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Signing in by email: a single-use link and a six-digit code, mailed together and valid
 * for {@code kapi.identity.mfa.magic-link-lifetime} (15 minutes); using either retires
 * both. Both live in {@code one_time_tokens} as hashes: the link's token as its SHA-256,
 * the code, bound to its account, as an HMAC under a key derived from the master key
 * ({@link CodeHashes}), since a million candidates are hashed in a second. A code lives
 * minutes, so it is checked under the current master key only: a code mailed just before
 * a rotation of the master key no longer works (the link does; or ask again). Asking
 * answers the same whether or not the address has an account, and mails an account at
 * most once a minute ({@link AddressRequests}).
 */
@Component
public class MagicLinks {

    static final String LINK = "magic-link";
    static final String CODE = "magic-code";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Someone asked for a sign-in mail for an existing, active account. */
    public record Requested(long accountId) {
    }

    private final Accounts accounts;

    private final OneTimeTokens tokens;

    private final CodeHashes codes;

    private final JdbcClient jdbc;

    private final AddressRequests requests;

    private final Mailer mailer;

    private final PublicUrl site;

    private final MessageSource messages;

    private final Duration lifetime;

    private final Clock clock;

    MagicLinks(Accounts accounts, OneTimeTokens tokens, CodeHashes codes, JdbcClient jdbc, AddressRequests requests,
            Mailer mailer, PublicUrl site, MessageSource messages, SecondFactorSettings settings, Clock clock) {
        this.accounts = accounts;
        this.tokens = tokens;
        this.codes = codes;
        this.jdbc = jdbc;
        this.requests = requests;
        this.mailer = mailer;
        this.site = site;
        this.messages = messages;
        this.lifetime = settings.magicLinkLifetime();
        this.clock = clock;
    }

    /**
     * Queues a sign-in mail for the address: the request does the same work whether or
     * not the address has an account, and {@link AddressRequests} publishes
     * {@link Requested} for an existing, active one (at most once a minute) after the
     * answer.
     */
    public void request(String email) {
        requests.add(AddressRequests.MAGIC_LINK, email);
    }

    @ApplicationModuleListener
    void on(Requested request) {
        accounts.byId(request.accountId()).filter(Account::active).ifPresent(account -> {
            String token = tokens.issue(account.id(), LINK, lifetime);
            String code = "%06d".formatted(RANDOM.nextInt(1_000_000));
            Instant now = clock.instant();
            retire(account.id(), CODE);
            jdbc.sql("""
                    INSERT INTO one_time_tokens (token_hash, account_id, purpose, created_at, expires_at)
                    VALUES (:hash, :account, :purpose, :now, :expires)
                    ON CONFLICT (token_hash) DO UPDATE SET created_at = :now, expires_at = :expires, used_at = NULL
                    """)
                .param("hash", codeHash(account.id(), code))
                .param("account", account.id())
                .param("purpose", CODE)
                .param("now", utc(now))
                .param("expires", utc(now.plus(lifetime)))
                .update();
            Locale locale = Locale.forLanguageTag(account.language());
            String name = account.fullName() != null ? account.fullName() : account.email();
            mailer.send(account.email(), messages.getMessage("mail.magic-link.subject", null, locale),
                    messages.getMessage("mail.magic-link.body",
                            new Object[] { name, site.link("magic-link", token), code, lifetime.toMinutes() }, locale));
        });
    }

    /**
     * Uses the mailed link's token up; the account, or empty when it is unknown, used or
     * expired.
     */
    Optional<Long> useLink(String token) {
        Optional<Long> account = tokens.consume(token, LINK);
        account.ifPresent(id -> retire(id, CODE));
        return account;
    }

    /**
     * Uses the account's mailed code up: true once, for the right code within its
     * lifetime.
     */
    boolean useCode(long accountId, String code) {
        boolean used = tokens.consumeHash(codeHash(accountId, code), CODE).isPresent();
        if (used) {
            retire(accountId, LINK);
        }
        return used;
    }

    private void retire(long accountId, String purpose) {
        jdbc.sql("UPDATE one_time_tokens SET used_at = :now WHERE account_id = :account AND purpose = :purpose "
                + "AND used_at IS NULL")
            .param("now", utc(clock.instant()))
            .param("account", accountId)
            .param("purpose", purpose)
            .update();
    }

    /** A code as kept: its HMAC, bound to its account, so that codes never collide. */
    private String codeHash(long accountId, String code) {
        return codes.hash("magic-code:" + accountId + ":" + code);
    }

}
