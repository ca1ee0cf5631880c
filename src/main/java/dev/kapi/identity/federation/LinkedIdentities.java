package dev.kapi.identity.federation;

import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.AccountUnlinked;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.passkey.Passkeys;
import dev.kapi.shared.ApiException;

/**
 * A signed-in user's external identities: listing them, and removing one unless it is the
 * account's last way to sign in (no password, no passkey, no other identity).
 */
@Service
class LinkedIdentities {

    private final ExternalIdentities identities;

    private final Accounts accounts;

    private final Passkeys passkeys;

    private final AuditLog audit;

    private final ApplicationEventPublisher events;

    LinkedIdentities(ExternalIdentities identities, Accounts accounts, Passkeys passkeys, AuditLog audit,
            ApplicationEventPublisher events) {
        this.identities = identities;
        this.accounts = accounts;
        this.passkeys = passkeys;
        this.audit = audit;
        this.events = events;
    }

    List<ExternalIdentities.Identity> of(CurrentAccount me) {
        return identities.of(me.id());
    }

    @Transactional
    void unlink(CurrentAccount me, long id) {
        List<ExternalIdentities.Identity> all = identities.lockAll(me.id());
        ExternalIdentities.Identity identity = all.stream()
            .filter(found -> found.id() == id)
            .findFirst()
            .orElseThrow(() -> ApiException.notFound("external-identity-not-found"));
        Account account = accounts.byId(me.id()).orElseThrow(() -> ApiException.unauthorized("unauthorized"));
        if (all.size() == 1 && account.passwordHash() == null && !passkeys.any(me.id())) {
            throw ApiException.conflict("last-sign-in-method");
        }
        identities.unlink(me.id(), id);
        audit.record(AuditType.ACCOUNT_UNLINKED, me.id(), me.id(),
                "alias=" + identity.alias() + ";subject=" + identity.subject());
        events.publishEvent(new AccountUnlinked(me.id(), me.publicId(), identity.alias(), identity.subject()));
    }

}
