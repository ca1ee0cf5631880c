package dev.kapi.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import net.fortuna.ical4j.model.Recur;

import dev.kapi.shared.ApiException;

/**
 * The occurrences of a recurring series: an RFC 5545 RRULE (read by ical4j's
 * {@link Recur}) expanded in the series' local time from its first start, so that a
 * weekly 19:00 stays 19:00 across a change to or from summer time. Bounded: at most
 * {@link #MAX_OCCURRENCES} occurrences within {@link #HORIZON_YEARS} years of the first;
 * a rule that would go on longer is cut there.
 */
final class Recurrences {

    static final int MAX_OCCURRENCES = 500;

    static final int HORIZON_YEARS = 2;

    /** Rules finer than a day would make hundreds of events an hour; refused. */
    private static final Set<String> FREQUENCIES = Set.of("DAILY", "WEEKLY", "MONTHLY", "YEARLY");

    private Recurrences() {
    }

    /**
     * The local start times of the occurrences, the first start always first, excluded
     * ones left out: an exdate is a local day ({@code 2030-03-26}) or a date-time with an
     * offset (one occurrence).
     */
    static List<LocalDateTime> expand(String rrule, LocalDateTime first, ZoneId zone, List<String> exdates) {
        Recur<LocalDateTime> recur = parse(rrule);
        Set<LocalDate> excludedDays = new HashSet<>();
        Set<Instant> excludedStarts = new HashSet<>();
        for (String exdate : exdates == null ? List.<String>of() : exdates) {
            String value = exdate == null ? "" : exdate.strip();
            try {
                if (value.length() == 10) {
                    excludedDays.add(LocalDate.parse(value));
                }
                else {
                    excludedStarts.add(OffsetDateTime.parse(value).toInstant());
                }
            }
            catch (DateTimeParseException ex) {
                throw ApiException.invalidField("recurrence.exdates", "invalid-exdate");
            }
        }
        LocalDateTime end = first.plusYears(HORIZON_YEARS);
        TreeSet<LocalDateTime> starts = new TreeSet<>();
        starts.add(first);
        try {
            starts.addAll(recur.getDates(first, first, end, MAX_OCCURRENCES + 1));
        }
        catch (RuntimeException ex) {
            // A rule ical4j reads but cannot expand (an impossible BYMONTH, say).
            throw ApiException.invalidField("recurrence.rrule", "invalid-rrule");
        }
        List<LocalDateTime> kept = new ArrayList<>();
        for (LocalDateTime start : starts) {
            if (kept.size() == MAX_OCCURRENCES || start.isAfter(end)) {
                break;
            }
            if (!excludedDays.contains(start.toLocalDate())
                    && !excludedStarts.contains(ZonedDateTime.of(start, zone).toInstant())) {
                kept.add(start);
            }
        }
        return kept;
    }

    /** The rule, checked: RFC 5545 syntax, a frequency of a day or more. */
    static Recur<LocalDateTime> parse(String rrule) {
        String value = rrule == null ? "" : rrule.strip();
        if (value.regionMatches(true, 0, "RRULE:", 0, 6)) {
            value = value.substring(6);
        }
        Recur<LocalDateTime> recur;
        try {
            recur = new Recur<>(value);
        }
        catch (Exception ex) {
            throw ApiException.invalidField("recurrence.rrule", "invalid-rrule");
        }
        // An interval of 0 would never move on; a negative count means none was given.
        if (recur.getFrequency() == null || !FREQUENCIES.contains(recur.getFrequency().name())
                || recur.getInterval() == 0 || recur.getInterval() < -1 || recur.getCount() == 0
                || recur.getCount() < -1) {
            throw ApiException.invalidField("recurrence.rrule", "invalid-rrule");
        }
        return recur;
    }

}
