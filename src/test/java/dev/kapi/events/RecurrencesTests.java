package dev.kapi.events;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kapi.shared.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecurrencesTests {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void expandWhenWeeklyAcrossSummerTimeThenLocalTimeKeptAndUtcShifts() {
        LocalDateTime first = LocalDateTime.parse("2030-03-19T19:00:00");

        List<LocalDateTime> starts = Recurrences.expand("FREQ=WEEKLY;BYDAY=TU;COUNT=3", first, BERLIN, List.of());

        assertThat(starts).containsExactly(first, LocalDateTime.parse("2030-03-26T19:00:00"),
                LocalDateTime.parse("2030-04-02T19:00:00"));
        assertThat(starts.stream().map(start -> ZonedDateTime.of(start, BERLIN).toInstant().toString()))
            .containsExactly("2030-03-19T18:00:00Z", "2030-03-26T18:00:00Z", "2030-04-02T17:00:00Z");
    }

    @Test
    void expandWhenExdatesThenThoseOccurrencesLeftOut() {
        LocalDateTime first = LocalDateTime.parse("2030-03-19T19:00:00");

        List<LocalDateTime> starts = Recurrences.expand("FREQ=WEEKLY;COUNT=4", first, BERLIN,
                List.of("2030-03-26", "2030-04-02T17:00:00Z"));

        assertThat(starts).containsExactly(first, LocalDateTime.parse("2030-04-09T19:00:00"));
    }

    @Test
    void expandWhenRuleEndlessThenBoundedByCountAndHorizon() {
        LocalDateTime first = LocalDateTime.parse("2030-01-01T10:00:00");

        assertThat(Recurrences.expand("FREQ=DAILY", first, BERLIN, List.of())).hasSize(Recurrences.MAX_OCCURRENCES);
        List<LocalDateTime> weekly = Recurrences.expand("FREQ=WEEKLY", first, BERLIN, List.of());
        assertThat(weekly.getLast()).isBeforeOrEqualTo(first.plusYears(Recurrences.HORIZON_YEARS));
        assertThat(weekly).hasSize(105);
    }

    @Test
    void parseWhenInvalidOrTooFineThenRefusedNamingTheRule() {
        for (String rule : List.of("FREQ=SOMETIMES", "FREQ=HOURLY;COUNT=3", "not a rule", "", "FREQ=DAILY;INTERVAL=0",
                "FREQ=WEEKLY;COUNT=0")) {
            assertThatThrownBy(() -> Recurrences.parse(rule)).isInstanceOf(ApiException.class)
                .extracting(ex -> ((ApiException) ex).field())
                .isEqualTo("recurrence.rrule");
        }
    }

}
