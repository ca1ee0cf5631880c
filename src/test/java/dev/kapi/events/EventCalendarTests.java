package dev.kapi.events;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import biweekly.Biweekly;
import biweekly.ICalendar;
import dev.kapi.shared.PublicUrl;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event's times in a calendar are the wall-clock times of its zone by java.time's
 * rules, written beside the zone's TZID, so every reader puts the event at its instant.
 */
class EventCalendarTests {

    private final EventCalendar calendar = new EventCalendar(new PublicUrl("https://kapi.example.com"));

    @Test
    void renderWhenIstanbulInFebruary2027ThenTheWallClockTimeIsTheZonesAndEveryReaderGetsTheInstant() {
        // iCal4j 4.4's own rules for Europe/Istanbul put this date at +02:00; the zone
        // has been +03:00 since 2016
        Instant start = Instant.parse("2027-02-13T13:24:14Z");
        Instant end = Instant.parse("2027-02-13T15:00:00Z");

        String ics = calendar.render(List.of(new EventCalendar.Entry(event(start, end), false)));

        assertThat(ics).contains("DTSTART;TZID=Europe/Istanbul:20270213T162414")
            .contains("DTEND;TZID=Europe/Istanbul:20270213T180000");
        ICalendar read = Biweekly.parse(ics).first();
        assertThat(read.getEvents().getFirst().getDateStart().getValue().toInstant()).isEqualTo(start);
        assertThat(read.getEvents().getFirst().getDateEnd().getValue().toInstant()).isEqualTo(end);
    }

    private static Event event(Instant start, Instant end) {
        Attendance attendance = new Attendance("Europe/Istanbul", null, null, null, "auto", false, "public", true, 0, 0,
                0, 0);
        return new Event(7, "Şubat Buluşması", "subat-bulusmasi", null, null, null, "Kadıköy", start, end, null, null,
                1L, start, start, null, null, "subat bulusmasi", attendance, 0, null, false);
    }

}
