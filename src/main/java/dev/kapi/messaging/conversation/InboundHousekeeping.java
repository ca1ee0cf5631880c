package dev.kapi.messaging.conversation;

import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Keeps replies no longer than {@code kapi.messaging.inbound.retention} (personal data):
 * hourly, like the webhooks' housekeeping, those stored longer ago are deleted in bounded
 * batches. Every instance may run it.
 */
@Component
class InboundHousekeeping {

    private static final Logger log = LoggerFactory.getLogger(InboundHousekeeping.class);

    private static final int BATCH = 10_000;

    private final JdbcClient jdbc;

    private final ConversationSettings settings;

    private final Clock clock;

    InboundHousekeeping(JdbcClient jdbc, ConversationSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void scheduled() {
        long removed = prune();
        if (removed > 0) {
            log.info("Messaging housekeeping removed {} replies older than {}", removed, settings.retention());
        }
    }

    /** Removes the replies stored before the retention; answers how many. */
    long prune() {
        Instant before = clock.instant().minus(settings.retention());
        long total = 0;
        int removed;
        do {
            removed = jdbc.sql("""
                    DELETE FROM messaging_inbound WHERE id IN (SELECT id FROM messaging_inbound
                    WHERE created_at <= :before LIMIT :batch)
                    """).param("before", utc(before)).param("batch", BATCH).update();
            total += removed;
        }
        while (removed == BATCH);
        return total;
    }

}
