package dev.kapi.shared.mail;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mail written inside a transaction leaves only after the commit, so the token its link
 * carries is already stored; a rolled-back change mails nothing.
 */
class MailAfterCommitTests {

    private final List<String> sent = new ArrayList<>();

    private final Mailer mailer = MailConfiguration.afterCommit((to, subject, text, attachment) -> this.sent.add(to));

    @AfterEach
    void endTransaction() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
        TransactionSynchronizationManager.setActualTransactionActive(false);
    }

    @Test
    void sendWhenNoTransactionThenTheMailLeavesAtOnce() {
        this.mailer.send("a@example.com", "s", "t");

        assertThat(this.sent).containsExactly("a@example.com");
    }

    @Test
    void sendWhenInATransactionThenTheMailLeavesOnlyAfterTheCommit() {
        begin();

        this.mailer.send("a@example.com", "s", "t");
        assertThat(this.sent).isEmpty();

        TransactionSynchronizationManager.getSynchronizations().forEach(TransactionSynchronization::afterCommit);
        assertThat(this.sent).containsExactly("a@example.com");
    }

    @Test
    void sendWhenTheTransactionRollsBackThenNoMailLeaves() {
        begin();

        this.mailer.send("a@example.com", "s", "t");
        TransactionSynchronizationManager.getSynchronizations()
            .forEach(synchronization -> synchronization.afterCompletion(TransactionSynchronization.STATUS_ROLLED_BACK));

        assertThat(this.sent).isEmpty();
    }

    private static void begin() {
        TransactionSynchronizationManager.initSynchronization();
        TransactionSynchronizationManager.setActualTransactionActive(true);
    }

}
