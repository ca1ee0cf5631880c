package dev.kapi.events;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.URL;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.NextCursor;
import dev.kapi.shared.PageLimit;
import dev.kapi.shared.SqlTime;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 003's event routes. Reads answer with an {@code ETag} (and 304 to a matching
 * {@code If-None-Match}); a list's next page is named by the {@code X-Next-Cursor} header
 * so that the body stays the seed's plain array. Event ids are digits only, so
 * {@code /events/categories} is never taken for one.
 */
@RestController
@Tag(name = "events")
class EventController {

    private static final String HTTP_URL = "(?i)https?://.+";

    /** The largest capacity an event may have. */
    static final int MAX_CAPACITY = 1_000_000;

    private final EventManagement events;

    EventController(EventManagement events) {
        this.events = events;
    }

    record CreateEventRequest(@NotBlank @Size(max = 200) String title, @Size(max = 5_000) String description,
            @Size(max = 100_000) String content,
            @JsonProperty("image_url") @URL(regexp = HTTP_URL) @Size(max = 2_000) String imageUrl,
            @Size(max = 300) String location,
            @JsonProperty("start_time") @NotNull @Schema(format = "date-time") String startTime,
            @JsonProperty("end_time") @NotNull @Schema(format = "date-time") String endTime,
            @JsonProperty("category_id") Integer categoryId, @Size(max = 64) String timezone,
            @Min(0) @Max(MAX_CAPACITY) Integer capacity, @Valid RegistrationSettings registration,
            @Size(max = 20) @Schema(pattern = "signed_in|public") String visibility,
            @Valid RecurrenceRequest recurrence) {

        EventManagement.Changes changes() {
            return new EventManagement.Changes(title, description, content, imageUrl, location,
                    instant(startTime, "start_time"), instant(endTime, "end_time"), categoryId,
                    settings(timezone, capacity == null ? null : Optional.of(capacity), registration, visibility));
        }
    }

    /**
     * {@code recurrence}: an RFC 5545 RRULE in the event's time zone and the occurrences
     * it leaves out (local days or date-times with an offset).
     */
    record RecurrenceRequest(@NotBlank @Size(max = 500) String rrule,
            @Size(max = Recurrences.MAX_OCCURRENCES) List<@Size(max = 40) String> exdates) {
    }

    /** A series and its live occurrences. */
    record SeriesResponse(long id, String rrule, List<String> exdates, String timezone,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
            List<Occurrence> occurrences) {

        record Occurrence(long id, String slug, @JsonProperty("start_time") Instant startTime,
                @JsonProperty("local_start") String localStart, boolean edited) {
        }

        static SeriesResponse from(EventManagement.SeriesView view) {
            EventSeries.Series series = view.series();
            java.time.ZoneId zone = java.time.ZoneId.of(series.timezone());
            return new SeriesResponse(series.id(), series.rrule(), series.exdates(), series.timezone(),
                    series.createdAt(), series.updatedAt(),
                    view.occurrences()
                        .stream()
                        .map(event -> new Occurrence(event.id(), event.slug(), event.startTime(),
                                AttendanceResponse.local(event.startTime(), zone), event.seriesEdited()))
                        .toList());
        }
    }

    /**
     * {@code registration}: every field optional (open now, until the end; auto; no
     * waiting list).
     */
    record RegistrationSettings(@JsonProperty("opens_at") @Schema(format = "date-time") String opensAt,
            @JsonProperty("closes_at") @Schema(format = "date-time") String closesAt,
            @Size(max = 20) @Schema(pattern = "auto|manual") String approval, Boolean waitlist) {
    }

    static EventManagement.SettingChanges settings(String timezone, Optional<Integer> capacity,
            RegistrationSettings registration, String visibility) {
        RegistrationSettings given = registration != null ? registration
                : new RegistrationSettings(null, null, null, null);
        return new EventManagement.SettingChanges(timezone == null ? null : timezone.strip(), capacity,
                given.opensAt() == null ? null : instant(given.opensAt(), "registration.opens_at"),
                given.closesAt() == null ? null : instant(given.closesAt(), "registration.closes_at"), given.approval(),
                given.waitlist(), visibility);
    }

