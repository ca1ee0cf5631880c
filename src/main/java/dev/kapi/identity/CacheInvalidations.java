package dev.kapi.identity;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells every instance that cached identity state changed. The message goes out through PostgreSQL's
 * {@code NOTIFY} (delivered to the other instances at commit, see {@link SessionInvalidations}) and is
 * applied here directly after commit, so that a concurrent request cannot re-cache the old state.
 */
@Component
class CacheInvalidations {

    static final String CHANNEL = "kapi_sessions";

    private final JdbcClient jdbc;

    CacheInvalidations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void announce(String message, Runnable locally) {
        jdbc.sql("SELECT pg_notify(:channel, :message)").param("channel", CHANNEL).param("message", message)
                .query().singleRow();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    locally.run();
                }
            });
        }
        else {
            locally.run();
        }
    }
}
