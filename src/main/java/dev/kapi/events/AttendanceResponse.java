package dev.kapi.events;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Issue 33's fields of an event, unwrapped into its object: the time zone and the local
 * start and end in it, capacity (null is unlimited), registration settings, visibility
 * and the counts of its registrations ({@code seats_left} null when unlimited).
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
record AttendanceResponse(String timezone, @JsonProperty("local_start") String localStart,
        @JsonProperty("local_end") String localEnd, Integer capacity, Registration registration,
        @Schema(pattern = "signed_in|public") String visibility, int confirmed, int waitlisted,
        @JsonProperty("seats_left") Integer seatsLeft, @JsonProperty("checked_in") int checkedIn,
        @JsonProperty("series_id") Long seriesId) {

    /** A local date and time, always with seconds: {@code 2030-03-15T17:30:00}. */
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    /** {@code opens_at} null: open now; {@code closes_at} null: until the event ends. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Registration(@JsonProperty("opens_at") Instant opensAt, @JsonProperty("closes_at") Instant closesAt,
            @Schema(pattern = "auto|manual") String approval, boolean waitlist) {
    }

    /** An instant as local date and time in the zone, with seconds. */
    static String local(Instant instant, ZoneId zone) {
        return LOCAL.format(LocalDateTime.ofInstant(instant, zone));
    }

    /** The fields of an event that uses them, else null (and nothing is written). */
    static AttendanceResponse of(Event event) {
        Attendance attendance = event.attendance();
        if (!attendance.shown()) {
            return null;
        }
        ZoneId zone = attendance.zone();
        return new AttendanceResponse(attendance.timezone(),
                LOCAL.format(LocalDateTime.ofInstant(event.startTime(), zone)),
                LOCAL.format(LocalDateTime.ofInstant(event.endTime(), zone)), attendance.capacity(),
                new Registration(attendance.opensAt(), attendance.closesAt(), attendance.approval(),
                        attendance.waitlist()),
                attendance.visibility(), attendance.confirmed(), attendance.waitlisted(), attendance.seatsLeft(),
                attendance.checkedIn(), event.seriesId());
    }

}
