package dev.kapi.events;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Reminds confirmed attendees a day before their event (the lead of
 * {@link ReminderSettings}), by the injected clock. Each round claims its registrations
 * with {@code FOR UPDATE SKIP LOCKED} and marks them in the same transaction, so several
 * instances never remind anyone twice; the mail goes after that commit.
 */
@Component
class Reminders implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(Reminders.class);

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final ApplicationEventPublisher publisher;

    private final ReminderSettings settings;

    private final Clock clock;

    Reminders(JdbcClient jdbc, TransactionTemplate transactions, ApplicationEventPublisher publisher,
            ReminderSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.publisher = publisher;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (settings.enabled()) {
            registrar.addFixedDelayTask(this::poll, settings.interval());
        }
    }

    void poll() {
        try {
            while (remindDue() == settings.batchSize()) {
                // a full batch: more may be due
            }
        }
        catch (RuntimeException ex) {
            log.error("An event reminder round failed; the next one retries", ex);
        }
    }

    /** One round: the registrations reminded now. */
    int remindDue() {
        Integer reminded = transactions.execute(status -> {
            Instant now = clock.instant();
            List<Long> due = jdbc.sql("""
                    SELECT r.id FROM event_registrations r JOIN events e ON e.id = r.event_id
                    WHERE r.status = 'confirmed' AND r.reminded_at IS NULL AND e.deleted_at IS NULL
                      AND e.start_time > :now AND e.start_time <= :until
                    ORDER BY r.id
                    LIMIT :batch
                    FOR UPDATE OF r SKIP LOCKED""")
                .param("now", utc(now))
                .param("until", utc(now.plus(settings.lead())))
                .param("batch", settings.batchSize())
                .query(Long.class)
                .list();
            if (due.isEmpty()) {
                return 0;
            }
            jdbc.sql("UPDATE event_registrations SET reminded_at = :now WHERE id = ANY(:ids)")
                .param("now", utc(now))
                .param("ids", due.toArray(Long[]::new))
                .update();
            due.forEach(id -> publisher.publishEvent(new RegistrationMail(id, "reminder")));
            return due.size();
        });
        return reminded == null ? 0 : reminded;
    }

}
