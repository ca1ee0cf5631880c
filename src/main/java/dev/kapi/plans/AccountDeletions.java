package dev.kapi.plans;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.kapi.identity.AccountDeleted;

/**
 * Forgets the packages of an account that was removed for good. Its ledger entries and balance stay:
 * money history is not lost with the account (entries are append-only), and they name only its id.
 */
@Component
class AccountDeletions {

    private final UserPackages userPackages;

    AccountDeletions(UserPackages userPackages) {
        this.userPackages = userPackages;
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        userPackages.deleteOf(deleted.accountId());
    }
}
