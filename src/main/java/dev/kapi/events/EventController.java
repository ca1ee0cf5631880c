package dev.kapi.events;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;

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

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.NextCursor;
import dev.kapi.shared.PageLimit;
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
            @JsonProperty("category_id") Integer categoryId) {

        EventManagement.Changes changes() {
            return new EventManagement.Changes(title, description, content, imageUrl, location,
                    instant(startTime, "start_time"), instant(endTime, "end_time"), categoryId);
        }
    }

    /** A partial change: only the fields given are changed. */
    record UpdateEventRequest(@Size(max = 200) String title, @Size(max = 5_000) String description,
            @Size(max = 100_000) String content,
            @JsonProperty("image_url") @URL(regexp = HTTP_URL) @Size(max = 2_000) String imageUrl,
            @Size(max = 300) String location,
            @JsonProperty("start_time") @Schema(format = "date-time") String startTime,
            @JsonProperty("end_time") @Schema(format = "date-time") String endTime,
            @JsonProperty("category_id") Integer categoryId) {

        EventManagement.Changes changes() {
            return new EventManagement.Changes(title, description, content, imageUrl, location,
                    startTime == null ? null : instant(startTime, "start_time"),
                    endTime == null ? null : instant(endTime, "end_time"), categoryId);
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
        EventManagement.EventView created = events.create(me, request.changes());
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
     * field and says what is expected.
     */
    static Instant instant(String value, String field) {
        try {
            return OffsetDateTime.parse(value.strip()).toInstant();
        }
        catch (DateTimeParseException ex) {
            throw ApiException.invalidField(field, "invalid-datetime");
        }
    }

    private static ResponseEntity<EventResponse> ok(EventManagement.EventView view) {
        return ResponseEntity.ok().eTag(view.etag()).body(EventResponse.from(view));
    }

}
