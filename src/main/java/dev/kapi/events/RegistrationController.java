package dev.kapi.events;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.NextCursor;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import dev.kapi.shared.Problems;
import dev.kapi.shared.QrSvg;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Issue 33's registration routes: a user registers and cancels, editors list, approve,
 * decline, export and check in at the door; a user reads their registrations and tickets.
 */
@RestController
@Tag(name = "events")
class RegistrationController {

    /** Rows per read while a CSV export streams. */
    private static final int EXPORT_CHUNK = 1_000;

    private final RegistrationManagement registrations;

    private final Problems problems;

    RegistrationController(RegistrationManagement registrations, Problems problems) {
        this.registrations = registrations;
        this.problems = problems;
    }

    record RegisterRequest(@Size(max = 1_000) String note) {
    }

    record CheckInRequest(@JsonProperty("ticket_code") @NotBlank @Size(max = 100) String ticketCode) {
    }

    @PostMapping("/events/{event_id:\\d+}/registrations")
    @Operation(summary = "Register for an event: confirmed, waitlisted or pending_approval; again answers the same")
    ResponseEntity<RegistrationResponse> register(@AuthenticationPrincipal CurrentAccount me,
            @PathVariable("event_id") long eventId, @Valid @RequestBody(required = false) RegisterRequest request) {
        String note = request == null || request.note() == null || request.note().isBlank() ? null
                : request.note().strip();
        RegistrationManagement.Registered registered = registrations.register(me.id(), eventId, note);
        RegistrationResponse body = RegistrationResponse.own(registered.registration());
        if (registered.created()) {
            return ResponseEntity.created(URI.create("/users/me/registrations/" + registered.registration().id()))
                .body(body);
        }
        return ResponseEntity.ok(body);
    }

    @DeleteMapping("/events/{event_id:\\d+}/registrations/me")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Cancel one's registration; a freed seat goes to the first of the waiting list")
    void cancel(@AuthenticationPrincipal CurrentAccount me, @PathVariable("event_id") long eventId) {
        registrations.cancel(me.id(), eventId);
    }

