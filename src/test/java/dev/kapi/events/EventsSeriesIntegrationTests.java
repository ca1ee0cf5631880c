package dev.kapi.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 33's recurring series: occurrences are events of their own, in the series' local
 * time across a change to summer time; editing the series spares occurrences edited on
 * their own; deleting it cancels what has not started.
 */
class EventsSeriesIntegrationTests extends EventsTestSupport {

    @Test
    @SuppressWarnings("unchecked")
    void createWhenWeeklyAcrossSummerTimeThenOccurrencesKeepLocalTime() {
        TestUser editor = newUserOfType("editor");
        Map<String, Object> fields = new HashMap<>();
        fields.put("title", "Salı Buluşması");
        fields.put("start_time", "2030-03-19T18:00:00Z");
        fields.put("end_time", "2030-03-19T20:00:00Z");
        fields.put("timezone", "Europe/Berlin");
        fields.put("capacity", 30);
        fields.put("recurrence", Map.of("rrule", "FREQ=WEEKLY;BYDAY=TU;COUNT=4", "exdates", List.of("2030-04-02")));

        Map<String, Object> first = post(editor, "/events", fields, 201);
        long seriesId = ((Number) first.get("series_id")).longValue();
        Map<String, Object> series = get(editor, "/events/series/" + seriesId, 200);
        List<Map<String, Object>> occurrences = (List<Map<String, Object>>) series.get("occurrences");

        assertThat(first).containsEntry("local_start", "2030-03-19T19:00:00").containsEntry("capacity", 30);
        assertThat(series).containsEntry("rrule", "FREQ=WEEKLY;BYDAY=TU;COUNT=4")
            .containsEntry("timezone", "Europe/Berlin");
        assertThat(occurrences).extracting(occurrence -> occurrence.get("start_time"))
            .containsExactly("2030-03-19T18:00:00Z", "2030-03-26T18:00:00Z", "2030-04-09T17:00:00Z");
        assertThat(occurrences).extracting(occurrence -> occurrence.get("local_start"))
            .containsExactly("2030-03-19T19:00:00", "2030-03-26T19:00:00", "2030-04-09T19:00:00");
        assertThat(occurrences).extracting(occurrence -> occurrence.get("slug"))
            .containsExactly("sali-bulusmasi-2030-03-19", "sali-bulusmasi-2030-03-26", "sali-bulusmasi-2030-04-09");
        Map<String, Object> last = get(editor, "/events/" + occurrences.getLast().get("id"), 200);
        assertThat(last).containsEntry("local_start", "2030-04-09T19:00:00")
            .containsEntry("local_end", "2030-04-09T21:00:00")
            .containsEntry("series_id", first.get("series_id"));
        post(newUser(), "/events/" + occurrences.get(1).get("id") + "/registrations", Map.of(), 201);
        assertThat(get(editor, "/events/" + occurrences.get(1).get("id"), 200)).containsEntry("confirmed", 1);
        assertThat(get(editor, "/events/" + first.get("id"), 200)).containsEntry("confirmed", 0);
    }

    @Test
    @SuppressWarnings("unchecked")
    void updateSeriesWhenOneOccurrenceEditedThenOnlyTheOthersChangeAndDeleteCancelsFuture() {
        TestUser editor = newUserOfType("editor");
        String start = clock.instant()
            .plus(Duration.ofDays(1))
            .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
            .toString();
        Map<String, Object> fields = new HashMap<>();
        fields.put("title", "Günlük Stand-up");
        fields.put("start_time", start);
        fields.put("end_time", java.time.Instant.parse(start).plus(Duration.ofMinutes(15)).toString());
        fields.put("recurrence", Map.of("rrule", "FREQ=DAILY;COUNT=3"));
        Map<String, Object> first = post(editor, "/events", fields, 201);
        long seriesId = ((Number) first.get("series_id")).longValue();
        List<Map<String, Object>> occurrences = (List<Map<String, Object>>) get(editor, "/events/series/" + seriesId,
                200)
            .get("occurrences");
        Object editedId = occurrences.get(1).get("id");
        put(editor, "/events/" + editedId, Map.of("title", "Özel Stand-up"), 200);

        Map<String, Object> changed = put(editor, "/events/series/" + seriesId,
                Map.of("title", "Sabah Stand-up", "location", "Salon 2"), 200);

        assertThat((List<Map<String, Object>>) changed.get("occurrences"))
            .extracting(occurrence -> occurrence.get("edited"))
            .containsExactly(false, true, false);
        assertThat(get(editor, "/events/" + occurrences.get(0).get("id"), 200)).containsEntry("title", "Sabah Stand-up")
            .containsEntry("location", "Salon 2");
        assertThat(get(editor, "/events/" + editedId, 200)).containsEntry("title", "Özel Stand-up");
        assertThat(get(editor, "/events/" + occurrences.get(2).get("id"), 200)).containsEntry("title",
                "Sabah Stand-up");
        assertThat(put(editor, "/events/series/" + seriesId, Map.of("start_time", start), 400)).containsKey("errors");

        clock.advance(Duration.ofDays(1).plusMinutes(5));
        editor = again(editor);
        as(editor.token()).delete().uri("/events/series/{id}", seriesId).exchange().expectStatus().isNoContent();

        assertThat(get(editor, "/events/" + occurrences.get(0).get("id"), 200)).containsEntry("title",
                "Sabah Stand-up");
        get(editor, "/events/" + editedId, 404);
        get(editor, "/events/" + occurrences.get(2).get("id"), 404);
        get(editor, "/events/series/" + seriesId, 404);
    }

    @Test
    void createWhenRuleInvalidThenBadRequestNamingIt() {
        TestUser editor = newUserOfType("editor");
        Map<String, Object> fields = new HashMap<>();
        fields.put("title", "Bozuk Kural");
        fields.put("start_time", "2030-03-19T18:00:00Z");
        fields.put("end_time", "2030-03-19T20:00:00Z");
        fields.put("recurrence", Map.of("rrule", "FREQ=MINUTELY"));

        assertThat(invalidFields(post(editor, "/events", fields, 400))).containsExactly("recurrence.rrule");
    }

    @Test
    void createWhenSeriesStartsBeyondYear9999ThenBadRequestNamingTheStartNotAServerError() {
        TestUser editor = newUserOfType("editor");
        Map<String, Object> fields = new HashMap<>();
        fields.put("title", "Uzak Gelecek");
        fields.put("start_time", "+999999999-01-01T00:00:00Z");
        fields.put("end_time", "+999999999-01-01T02:00:00Z");
        fields.put("recurrence", Map.of("rrule", "FREQ=WEEKLY;COUNT=3"));

        assertThat(invalidFields(post(editor, "/events", fields, 400))).containsExactly("start_time");
    }

}
