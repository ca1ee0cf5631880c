package dev.kapi.identity;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Listens on PostgreSQL's {@code kapi_sessions} channel and evicts ended sessions and changed accounts
 * from this instance's caches. If the listening connection is lost, the whole cache is dropped (nothing stale survives a gap)
 * and the listener reconnects.
 */
@Component
class SessionInvalidations implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionInvalidations.class);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final Sessions sessions;
    private final AccountCache accounts;
    private volatile boolean running;
    private Thread thread;

    SessionInvalidations(DataSource dataSource, Sessions sessions, AccountCache accounts) {
        this.dataSource = dataSource;
        this.sessions = sessions;
        this.accounts = accounts;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().daemon().name("session-invalidations").start(this::listen);
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

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CacheInvalidations.CHANNEL);
                }
                // Anything announced before LISTEN took effect could have been missed.
                evictAll();
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(5_000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            String message = notification.getParameter();
                            if (message.startsWith("account:")) {
                                accounts.evict(Long.parseLong(message.substring("account:".length())));
                            }
                            else {
                                sessions.apply(message);
                            }
                        }
                    }
                }
            }
            catch (SQLException | RuntimeException ex) {
                evictAll();
                if (running) {
                    log.warn("Session invalidation listener lost its connection, reconnecting: {}", ex.toString());
                    pause();
                }
            }
        }
    }

    private void evictAll() {
        sessions.evictAll();
        accounts.evictAll();
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