    /**
     * A partial change: only the fields given are changed. A field absent or null is left
     * as it is, but for {@code capacity}, which null sets back to unlimited (as in a JSON
     * merge patch).
     */
    record UpdateEventRequest(@Size(max = 200) String title, @Size(max = 5_000) String description,
            @Size(max = 100_000) String content,
            @JsonProperty("image_url") @URL(regexp = HTTP_URL) @Size(max = 2_000) String imageUrl,
            @Size(max = 300) String location,
            @JsonProperty("start_time") @Schema(format = "date-time") String startTime,
            @JsonProperty("end_time") @Schema(format = "date-time") String endTime,
            @JsonProperty("category_id") Integer categoryId, @Size(max = 64) String timezone,
            @JsonDeserialize(using = Sent.class) @Schema(implementation = Integer.class, minimum = "0",
                    maximum = "" + MAX_CAPACITY) Optional<@Min(0) @Max(MAX_CAPACITY) Integer> capacity,
            @Valid RegistrationSettings registration,
            @Size(max = 20) @Schema(pattern = "signed_in|public") String visibility) {

        EventManagement.Changes changes() {
            return new EventManagement.Changes(title, description, content, imageUrl, location,
                    startTime == null ? null : instant(startTime, "start_time"),
                    endTime == null ? null : instant(endTime, "end_time"), categoryId,
                    settings(timezone, capacity, registration, visibility));
        }
    }

    /**
     * A number as sent: Java null when the field is absent, empty when it is JSON null.
     * (Jackson's own reading of an {@code Optional} answers empty for both.)
     */
    static final class Sent extends ValueDeserializer<Optional<Integer>> {

        @Override
        public Optional<Integer> deserialize(JsonParser parser, DeserializationContext context) {
            return Optional.ofNullable(context.readValue(parser, Integer.class));
        }

        @Override
        public Optional<Integer> getNullValue(DeserializationContext context) {
            return Optional.empty();
        }

        @Override
        public Object getAbsentValue(DeserializationContext context) {
            return null;
        }

    }

    @GetMapping("/events")
    @Operation(summary = "Events, filtered, searched and sorted; the next page's cursor is in X-Next-Cursor")
    ResponseEntity<List<EventResponse>> list(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(defaultValue = "0") @Min(0) @Max(Cursors.MAX_SKIP) int skip,
            @RequestParam(defaultValue = "10") @PageLimit(max = 100) int limit,
            @RequestParam(required = false) @Size(max = 200) String search,
            @RequestParam(name = "category_id", required = false) Integer categoryId,
            @RequestParam(required = false) @Parameter(
                    schema = @Schema(implementation = EventStatus.class)) String status,
            @RequestParam(name = "sort_by",
                    required = false) @Parameter(schema = @Schema(implementation = EventSort.class)) String sortBy,
            @RequestParam(name = "sort_desc", defaultValue = "false") boolean sortDesc,
            @RequestParam(required = false) @Size(max = 1_000) String cursor,
            @RequestParam(name = "include_deleted", defaultValue = "false") boolean includeDeleted) {
        EventManagement.EventPage page = events.list(me, new EventManagement.ListRequest(search, categoryId, status,
                sortBy, sortDesc, cursor, includeDeleted, skip, limit));
        return NextCursor.ok(page.nextCursor())
            .eTag(page.etag())
            .body(page.events().stream().map(EventResponse::from).toList());
    }

    @GetMapping("/events/public")
    @Operation(summary = "Public events, for anyone (no token): the list's filters, search, sorting and paging")
    ResponseEntity<List<PublicEventResponse>> listPublic(
            @RequestParam(defaultValue = "0") @Min(0) @Max(Cursors.MAX_SKIP) int skip,
            @RequestParam(defaultValue = "10") @PageLimit(max = 100) int limit,
            @RequestParam(required = false) @Size(max = 200) String search,
            @RequestParam(name = "category_id", required = false) Integer categoryId,
            @RequestParam(required = false) String status,
            @RequestParam(name = "sort_by", required = false) String sortBy,
            @RequestParam(name = "sort_desc", defaultValue = "false") boolean sortDesc,
            @RequestParam(required = false) @Size(max = 1_000) String cursor) {
        EventManagement.EventPage page = events.listPublic(new EventManagement.ListRequest(search, categoryId, status,
                sortBy, sortDesc, cursor, false, skip, limit));
        return NextCursor.ok(page.nextCursor())
            .eTag(page.etag())
            .body(page.events().stream().map(PublicEventResponse::from).toList());
    }

