package dev.kapi.trading;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.kapi.identity.AccountDeleted;

/**
 * Removes everything trading kept for an account that was deleted for good: its bots stop at once (the
 * rows go, so no runner claims them again), then its trades, lots and sealed API keys.
 */
@Component("tradingAccountDeletions")
class AccountDeletions {

    private final Bots bots;
    private final Trades trades;
    private final ApiKeys keys;

    AccountDeletions(Bots bots, Trades trades, ApiKeys keys) {
        this.bots = bots;
        this.trades = trades;
        this.keys = keys;
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        trades.deleteOf(deleted.accountId());
        bots.deleteOf(deleted.accountId());
        keys.deleteOf(deleted.accountId());
    }
}