    @GetMapping("/events/{event_id:\\d+}/registrations")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @Operation(
            summary = "An event's registrations in order (admin, editor); the next page's cursor is in X-Next-Cursor")
    ResponseEntity<List<RegistrationResponse>> list(@PathVariable("event_id") long eventId,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "50") @PageLimit(max = 500) int limit,
            @RequestParam(required = false) @Size(max = 200) String cursor) {
        Page<RegistrationManagement.RegistrationView> page = registrations.ofEvent(eventId, status(status), cursor,
                limit);
        return NextCursor.ok(page.nextCursor()).body(page.rows().stream().map(RegistrationResponse::of).toList());
    }

    @GetMapping(path = "/events/{event_id:\\d+}/registrations.csv", produces = "text/csv")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @Operation(summary = "Every registration of an event as CSV (admin, editor)")
    ResponseEntity<StreamingResponseBody> export(@PathVariable("event_id") long eventId,
            @RequestParam(required = false) String status) {
        String wanted = status(status);
        // The first page is read now, so that an unknown event is a 404, not a broken
        // download.
        Page<RegistrationManagement.RegistrationView> first = registrations.ofEvent(eventId, wanted, null,
                EXPORT_CHUNK);
        StreamingResponseBody body = out -> {
            Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            writer.write("id,user_id,full_name,status,note,created_at,checked_in_at\r\n");
            Page<RegistrationManagement.RegistrationView> page = first;
            while (true) {
                for (RegistrationManagement.RegistrationView view : page.rows()) {
                    writeRow(writer, view);
                }
                if (page.nextCursor() == null) {
                    break;
                }
                page = registrations.ofEvent(eventId, wanted, page.nextCursor(), EXPORT_CHUNK);
            }
            writer.flush();
        };
        return ResponseEntity.ok()
            .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
            .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"event-" + eventId + "-registrations.csv\"")
            .body(body);
    }

    @PostMapping("/events/{event_id:\\d+}/registrations/{registration_id:\\d+}/approve")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @Operation(summary = "Approve a registration awaiting approval (admin, editor)")
    RegistrationResponse approve(@PathVariable("event_id") long eventId,
            @PathVariable("registration_id") long registrationId) {
        return RegistrationResponse.of(registrations.approve(eventId, registrationId));
    }

    @PostMapping("/events/{event_id:\\d+}/registrations/{registration_id:\\d+}/decline")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @Operation(summary = "Decline a registration awaiting approval (admin, editor)")
    RegistrationResponse decline(@PathVariable("event_id") long eventId,
            @PathVariable("registration_id") long registrationId) {
        return RegistrationResponse.of(registrations.decline(eventId, registrationId));
    }

    @PostMapping("/events/{event_id:\\d+}/check-ins")
    @PreAuthorize("hasAnyRole('ADMIN','EDITOR')")
    @Operation(summary = "Check a ticket in (admin, editor); a second scan is 409 already-checked-in")
    RegistrationResponse checkIn(@PathVariable("event_id") long eventId, @Valid @RequestBody CheckInRequest request) {
        return RegistrationResponse.of(registrations.checkIn(eventId, request.ticketCode().strip()));
    }

    @GetMapping("/users/me/registrations")
    @Operation(summary = "One's registrations in order; the next page's cursor is in X-Next-Cursor")
    ResponseEntity<List<RegistrationResponse.Own>> mine(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(defaultValue = "50") @PageLimit(max = 100) int limit,
            @RequestParam(required = false) @Size(max = 200) String cursor) {
        Page<RegistrationManagement.OwnRegistration> page = registrations.ofAccount(me.id(), cursor, limit);
        return NextCursor.ok(page.nextCursor()).body(page.rows().stream().map(RegistrationResponse.Own::of).toList());
    }

    @GetMapping(path = "/users/me/registrations/{registration_id:\\d+}/ticket.svg", produces = "image/svg+xml")
    @Operation(summary = "One's ticket as a QR code (SVG) of its ticket_code")
    ResponseEntity<String> ticket(@AuthenticationPrincipal CurrentAccount me,
            @PathVariable("registration_id") long registrationId) {
        Registration registration = registrations.ticketOf(me.id(), registrationId);
        return ResponseEntity.ok()
            .contentType(MediaType.valueOf("image/svg+xml"))
            .header(HttpHeaders.CACHE_CONTROL, "private, no-store")
            .body(QrSvg.of(registration.ticketCode()));
    }

    @ExceptionHandler(RegistrationManagement.CheckedInAlready.class)
    ResponseEntity<ProblemDetail> checkedInAlready(RegistrationManagement.CheckedInAlready ex) {
        Locale locale = LocaleContextHolder.getLocale();
        ProblemDetail problem = problems.problem(HttpStatus.CONFLICT, "already-checked-in", locale, ex.checkedInAt());
        problem.setProperty("checked_in_at", ex.checkedInAt().toString());
        return ResponseEntity.status(HttpStatus.CONFLICT).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private static String status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        String wanted = status.strip();
        if (!List
            .of(Registration.CONFIRMED, Registration.WAITLISTED, Registration.PENDING, Registration.DECLINED,
                    Registration.CANCELLED)
            .contains(wanted)) {
            throw ApiException.invalidField("status", "invalid-registration-status");
        }
        return wanted;
    }

    private static void writeRow(Writer writer, RegistrationManagement.RegistrationView view) throws IOException {
        Registration registration = view.registration();
        writer.write(String.join(",", Long.toString(registration.id()), Long.toString(registration.accountId()),
                cell(view.fullName()), registration.status(), cell(registration.note()),
                registration.createdAt().toString(), time(registration.checkedInAt())));
        writer.write("\r\n");
    }

    private static String time(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    /**
     * RFC 4180 quoting, and a leading {@code '} before what a spreadsheet would take for
     * a formula.
     */
    static String cell(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return "\"" + safe.replace("\"", "\"\"") + "\"";
    }

}
