package dev.kapi.events;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import net.fortuna.ical4j.data.CalendarOutputter;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.TimeZoneRegistry;
import net.fortuna.ical4j.model.TimeZoneRegistryFactory;
import net.fortuna.ical4j.model.component.VEvent;
import net.fortuna.ical4j.model.parameter.TzId;
import net.fortuna.ical4j.model.property.DateProperty;
import net.fortuna.ical4j.model.property.Description;
import net.fortuna.ical4j.model.property.DtEnd;
import net.fortuna.ical4j.model.property.DtStamp;
import net.fortuna.ical4j.model.property.DtStart;
import net.fortuna.ical4j.model.property.LastModified;
import net.fortuna.ical4j.model.property.Location;
import net.fortuna.ical4j.model.property.ProdId;
import net.fortuna.ical4j.model.property.Sequence;
import net.fortuna.ical4j.model.property.Summary;
import net.fortuna.ical4j.model.property.Uid;
import net.fortuna.ical4j.model.property.Url;
import net.fortuna.ical4j.model.property.immutable.ImmutableCalScale;
import net.fortuna.ical4j.model.property.immutable.ImmutableMethod;
import net.fortuna.ical4j.model.property.immutable.ImmutableStatus;
import net.fortuna.ical4j.model.property.immutable.ImmutableVersion;

import org.springframework.stereotype.Component;

import dev.kapi.shared.PublicUrl;

/**
 * Events as iCalendar (RFC 5545), written with ical4j: one VEVENT per event with a UID
 * that never changes ({@code event-<id>@<host>}), its {@code SEQUENCE}, start and end in
 * the event's own time zone (with that zone's VTIMEZONE) and {@code STATUS:CANCELLED} for
 * an event that was cancelled or a registration that was.
 */
@Component
class EventCalendar {

    private static final String PRODUCT = "-//Kapı//Events//TR";

    private final String publicUrl;

    private final String host;

    private final TimeZoneRegistry zones = TimeZoneRegistryFactory.getInstance().createRegistry();

    EventCalendar(PublicUrl publicUrl) {
        this.publicUrl = publicUrl.base();
        String found = URI.create(this.publicUrl).getHost();
        this.host = found == null ? "kapi" : found;
    }

    /** One event of a calendar, and whether it is off for this calendar's reader. */
    record Entry(Event event, boolean cancelled) {
    }

    String render(List<Entry> entries) {
        Calendar calendar = new Calendar();
        calendar.add(new ProdId(PRODUCT));
        calendar.add(ImmutableVersion.VERSION_2_0);
        calendar.add(ImmutableCalScale.GREGORIAN);
        calendar.add(ImmutableMethod.PUBLISH);
        Set<String> timezones = new LinkedHashSet<>();
        for (Entry entry : entries) {
            timezones.add(entry.event().attendance().timezone());
        }
        for (String timezone : timezones) {
            calendar.add(zones.getTimeZone(timezone).getVTimeZone());
        }
        for (Entry entry : entries) {
            calendar.add(vevent(entry));
        }
        StringWriter out = new StringWriter();
        try {
            new CalendarOutputter(false).output(calendar, out);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toString();
    }

    /** The UID of an event in every calendar: the same for as long as it exists. */
    String uid(Event event) {
        return "event-" + event.id() + "@" + host;
    }

    /**
     * The wall-clock time of the instant in the event's zone, by java.time's rules. It is
     * written as it is beside the zone's TZID: iCal4j's own rules built from its bundled
     * VTIMEZONE put some dates an hour off (Europe/Istanbul in February 2027 at +02:00),
     * so a zoned time is never handed to iCal4j to convert.
     */
    private static LocalDateTime localTime(Instant instant, Event event) {
        return LocalDateTime.ofInstant(instant, ZoneId.of(event.attendance().timezone()));
    }

    private static <T extends DateProperty<LocalDateTime>> T local(T property, Event event) {
        property.add(new TzId(event.attendance().timezone()));
        return property;
    }

    private VEvent vevent(Entry entry) {
        Event event = entry.event();
        VEvent vevent = new VEvent();
        vevent.add(local(new DtStart<>(localTime(event.startTime(), event)), event));
        vevent.add(local(new DtEnd<>(localTime(event.endTime(), event)), event));
        vevent.add(new Summary(event.title()));
        vevent.replace(new DtStamp(event.updatedAt()));
        vevent.add(new Uid(uid(event)));
        vevent.add(new Sequence(event.sequence()));
        vevent.add(new LastModified(event.updatedAt()));
        if (event.description() != null && !event.description().isBlank()) {
            vevent.add(new Description(event.description()));
        }
        if (event.location() != null && !event.location().isBlank()) {
            vevent.add(new Location(event.location()));
        }
        vevent.add(new Url(URI.create(event.isPublic() ? publicUrl + "/events/public/" + event.slug()
                : publicUrl + "/events/" + event.id())));
        vevent.add(entry.cancelled() || event.deleted() ? ImmutableStatus.VEVENT_CANCELLED
                : ImmutableStatus.VEVENT_CONFIRMED);
        return vevent;
    }

}
