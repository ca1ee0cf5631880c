package dev.kapi.webhooks;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Keeps the outbox from growing for ever: deliveries that ended (delivered, or failed for
 * good) are removed {@code kapi.webhooks.retention} after their last attempt, hourly,
 * like identity's housekeeping. Pending deliveries stay whatever their age. Every
 * instance may run it: each statement deletes a bounded batch.
 */
@Component
class WebhookHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(WebhookHousekeeping.class);

    private static final int BATCH = 10_000;

    private final JdbcClient jdbc;

    private final WebhookSettings settings;

    private final Clock clock;

    WebhookHousekeeping(JdbcClient jdbc, WebhookSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void scheduled() {
        long removed = prune();
        if (removed > 0) {
            log.info("Webhook housekeeping removed {} ended deliveries", removed);
        }
    }

    /** Removes the ended deliveries older than the retention; answers how many. */
    long prune() {
        Instant before = clock.instant().minus(settings.retention());
        long total = 0;
        int removed;
        do {
            removed = jdbc.sql("""
                    DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries
                    WHERE status IN ('delivered', 'failed') AND updated_at <= :before LIMIT :batch)
                    """).param("before", utc(before)).param("batch", BATCH).update();
            total += removed;
        }
        while (removed == BATCH);
        return total;
    }

}
