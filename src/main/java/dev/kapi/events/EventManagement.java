package dev.kapi.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.identity.AccountDirectory;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Page;

/**
 * The event use cases of seed 003: listing and searching, reading by id or slug,
 * creating, changing, soft deletion with restore, and permanent deletion. Soft-deleted
 * events exist only for admins.
 */
@Service
class EventManagement {

    /** Attempts at taking a slug before giving up on a race that keeps being lost. */
    private static final int SLUG_ATTEMPTS = 5;

    private final Events events;

    private final Categories categories;

    private final SearchTerms searchTerms;

    private final AccountDirectory accounts;

    private final Clock clock;

    private final RegistrationManagement registrations;

    private final EventSeries series;

    private final org.springframework.context.ApplicationEventPublisher publisher;

    EventManagement(Events events, Categories categories, SearchTerms searchTerms, AccountDirectory accounts,
            Clock clock, RegistrationManagement registrations, EventSeries series,
            org.springframework.context.ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.registrations = registrations;
        this.series = series;
        this.events = events;
        this.categories = categories;
        this.searchTerms = searchTerms;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** An event with its author's name: everything its representation shows. */
    record EventView(Event event, String authorName) {

        /**
         * A strong validator of the representation: it changes whenever anything shown
         * changes.
         */
        String etag() {
            return hash(toString());
        }
    }

    /** A page of a list and the cursor of the next page, null on the last. */
    record EventPage(List<EventView> events, String nextCursor) {

        String etag() {
            return hash(events.stream().map(EventView::etag).toList() + "|" + nextCursor);
        }
    }

    /** A list request as it came, before it is checked. */
    record ListRequest(String search, Integer categoryId, String status, String sortBy, boolean sortDesc, String cursor,
            boolean includeDeleted, int skip, int limit) {
    }

    /** The editable fields of a create or a change; null leaves a field as it is. */
    record Changes(String title, String description, String content, String imageUrl, String location,
            Instant startTime, Instant endTime, Integer categoryId, SettingChanges settings) {
    }

    /**
     * Issue 33's settings of a create or a change; null leaves a setting as it is (on a
     * create: its default). {@code capacity} empty is unlimited.
     */
    record SettingChanges(String timezone, Optional<Integer> capacity, Instant opensAt, Instant closesAt,
            String approval, Boolean waitlist, String visibility) {

        static final SettingChanges NONE = new SettingChanges(null, null, null, null, null, null, null);

        boolean any() {
            return !equals(NONE);
        }

        /** These changes applied to {@code current}, checked. */
        Attendance applyTo(Attendance current) {
            Attendance next = new Attendance(or(timezone, current.timezone()),
                    capacity != null ? capacity.orElse(null) : current.capacity(), or(opensAt, current.opensAt()),
                    or(closesAt, current.closesAt()), or(approval, current.approval()),
                    or(waitlist, current.waitlist()), or(visibility, current.visibility()), current.shown() || any(),
                    current.confirmed(), current.waitlisted(), current.pending(), current.checkedIn());
            if (!java.time.ZoneId.getAvailableZoneIds().contains(next.timezone())) {
                throw ApiException.invalidField("timezone", "invalid-timezone");
            }
            if (!Attendance.AUTO.equals(next.approval()) && !Attendance.MANUAL.equals(next.approval())) {
                throw ApiException.invalidField("registration.approval", "invalid-approval");
            }
            if (!Attendance.SIGNED_IN.equals(next.visibility()) && !Attendance.PUBLIC.equals(next.visibility())) {
                throw ApiException.invalidField("visibility", "invalid-visibility");
            }
            if (next.opensAt() != null && next.closesAt() != null && !next.closesAt().isAfter(next.opensAt())) {
                throw ApiException.invalidField("registration.closes_at", "closes-before-opens");
            }
            return next;
        }
    }

    /** What a new event starts from before its settings apply. */
    private static final Attendance DEFAULTS = new Attendance(Attendance.DEFAULT_TIMEZONE, null, null, null,
            Attendance.AUTO, false, Attendance.SIGNED_IN, false, 0, 0, 0, 0);

    @Transactional(readOnly = true)
    EventPage list(CurrentAccount me, ListRequest request) {
        if (request.includeDeleted() && !me.isAdmin()) {
            throw ApiException.forbidden("include-deleted-admin-only");
        }
        return list(request, false);
    }

    /** Public events, for anyone: never deleted ones. */
    @Transactional(readOnly = true)
    EventPage listPublic(ListRequest request) {
        return list(new ListRequest(request.search(), request.categoryId(), request.status(), request.sortBy(),
                request.sortDesc(), request.cursor(), false, request.skip(), request.limit()), true);
    }

    /** A live public event by its slug, for anyone. */
    @Transactional(readOnly = true)
    EventView publicBySlug(String slug) {
        return withAuthor(events.bySlug(slug.strip().toLowerCase(Locale.ROOT), false)
            .filter(Event::isPublic)
            .orElseThrow(EventManagement::notFound));
    }

    private EventPage list(ListRequest request, boolean publicOnly) {
        EventSort sort = EventSort.fromParameter(request.sortBy());
        EventStatus status = EventStatus.fromParameter(request.status());
        EventCursor after = request.cursor() == null || request.cursor().isBlank() ? null
                : EventCursor.decode(request.cursor(), sort, request.sortDesc());
        SearchTerms.Search search = searchTerms.resolve(request.search()).orElse(null);
        if (search != null && search.matchesNothing()) {
            return new EventPage(List.of(), null);
        }
        EventQuery query = new EventQuery(search == null ? null : search.tsquery(), request.categoryId(), status, sort,
                request.sortDesc(), request.includeDeleted(), after, request.skip(), request.limit(), clock.instant(),
                publicOnly);
        Page<Event> found = Page.of(events.page(query), request.limit(),
                event -> EventCursor.after(event, sort, request.sortDesc()).encode());
        return new EventPage(withAuthors(found.rows()), found.nextCursor());
    }

    @Transactional(readOnly = true)
    EventView get(CurrentAccount me, long id) {
        return withAuthor(visible(me, events.byId(id).orElse(null)));
    }

    @Transactional(readOnly = true)
    EventView bySlug(CurrentAccount me, String slug) {
        return withAuthor(visible(me, events.bySlug(slug.strip().toLowerCase(Locale.ROOT), me.isAdmin()).orElse(null)));
    }

    /**
     * Not one transaction: a lost race for a slug aborts its statement, and the next
     * attempt needs a fresh one.
     */
    EventView create(CurrentAccount me, Changes fields) {
        return create(me, fields, null);
    }

    /**
     * A new event, or with {@code recurrence} a series: every occurrence an event of its
     * own (its slug ends with its local date), the first answered.
     */
    EventView create(CurrentAccount me, Changes fields, Recurrence recurrence) {
        Events.Fields checked = check(fields.title().strip(), fields.description(), fields.content(), fields.imageUrl(),
                fields.location(), fields.startTime(), fields.endTime(), fields.categoryId(), recurrence == null
                        ? fields.settings().applyTo(DEFAULTS) : fields.settings().applyTo(DEFAULTS).shownNow());
        String base = Slugs.of(checked.title());
        Instant now = clock.instant();
        if (recurrence != null) {
            return createSeries(me, checked, recurrence, base, now);
        }
        return insert(me, checked, base, now, null);
    }

    /** The rule of a new series and the occurrences it leaves out. */
    record Recurrence(String rrule, List<String> exdates) {
    }

    private EventView createSeries(CurrentAccount me, Events.Fields first, Recurrence recurrence, String base,
            Instant now) {
        ZoneId zone = ZoneId.of(first.settings().timezone());
        LocalDateTime localStart = LocalDateTime.ofInstant(first.startTime(), zone);
        Duration length = Duration.between(localStart, LocalDateTime.ofInstant(first.endTime(), zone));
        List<String> exdates = recurrence.exdates() == null ? List.of() : recurrence.exdates();
        List<LocalDateTime> starts = Recurrences.expand(recurrence.rrule(), localStart, zone, exdates);
        if (starts.isEmpty()) {
            throw ApiException.invalidField("recurrence.exdates", "series-empty");
        }
        long seriesId = series.insert(recurrence.rrule().strip(), exdates, first.settings().timezone(), me.id(), now);
        EventView answer = null;
        for (LocalDateTime start : starts) {
            Events.Fields occurrence = new Events.Fields(first.title(), first.description(), first.content(),
                    first.imageUrl(), first.location(), start.atZone(zone).toInstant(),
                    start.plus(length).atZone(zone).toInstant(), first.categoryId(), first.settings());
            EventView created = insert(me, occurrence, base + "-" + start.toLocalDate(), now, seriesId);
            if (answer == null) {
                answer = created;
            }
        }
        return answer;
    }

    /**
     * Not one transaction: a lost race for a slug aborts its statement, and the next
     * attempt needs a fresh one.
     */
    private EventView insert(CurrentAccount me, Events.Fields checked, String base, Instant now, Long seriesId) {
        for (int attempt = 1;; attempt++) {
            try {
                long id = events.insert(checked, events.freeSlug(base), me.id(), now, seriesId);
                return withAuthor(events.byId(id).orElseThrow());
            }
            catch (DuplicateKeyException ex) {
                // Another event took the same slug between our look and our insert; look
                // again.
                if (attempt == SLUG_ATTEMPTS) {
                    throw ex;
                }
            }
            catch (DataIntegrityViolationException ex) {
                throw unknownCategory();
            }
        }
    }

    /**
     * Changes the given fields of a live event; the slug stays what it was, so links keep
     * working. With {@code ifMatch}, the change happens only if the event is still as the
     * caller last saw it.
     */
    @Transactional
    EventView update(CurrentAccount me, long id, Changes changes, String ifMatch) {
        return update(id, changes, ifMatch, true);
    }

    /**
     * Changes the future occurrences of a series that were not edited on their own (times
     * stay: each occurrence keeps its own).
     */
    @Transactional
    List<Long> updateSeries(long seriesId, Changes changes) {
        EventSeries.Series found = series.byId(seriesId)
            .filter(one -> one.deletedAt() == null)
            .orElseThrow(() -> ApiException.notFound("series-not-found"));
        if (changes.startTime() != null || changes.endTime() != null) {
            throw ApiException.invalidField(changes.startTime() != null ? "start_time" : "end_time",
                    "series-times-fixed");
        }
        if (changes.settings().timezone() != null && !changes.settings().timezone().equals(found.timezone())) {
            throw ApiException.invalidField("timezone", "series-times-fixed");
        }
        List<Long> changed = events.futureOccurrences(seriesId, clock.instant(), true);
        for (long id : changed) {
            update(id, changes, null, false);
        }
        series.touch(seriesId, clock.instant());
        return changed;
    }

    /** Cancels (soft-deletes) the series' occurrences that have not started yet. */
    @Transactional
    void deleteSeries(CurrentAccount me, long seriesId) {
        series.byId(seriesId)
            .filter(one -> one.deletedAt() == null)
            .orElseThrow(() -> ApiException.notFound("series-not-found"));
        for (long id : events.futureOccurrences(seriesId, clock.instant(), false)) {
            events.lock(id);
            events.softDelete(id, me.id(), clock.instant());
            publisher.publishEvent(new EventCancelled(id));
        }
        series.delete(seriesId, clock.instant());
    }

    /** A series and its live occurrences. */
    @Transactional(readOnly = true)
    SeriesView series(long seriesId) {
        EventSeries.Series found = series.byId(seriesId)
            .filter(one -> one.deletedAt() == null)
            .orElseThrow(() -> ApiException.notFound("series-not-found"));
        return new SeriesView(found, events.occurrences(seriesId));
    }

    record SeriesView(EventSeries.Series series, List<Event> occurrences) {
    }

    private EventView update(long id, Changes changes, String ifMatch, boolean onItsOwn) {
        Event event = events.lock(id).filter(found -> !found.deleted()).orElseThrow(EventManagement::notFound);
        if (ifMatch != null && !matches(ifMatch, withAuthor(event).etag())) {
            throw new ApiException(HttpStatus.PRECONDITION_FAILED, "event-changed");
        }
        if (changes.title() != null && changes.title().isBlank()) {
            throw ApiException.invalidField("title", "required");
        }
        Events.Fields checked = check(changes.title() != null ? changes.title().strip() : event.title(),
                or(changes.description(), event.description()), or(changes.content(), event.content()),
                or(changes.imageUrl(), event.imageUrl()), or(changes.location(), event.location()),
                or(changes.startTime(), event.startTime()), or(changes.endTime(), event.endTime()),
                or(changes.categoryId(), event.categoryId()), changes.settings().applyTo(event.attendance()));
        Integer capacity = checked.settings().capacity();
        if (capacity != null && capacity < event.attendance().confirmed()) {
            throw ApiException.conflict("capacity-below-confirmed", event.attendance().confirmed());
        }
        try {
            events.update(id, checked, clock.instant(), onItsOwn && event.seriesId() != null);
        }
        catch (DataIntegrityViolationException ex) {
            throw unknownCategory();
        }
        registrations.fillSeats(id);
        return withAuthor(events.byId(id).orElseThrow());
    }

    /** Hides the event from everyone but admins. Deleting it again changes nothing. */
    @Transactional
    void softDelete(CurrentAccount me, long id) {
        Event event = visible(me, events.lock(id).orElse(null));
        if (!event.deleted()) {
            events.softDelete(id, me.id(), clock.instant());
            publisher.publishEvent(new EventCancelled(id));
        }
    }

    /**
     * Brings a soft-deleted event back; if a live event took its slug meanwhile, it gets
     * a new one. Not one transaction, as {@link #create}: a slug lost to a concurrent
     * writer aborts the statement, and the next attempt needs a fresh one. Restoring
     * twice at once restores once: the update only touches a deleted event.
     */
    EventView restore(long id) {
        Event event = events.byId(id).orElseThrow(EventManagement::notFound);
        for (int attempt = 1; event.deleted(); attempt++) {
            String slug = events.liveSlugTaken(event.slug(), id) ? events.freeSlug(Slugs.of(event.title()))
                    : event.slug();
            try {
                events.restore(id, slug, clock.instant());
                break;
            }
            catch (DuplicateKeyException ex) {
                if (attempt == SLUG_ATTEMPTS) {
                    throw ex;
                }
            }
        }
        return withAuthor(events.byId(id).orElseThrow(EventManagement::notFound));
    }

    @Transactional
    void hardDelete(long id) {
        if (!events.delete(id)) {
            throw notFound();
        }
    }

    /** Events outlive their authors; they only lose the link to the deleted account. */
    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        events.forgetAccount(deleted.accountId());
        series.forgetAccount(deleted.accountId());
    }

