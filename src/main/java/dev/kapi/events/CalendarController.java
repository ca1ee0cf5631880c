package dev.kapi.events;

import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import dev.kapi.shared.PublicUrl;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Calendars (iCalendar): a public event, the public feed and each user's personal feed at
 * a secret address, with the routes that issue and revoke that address. The {@code .ics}
 * routes take no token (calendar apps send none).
 */
@RestController
@Tag(name = "events")
class CalendarController {

    static final MediaType TEXT_CALENDAR = new MediaType("text", "calendar", java.nio.charset.StandardCharsets.UTF_8);

    private final CalendarManagement calendars;

    private final RecentAuthentication recentAuthentication;

    private final String publicUrl;

    CalendarController(CalendarManagement calendars, PublicUrl publicUrl, RecentAuthentication recentAuthentication) {
        this.calendars = calendars;
        this.recentAuthentication = recentAuthentication;
        this.publicUrl = publicUrl.base();
    }

    @GetMapping(path = "/events/{event_id:\\d+}.ics", produces = "text/calendar")
    @Operation(summary = "A public event as iCalendar, for anyone (no token)")
    ResponseEntity<String> event(@PathVariable("event_id") long eventId) {
        return ics(calendars.event(eventId), CacheControl.noCache().cachePublic());
    }

    @GetMapping(path = "/events/feed.ics", produces = "text/calendar")
    @Operation(summary = "Public events as an iCalendar feed, for anyone (no token); bounded in time and count")
    ResponseEntity<String> feed(@RequestParam(name = "category_id", required = false) Integer categoryId) {
        return ics(calendars.publicFeed(categoryId), CacheControl.noCache().cachePublic());
    }

    @GetMapping(path = "/calendar/{token:[A-Za-z0-9_-]{43}}.ics", produces = "text/calendar")
    @Operation(summary = "A user's personal feed of their registrations, at its secret address (no token)")
    ResponseEntity<String> personal(@PathVariable String token) {
        return ics(calendars.personalFeed(token), CacheControl.noStore().cachePrivate());
    }

    @PostMapping("/users/me/calendar-token")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "A new secret address of one's personal feed (shown once; the previous one stops working)")
    Map<String, String> issue(@AuthenticationPrincipal CurrentAccount me) {
        // the address reads the feed for as long as it lives: a stolen 30-minute token
        // may not mint one
        recentAuthentication.require(me);
        String token = calendars.issueToken(me.id());
        return Map.of("token", token, "url", publicUrl + "/calendar/" + token + ".ics");
    }

    @DeleteMapping("/users/me/calendar-token")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke one's personal feed address")
    void revoke(@AuthenticationPrincipal CurrentAccount me) {
        calendars.revokeToken(me.id());
    }

    private static ResponseEntity<String> ics(String body, CacheControl cache) {
        return ResponseEntity.ok().contentType(TEXT_CALENDAR).cacheControl(cache).body(body);
    }

}
