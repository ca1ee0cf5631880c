package dev.kapi.messaging;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.messaging.queue.QueueStatus;
import dev.kapi.shared.SqlTime;

/** The messaging figures, read straight from the queue and message tables. */
@Component
class JdbcMessagingStatistics implements MessagingStatistics {

    private final JdbcClient jdbc;

    JdbcMessagingStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<Long, Long> sentPerAccount(Instant from, Instant to) {
        Map<Long, Long> sent = new HashMap<>();
        jdbc.sql("""
                SELECT owner_id, count(*) AS n FROM messaging_messages
                WHERE sent_at >= :from AND sent_at < :to GROUP BY owner_id""")
            .param("from", SqlTime.utc(from))
            .param("to", SqlTime.utc(to))
            .query(rs -> {
                sent.put(rs.getLong("owner_id"), rs.getLong("n"));
            });
        return sent;
    }

    @Override
    public Map<String, Long> queuesByStatus() {
        Map<String, Long> counts = new LinkedHashMap<>();
        QueueStatus.WIRE_NAMES.forEach(status -> counts.put(status, 0L));
        jdbc.sql("SELECT status, count(*) AS n FROM messaging_queues GROUP BY status").query(rs -> {
            counts.put(rs.getString("status"), rs.getLong("n"));
        });
        return counts;
    }

}
