package dev.kapi.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Reminders of events: every {@code interval}, confirmed registrations of events that
 * start within {@code lead} are mailed once, {@code batch-size} per round. Off with
 * {@code enabled=false} (another instance may still remind).
 */
@ConfigurationProperties("kapi.events.reminders")
record ReminderSettings(@DefaultValue("true") boolean enabled, @DefaultValue("5m") Duration interval,
        @DefaultValue("24h") Duration lead, @DefaultValue("500") int batchSize) {
}
