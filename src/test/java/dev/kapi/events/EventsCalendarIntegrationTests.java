package dev.kapi.events;

import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import biweekly.Biweekly;
import biweekly.ICalendar;
import biweekly.component.VTimezone;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.Component;
import net.fortuna.ical4j.model.Parameter;
import net.fortuna.ical4j.model.Property;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 33's calendars: each .ics is read back by ical4j (which wrote it) and by
 * biweekly, an independent parser.
 */
class EventsCalendarIntegrationTests extends EventsTestSupport {

    @Test
    void icsWhenPublicEventThenValidForBothParsersAndSequenceFollowsChanges() throws Exception {
        String editor = editorToken();
        Map<String, Object> event = createEvent(editor, fields("Takvimli Buluşma", "public", null));
        long id = id(event);
        Instant start = Instant.parse((String) event.get("start_time"));

        String first = ics("/events/" + id + ".ics");
        put(editorUser(editor), "/events/" + id, Map.of("title", "Takvimli Buluşma (yeni salon)"), 200);
        String second = ics("/events/" + id + ".ics");

        VEvent parsed = onlyEvent(ical4j(first));
        assertThat(value(parsed, Property.UID)).isEqualTo("event-" + id + "@localhost");
        assertThat(value(parsed, Property.SEQUENCE)).isEqualTo("0");
        assertThat(value(parsed, Property.STATUS)).isEqualTo("CONFIRMED");
        assertThat(parsed.getProperty(Property.DTSTART)
            .orElseThrow()
            .getParameter(Parameter.TZID)
            .orElseThrow()
            .getValue()).isEqualTo("Europe/Istanbul");
        // iCal4j reads the wall-clock time as written (its own zone rules put some dates
        // an hour
        // off, so the instant is checked by biweekly below)
        assertThat(LocalDateTime.from(parsed.getStartDate().orElseThrow().getDate()))
            .isEqualTo(LocalDateTime.ofInstant(start, ZoneId.of("Europe/Istanbul")));
        assertThat(ical4j(first).getComponents(Component.VTIMEZONE)).hasSize(1);
        VEvent changed = onlyEvent(ical4j(second));
        assertThat(value(changed, Property.UID)).isEqualTo("event-" + id + "@localhost");
        assertThat(value(changed, Property.SEQUENCE)).isEqualTo("1");
        assertThat(value(changed, Property.SUMMARY)).isEqualTo("Takvimli Buluşma (yeni salon)");

        ICalendar other = biweekly(second);
        biweekly.component.VEvent otherEvent = other.getEvents().getFirst();
        assertThat(other.getEvents()).hasSize(1);
        assertThat(otherEvent.getUid().getValue()).isEqualTo("event-" + id + "@localhost");
        assertThat(otherEvent.getSequence().getValue()).isEqualTo(1);
        assertThat(otherEvent.getSummary().getValue()).isEqualTo("Takvimli Buluşma (yeni salon)");
        assertThat(otherEvent.getDateStart().getValue().toInstant()).isEqualTo(start);
        assertThat(other.getTimezoneInfo().getComponents()).extracting(VTimezone::getTimezoneId)
            .extracting(property -> property.getValue())
            .containsExactly("Europe/Istanbul");
    }

    @Test
    void icsWhenSignedInOnlyEventThenNotFoundWithoutToken() {
        String editor = editorToken();
        long id = id(createEvent(editor, fields("Üyelere Takvim", null, null)));

        client().get().uri("/events/{id}.ics", id).exchange().expectStatus().isNotFound();
    }

    @Test
    void feedWhenCategoryGivenThenItsPublicEventsWithCancelledOnesMarked() throws Exception {
        String editor = editorToken();
        int category = freshCategory(editor);
        long open = id(createEvent(editor, fields("Açık Akşam", "public", category)));
        long gone = id(createEvent(editor, fields("İptal Akşamı", "public", category)));
        createEvent(editor, fields("Kapalı Akşam", null, category));
        as(editor).delete().uri("/events/{id}", gone).exchange().expectStatus().isNoContent();

        String feed = ics("/events/feed.ics?category_id=" + category);

        Map<String, String> statuses = new HashMap<>();
        for (VEvent event : ical4j(feed).<VEvent>getComponents(Component.VEVENT)) {
            statuses.put(value(event, Property.UID), value(event, Property.STATUS));
        }
        assertThat(statuses).containsOnly(Map.entry("event-" + open + "@localhost", "CONFIRMED"),
                Map.entry("event-" + gone + "@localhost", "CANCELLED"));
        assertThat(biweekly(feed).getEvents()).extracting(event -> event.getStatus().getValue())
            .containsExactlyInAnyOrder("CONFIRMED", "CANCELLED");
    }

