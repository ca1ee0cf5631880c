package dev.kapi.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * A registration. {@code ticket_code} only for its own account (and an editor at
 * check-in: it is what was scanned), {@code user} only for editors.
 */
record RegistrationResponse(long id, @JsonProperty("event_id") long eventId,
        @Schema(pattern = RegistrationResponse.STATUSES) String status, String note,
        @JsonProperty("ticket_code") @JsonInclude(JsonInclude.Include.NON_NULL) String ticketCode,
        @JsonInclude(JsonInclude.Include.NON_NULL) User user, @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt, @JsonProperty("checked_in_at") Instant checkedInAt) {

    /** A registration's states, as the answers name them. */
    static final String STATUSES = "confirmed|waitlisted|pending_approval|declined|cancelled";

    record User(long id, @JsonProperty("full_name") String fullName) {
    }

    /** The event a user's own registration is for. */
    record EventRef(long id, String title, String slug, @JsonProperty("start_time") Instant startTime,
            @JsonProperty("end_time") Instant endTime, String timezone) {
    }

    /** One of a user's own registrations, with its event. */
    record Own(long id, EventRef event, @Schema(pattern = RegistrationResponse.STATUSES) String status, String note,
            @JsonProperty("ticket_code") @JsonInclude(JsonInclude.Include.NON_NULL) String ticketCode,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
            @JsonProperty("checked_in_at") Instant checkedInAt) {

        static Own of(RegistrationManagement.OwnRegistration own) {
            Registration registration = own.registration();
            Event event = own.event();
            return new Own(registration.id(),
                    new EventRef(event.id(), event.title(), event.slug(), event.startTime(), event.endTime(),
                            event.attendance().timezone()),
                    registration.status(), registration.note(), ticketOf(registration), registration.createdAt(),
                    registration.updatedAt(), registration.checkedInAt());
        }
    }

    /** As its own account sees it: with the ticket, without the user. */
    static RegistrationResponse own(Registration registration) {
        return new RegistrationResponse(registration.id(), registration.eventId(), registration.status(),
                registration.note(), ticketOf(registration), null, registration.createdAt(), registration.updatedAt(),
                registration.checkedInAt());
    }

    /** As editors see it: with the user, without the ticket. */
    static RegistrationResponse of(RegistrationManagement.RegistrationView view) {
        Registration registration = view.registration();
        return new RegistrationResponse(registration.id(), registration.eventId(), registration.status(),
                registration.note(), null, new User(registration.accountId(), view.fullName()),
                registration.createdAt(), registration.updatedAt(), registration.checkedInAt());
    }

    /** A ticket is shown while it admits its holder: confirmed registrations only. */
    private static String ticketOf(Registration registration) {
        return registration.confirmed() ? registration.ticketCode() : null;
    }

}
