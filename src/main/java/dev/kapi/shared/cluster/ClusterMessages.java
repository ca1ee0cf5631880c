package dev.kapi.shared.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Tells every instance on the database that something cached changed, with nothing but
 * PostgreSQL: a message is a {@code NOTIFY} on one channel, delivered to the other
 * instances when the sending transaction commits, and applied on this instance right
 * after commit (so a concurrent request cannot re-cache the old state). Modules
 * {@link #subscribe} per topic. When the listening connection is lost, every subscriber's
 * {@code onGap} runs (drop the whole cache: nothing stale survives a gap) and the
 * listener reconnects. The listening connection is the datasource's, or a direct one to
 * PostgreSQL when {@code KAPI_CLUSTER_LISTEN_URL} is set ({@link ClusterSettings}): a
 * pooler in transaction mode would hand the session that ran {@code LISTEN} to other
 * clients and deliver nothing. A {@code NOTIFY} is part of its transaction and goes
 * through the pooler like any other statement.
 */
@Component
public final class ClusterMessages implements SmartLifecycle {

    static final String CHANNEL = "kapi_cluster";

    /** The topic that tells every subscriber to drop everything, as after a gap. */
    private static final String RESET = "*";

    private static final Logger log = LoggerFactory.getLogger(ClusterMessages.class);

    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final DataSource dataSource;

    private final JdbcClient jdbc;

    private final ClusterSettings settings;

    private final ObjectProvider<DataSourceProperties> dataSourceProperties;

    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();

    private volatile boolean running;

    private Thread thread;

    ClusterMessages(DataSource dataSource, JdbcClient jdbc, ClusterSettings settings,
            ObjectProvider<DataSourceProperties> dataSourceProperties) {
        this.dataSource = dataSource;
        this.jdbc = jdbc;
        this.settings = settings;
        this.dataSourceProperties = dataSourceProperties;
    }

    private record Subscriber(Consumer<String> handler, Runnable onGap) {
    }

    /**
     * Handles the messages of a topic, whichever instance sent them; {@code onGap} after
     * a lost connection. A topic has one subscriber: a second would silently take the
     * first one's messages, so it is refused.
     */
    public void subscribe(String topic, Consumer<String> handler, Runnable onGap) {
        if (subscribers.putIfAbsent(topic, new Subscriber(handler, onGap)) != null) {
            throw new IllegalStateException("The cluster topic " + topic + " already has a subscriber");
        }
    }

    /**
     * Sends a message of the topic to every instance, this one included. Within a
     * transaction a message already sent is not sent again: PostgreSQL would deliver it
     * once anyway, and the round trip is saved.
     */
    public void publish(String topic, String message) {
        String payload = topic + "|" + message;
        Set<String> sentInTransaction = sentInTransaction();
        if (sentInTransaction != null && !sentInTransaction.add(payload)) {
            return;
        }
        jdbc.sql("SELECT pg_notify(:channel, :payload)")
            .param("channel", CHANNEL)
            .param("payload", payload)
            .query()
            .singleRow();
        if (sentInTransaction == null) {
            deliver(payload);
        }
    }

    /**
     * The messages of the current transaction, delivered here after it commits; null
     * outside one.
     */
    private Set<String> sentInTransaction() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        // Looked up among the transaction's synchronizations, which an inner REQUIRES_NEW
        // does not share.
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof AfterCommit afterCommit && afterCommit.owner() == this) {
                return afterCommit.messages;
            }
        }
        AfterCommit afterCommit = new AfterCommit();
        TransactionSynchronizationManager.registerSynchronization(afterCommit);
        return afterCommit.messages;
    }

    /** Delivers a transaction's messages on this instance once it has committed. */
    private final class AfterCommit implements TransactionSynchronization {

        private final Set<String> messages = new LinkedHashSet<>();

        ClusterMessages owner() {
            return ClusterMessages.this;
        }

        @Override
        public void afterCommit() {
            messages.forEach(ClusterMessages.this::deliver);
        }

    }

    /**
     * Makes every instance, this one included, drop everything it caches, as after a lost
     * connection: for when the data under every cache was replaced at once (an import).
     */
    public void publishReset() {
        publish(RESET, "");
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("cluster-messages").start(this::listen);
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void deliver(String payload) {
        int bar = payload.indexOf('|');
        if (bar >= 0 && RESET.equals(payload.substring(0, bar))) {
            gap();
            return;
        }
        Subscriber subscriber = bar < 0 ? null : subscribers.get(payload.substring(0, bar));
        if (subscriber != null) {
            subscriber.handler().accept(payload.substring(bar + 1));
        }
    }

    private void gap() {
        subscribers.values().forEach(subscriber -> subscriber.onGap().run());
    }

    private void listen() {
        while (running) {
            try (Connection connection = listeningConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                // Anything announced before LISTEN took effect could have been missed.
                gap();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(5_000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            deliver(notification.getParameter());
                        }
                    }
                }
            }
            catch (SQLException | RuntimeException ex) {
                gap();
                if (running) {
                    log.warn("Cluster message listener lost its connection, reconnecting: {}", ex.toString());
                    pause();
                }
            }
        }
    }

    /**
     * A connection of its own to PostgreSQL when a direct URL is set, else one of the
     * datasource's.
     */
    private Connection listeningConnection() throws SQLException {
        if (!settings.direct()) {
            return dataSource.getConnection();
        }
        DataSourceProperties properties = dataSourceProperties.getIfAvailable();
        String username = settings.listenUsername() != null ? settings.listenUsername()
                : properties == null ? null : properties.determineUsername();
        String password = settings.listenPassword() != null ? settings.listenPassword()
                : properties == null ? null : properties.determinePassword();
        return DriverManager.getConnection(settings.listenUrl(), username, password);
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_DELAY);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

}
