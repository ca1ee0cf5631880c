package dev.kapi.identity.recovery;

import java.time.Clock;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.session.Sessions;

/**
 * The first proof of an unverified address by mail (a sign-in link or code, a password
 * reset): whatever was set up on the account before it may be a squatter's, who
 * registered someone else's address with a password of their choosing (account
 * pre-hijacking). So the address counts as verified, every earlier session ends
 * ({@code address-proved}), the second factors set up before are removed and, unless the
 * proof sets a new one, the password is voided. Run inside the caller's transaction.
 */
@Component
public class AddressClaims {

    private final Accounts accounts;

    private final SecondFactors factors;

    private final Sessions sessions;

    private final AuditLog audit;

    private final Clock clock;

    AddressClaims(Accounts accounts, SecondFactors factors, Sessions sessions, AuditLog audit, Clock clock) {
        this.accounts = accounts;
        this.factors = factors;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Claims the account for whoever proved its address; {@code voidPassword} when the
     * proof sets none.
     */
    public void claim(long accountId, boolean voidPassword) {
        accounts.markEmailVerified(accountId, clock.instant());
        if (voidPassword) {
            accounts.voidPassword(accountId, clock.instant());
        }
        List<String> removed = factors.removeAllSetBeforeVerification(accountId);
        sessions.endAllOf(accountId, null, "address-proved");
        audit.record(AuditType.UNVERIFIED_ACCOUNT_CLAIMED, accountId, accountId,
                removed.isEmpty() ? null : "methods=" + String.join(",", removed));
    }

}
