package dev.kapi.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.shared.ApiException;

/**
 * Events as calendars: one event's {@code .ics}, the public feed and each account's
 * personal feed at a secret address. A personal token is 256 random bits, shown once and
 * kept as its SHA-256, so that a copy of the database opens no feed.
 */
@Service
class CalendarManagement {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Events events;

    private final Registrations registrations;

    private final CalendarTokens tokens;

    private final EventCalendar calendar;

    private final CalendarSettings settings;

    private final Clock clock;

    CalendarManagement(Events events, Registrations registrations, CalendarTokens tokens, EventCalendar calendar,
            CalendarSettings settings, Clock clock) {
        this.events = events;
        this.registrations = registrations;
        this.tokens = tokens;
        this.calendar = calendar;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * One public event, for anyone: calendar apps send no token. Other events reach their
     * attendees through the personal feed.
     */
    @Transactional(readOnly = true)
    String event(long id) {
        Event event = events.byId(id)
            .filter(found -> found.isPublic() && !found.deleted())
            .orElseThrow(() -> ApiException.notFound("event-not-found"));
        return calendar.render(List.of(new EventCalendar.Entry(event, false)));
    }

    @Transactional(readOnly = true)
    String publicFeed(Integer categoryId) {
        return calendar.render(events.publicFeed(categoryId, since(), settings.maxEvents())
            .stream()
            .map(event -> new EventCalendar.Entry(event, false))
            .toList());
    }

    /** The feed behind a personal token; 404 {@code calendar-not-found} for any other. */
    @Transactional(readOnly = true)
    String personalFeed(String token) {
        long accountId = tokens.accountOf(hash(token)).orElseThrow(() -> ApiException.notFound("calendar-not-found"));
        List<Event> found = events.registeredFeed(accountId, since(), settings.maxEvents());
        Map<Long, String> statuses = registrations.statusesOf(accountId, found.stream().map(Event::id).toList());
        return calendar.render(found.stream()
            .map(event -> new EventCalendar.Entry(event, !isActive(statuses.get(event.id()))))
            .toList());
    }

    /** A new personal token (the old one stops working); shown only now. */
    @Transactional
    String issueToken(long accountId) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        tokens.replace(accountId, hash(token), clock.instant());
        return token;
    }

    @Transactional
    void revokeToken(long accountId) {
        if (!tokens.delete(accountId)) {
            throw ApiException.notFound("calendar-not-found");
        }
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        tokens.delete(deleted.accountId());
    }

    private Instant since() {
        return clock.instant().minus(settings.past());
    }

    private static boolean isActive(String status) {
        return Registration.CONFIRMED.equals(status) || Registration.WAITLISTED.equals(status)
                || Registration.PENDING.equals(status);
    }

    private static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