    @Test
    void personalFeedWhenTokenRevokedOrReplacedThenNotFoundAndCancelledRegistrationMarked() throws Exception {
        String editor = editorToken();
        long kept = id(createEvent(editor, fields("Gideceğim", null, null)));
        long dropped = id(createEvent(editor, fields("Vazgeçtiğim", null, null)));
        TestUser user = newUser();
        post(user, "/events/" + kept + "/registrations", Map.of(), 201);
        post(user, "/events/" + dropped + "/registrations", Map.of(), 201);
        as(user.token()).delete().uri("/events/{id}/registrations/me", dropped).exchange().expectStatus().isNoContent();

        Map<String, Object> issued = post(user, "/users/me/calendar-token", 201);
        String token = (String) issued.get("token");
        String feed = ics("/calendar/" + token + ".ics");

        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat((String) issued.get("url")).endsWith("/calendar/" + token + ".ics");
        Map<String, String> statuses = new HashMap<>();
        for (VEvent event : ical4j(feed).<VEvent>getComponents(Component.VEVENT)) {
            statuses.put(value(event, Property.UID), value(event, Property.STATUS));
        }
        assertThat(statuses).containsOnly(Map.entry("event-" + kept + "@localhost", "CONFIRMED"),
                Map.entry("event-" + dropped + "@localhost", "CANCELLED"));
        assertThat(biweekly(feed).getEvents()).hasSize(2);

        String replaced = (String) post(user, "/users/me/calendar-token", 201).get("token");
        client().get().uri("/calendar/{token}.ics", token).exchange().expectStatus().isNotFound();
        ics("/calendar/" + replaced + ".ics");
        as(user.token()).delete().uri("/users/me/calendar-token").exchange().expectStatus().isNoContent();
        client().get().uri("/calendar/{token}.ics", replaced).exchange().expectStatus().isNotFound();
        client().get()
            .uri("/calendar/{token}.ics", "A".repeat(43))
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:calendar-not-found");
    }

    private TestUser editorUser(String token) {
        return new TestUser(token, accountIdOf(token), null);
    }

    private Map<String, Object> fields(String title, String visibility, Integer category) {
        Instant start = clock.instant().plus(Duration.ofDays(5)).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> fields = new HashMap<>();
        fields.put("title", title);
        fields.put("start_time", start.toString());
        fields.put("end_time", start.plus(Duration.ofHours(2)).toString());
        if (visibility != null) {
            fields.put("visibility", visibility);
        }
        if (category != null) {
            fields.put("category_id", category);
        }
        return fields;
    }

    private String ics(String path) {
        return client().get()
            .uri(path)
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith("text/calendar")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
    }

    private static Calendar ical4j(String text) throws IOException, ParserException {
        return new CalendarBuilder().build(new StringReader(text));
    }

    private static ICalendar biweekly(String text) {
        List<ICalendar> all = Biweekly.parse(text).all();
        assertThat(all).hasSize(1);
        return all.getFirst();
    }

    private static VEvent onlyEvent(Calendar calendar) {
        List<VEvent> events = calendar.getComponents(Component.VEVENT);
        assertThat(events).hasSize(1);
        return events.getFirst();
    }

    private static String value(VEvent event, String name) {
        return event.getProperty(name).orElseThrow().getValue();
    }

    @Test
    void personalFeedAddressWhenTheTokensSignInIsOlderThanFiveMinutesThenNoneIsIssued() {
        TestUser victim = newUser();
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        // a stolen access token cannot mint an address that outlives it
        as(victim.token()).post()
            .uri("/users/me/calendar-token")
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:reauthentication-required");
    }

}
