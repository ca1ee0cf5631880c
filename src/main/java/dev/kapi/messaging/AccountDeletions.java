package dev.kapi.messaging;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/** Removes everything messaging kept for an account that was deleted for good; its ledger stays in plans. */
@Component("messagingAccountDeletions")
class AccountDeletions {

    private final JdbcClient jdbc;

    AccountDeletions(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @ApplicationModuleListener
    void on(dev.kapi.identity.AccountDeleted deleted) {
        long owner = deleted.accountId();
        for (String table : new String[] { "messaging_messages", "messaging_queues", "messaging_drafts",
                "messaging_list_entries", "messaging_groups", "messaging_customers", "messaging_custom_fields",
                "messaging_senders", "messaging_automation_settings" }) {
            jdbc.sql("DELETE FROM " + table + " WHERE owner_id = :owner").param("owner", owner).update();
        }
    }
}