    private Events.Fields check(String title, String description, String content, String imageUrl, String location,
            Instant startTime, Instant endTime, Integer categoryId, Attendance settings) {
        if (!endTime.isAfter(startTime)) {
            throw ApiException.invalidField("end_time", "end-before-start");
        }
        if (categoryId != null && categories.byId(categoryId).isEmpty()) {
            throw unknownCategory();
        }
        return new Events.Fields(title, description, content, imageUrl, location, startTime, endTime, categoryId,
                settings);
    }

    /** The event if the caller may see it: soft-deleted ones only for admins. */
    private static Event visible(CurrentAccount me, Event event) {
        if (event == null || (event.deleted() && !me.isAdmin())) {
            throw notFound();
        }
        return event;
    }

    private EventView withAuthor(Event event) {
        return withAuthors(List.of(event)).getFirst();
    }

    /** Names every author of a page in one lookup. */
    private List<EventView> withAuthors(List<Event> page) {
        Map<Long, String> names = accounts
            .fullNames(page.stream().map(Event::createdBy).filter(Objects::nonNull).toList());
        return page.stream().map(event -> new EventView(event, names.get(event.createdBy()))).toList();
    }

    /**
     * RFC 9110 If-Match: {@code *} or a list of strong entity tags, one of which is
     * current.
     */
    private static boolean matches(String ifMatch, String current) {
        for (String tag : ifMatch.split(",")) {
            String candidate = tag.strip();
            if (candidate.equals("*") || candidate.equals("\"" + current + "\"")) {
                return true;
            }
        }
        return false;
    }

    private static <T> T or(T given, T current) {
        return given != null ? given : current;
    }

    private static ApiException notFound() {
        return ApiException.notFound("event-not-found");
    }

    private static ApiException unknownCategory() {
        return ApiException.invalidField("category_id", "category-unknown");
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 27);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