    @GetMapping("/events/public/{slug}")
    @Operation(summary = "One public event by its slug, for anyone (no token)")
    ResponseEntity<PublicEventResponse> publicBySlug(@PathVariable @Size(max = 300) String slug) {
        EventManagement.EventView view = events.publicBySlug(slug);
        return ResponseEntity.ok().eTag(view.etag()).body(PublicEventResponse.from(view));
    }

    @GetMapping("/events/{event_id:\\d+}")
    @Operation(summary = "One event; soft-deleted ones only for admins")
    ResponseEntity<EventResponse> get(@AuthenticationPrincipal CurrentAccount me,
            @PathVariable("event_id") long eventId) {
        return ok(events.get(me, eventId));
    }

    @GetMapping("/events/by-slug/{slug}")
    @Operation(summary = "One event by its slug")
    ResponseEntity<EventResponse> bySlug(@AuthenticationPrincipal CurrentAccount me, @PathVariable String slug) {
        return ok(events.bySlug(me, slug));
    }

    @PostMapping("/events")
    @ResponseStatus(HttpStatus.CREATED)
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @Operation(summary = "Create an event (admin, editor)")
    ResponseEntity<EventResponse> create(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody CreateEventRequest request) {
        EventManagement.EventView created = request.recurrence() == null ? events.create(me, request.changes())
                : events.create(me, request.changes(),
                        new EventManagement.Recurrence(request.recurrence().rrule(), request.recurrence().exdates()));
        return ResponseEntity.created(URI.create("/events/" + created.event().id()))
            .eTag(created.etag())
            .body(EventResponse.from(created));
    }

    @PutMapping("/events/{event_id:\\d+}")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @Operation(summary = "Change the given fields of an event (admin, editor); If-Match makes it conditional")
    ResponseEntity<EventResponse> update(@AuthenticationPrincipal CurrentAccount me,
            @PathVariable("event_id") long eventId, @Valid @RequestBody UpdateEventRequest request,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch) {
        return ok(events.update(me, eventId, request.changes(), ifMatch));
    }

    @DeleteMapping("/events/{event_id:\\d+}")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Soft-delete an event (admin, editor): gone for everyone but admins")
    void delete(@AuthenticationPrincipal CurrentAccount me, @PathVariable("event_id") long eventId) {
        events.softDelete(me, eventId);
    }

    @PostMapping("/events/{event_id:\\d+}/restore")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Restore a soft-deleted event (admin)")
    ResponseEntity<EventResponse> restore(@PathVariable("event_id") long eventId) {
        return ok(events.restore(eventId));
    }

    @GetMapping("/events/series/{series_id:\\d+}")
    @Operation(summary = "A recurring series: its rule and live occurrences")
    SeriesResponse series(@PathVariable("series_id") long seriesId) {
        return SeriesResponse.from(events.series(seriesId));
    }

    @PutMapping("/events/series/{series_id:\\d+}")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @Operation(summary = "Change the future occurrences of a series not edited on their own (admin, editor)")
    SeriesResponse updateSeries(@PathVariable("series_id") long seriesId,
            @Valid @RequestBody UpdateEventRequest request) {
        events.updateSeries(seriesId, request.changes());
        return SeriesResponse.from(events.series(seriesId));
    }

    @DeleteMapping("/events/series/{series_id:\\d+}")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Cancel the occurrences of a series that have not started (admin, editor)")
    void deleteSeries(@AuthenticationPrincipal CurrentAccount me, @PathVariable("series_id") long seriesId) {
        events.deleteSeries(me, seriesId);
    }

    @DeleteMapping("/events/{event_id:\\d+}/hard")
    @PreAuthorize("hasRole('ADMIN')")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an event for good (admin)")
    void hardDelete(@PathVariable("event_id") long eventId) {
        events.hardDelete(eventId);
    }

    /**
     * An ISO 8601 date-time that names its zone ({@code Z} or an offset); a local time
     * would be a guess. Parsed here rather than by Jackson so that the error names the
     * field and says what is expected; a date before 1900 or after 9999 is refused here
     * too, before a series expands from it.
     */
    static Instant instant(String value, String field) {
        try {
            return SqlTime.requireInRange(OffsetDateTime.parse(value.strip()).toInstant(), field);
        }
        catch (DateTimeParseException ex) {
            throw ApiException.invalidField(field, "invalid-datetime");
        }
    }

    private static ResponseEntity<EventResponse> ok(EventManagement.EventView view) {
        return ResponseEntity.ok().eTag(view.etag()).body(EventResponse.from(view));
    }

}
