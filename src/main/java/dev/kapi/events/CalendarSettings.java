package dev.kapi.events;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Event calendars. A feed ({@code /events/feed.ics}, a personal {@code /calendar/…ics})
 * holds the events that end after {@code past} ago, in start order, {@code max-events} at
 * most: a feed never grows with the whole table.
 */
@ConfigurationProperties("kapi.events.calendar")
record CalendarSettings(@DefaultValue("1000") int maxEvents, @DefaultValue("30d") Duration past) {
}
