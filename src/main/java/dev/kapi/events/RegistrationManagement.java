package dev.kapi.events;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.identity.AccountDirectory;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Page;

/**
 * Registrations for events: capacity, the waiting list, approval and check-in. Each
 * change locks its event's row first, so that the counts on it (and the capacity they are
 * checked against) hold however many requests and instances race.
 */
@Service
class RegistrationManagement {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Events events;

    private final Registrations registrations;

    private final AccountDirectory accounts;

    private final Clock clock;

    private final ApplicationEventPublisher publisher;

    RegistrationManagement(Events events, Registrations registrations, AccountDirectory accounts, Clock clock,
            ApplicationEventPublisher publisher) {
        this.publisher = publisher;
        this.events = events;
        this.registrations = registrations;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** A registration and the full name of its account. */
    record RegistrationView(Registration registration, String fullName) {
    }

    /** A registration and whether this request made it. */
    record Registered(Registration registration, boolean created) {
    }

    /** A registration with the event it is for, as its account lists it. */
    record OwnRegistration(Registration registration, Event event) {
    }

    /**
     * Registers the account for the event: confirmed while seats are left (or awaiting an
     * editor under manual approval), else on the waiting list if the event keeps one,
     * else 409 {@code event-full}. Registering again answers the registration as it is.
     */
    @Transactional
    Registered register(long accountId, long eventId, String note) {
        Event event = live(events.lock(eventId));
        Optional<Registration> existing = registrations.of(eventId, accountId);
        if (existing.isPresent() && existing.get().active()) {
            return new Registered(existing.get(), false);
        }
        if (existing.isPresent() && Registration.DECLINED.equals(existing.get().status())) {
            throw ApiException.conflict("registration-declined");
        }
        Attendance attendance = event.attendance();
        Instant now = clock.instant();
        if (attendance.opensAt() != null && now.isBefore(attendance.opensAt())) {
            throw ApiException.conflict("registration-not-open", attendance.opensAt());
        }
        Instant closes = attendance.closesAt() != null ? attendance.closesAt() : event.endTime();
        if (!now.isBefore(closes)) {
            throw ApiException.conflict("registration-closed");
        }
        String status;
        if (attendance.manual()) {
            status = Registration.PENDING;
        }
        else if (attendance.hasSeat()) {
            status = Registration.CONFIRMED;
        }
        else if (attendance.waitlist()) {
            status = Registration.WAITLISTED;
        }
        else {
            throw ApiException.conflict("event-full");
        }
        Registration saved = registrations.save(eventId, accountId, status, note,
                Registration.CONFIRMED.equals(status) ? ticketCode() : null, now);
        count(eventId, status, 1);
        publisher.publishEvent(new EventRegistrationCreated(saved.id(), eventId, accountId, status));
        publisher.publishEvent(new RegistrationMail(saved.id(), switch (status) {
            case Registration.CONFIRMED -> "confirmed";
            case Registration.WAITLISTED -> "waitlisted";
            default -> "pending";
        }));
        return new Registered(saved, true);
    }

    /**
     * Cancels the account's registration; a seat it held goes to the first of the waiting
     * list at once.
     */
    @Transactional
    void cancel(long accountId, long eventId) {
        live(events.lock(eventId));
        Registration registration = registrations.of(eventId, accountId)
            .filter(Registration::active)
            .orElseThrow(() -> ApiException.notFound("registration-not-found"));
        if (registration.checkedInAt() != null) {
            throw ApiException.conflict("already-checked-in", registration.checkedInAt());
        }
        registrations.move(registration.id(), Registration.CANCELLED, null, clock.instant());
        count(eventId, registration.status(), -1);
        List<Long> promoted = fillSeats(eventId);
        publisher.publishEvent(new EventRegistrationCancelled(registration.id(), eventId, accountId,
                promoted.isEmpty() ? null : promoted.getFirst()));
    }

    /**
     * Confirms the first of the waiting list while seats are left (after a cancellation
     * or a larger capacity). The caller holds the event's lock.
     */
    @Transactional
    List<Long> fillSeats(long eventId) {
        Event event = events.lock(eventId).orElseThrow(RegistrationManagement::eventNotFound);
        int free = event.attendance().capacity() == null ? Integer.MAX_VALUE
                : event.attendance().capacity() - event.attendance().confirmed();
        List<Long> promoted = new java.util.ArrayList<>();
        for (int i = 0; i < free; i++) {
            Optional<Registration> first = registrations.firstWaiting(eventId);
            if (first.isEmpty()) {
                break;
            }
            registrations.move(first.get().id(), Registration.CONFIRMED, ticketCode(), clock.instant());
            events.count(eventId, 1, -1, 0, 0);
            promoted.add(first.get().id());
            publisher.publishEvent(new RegistrationMail(first.get().id(), "promoted"));
        }
        return promoted;
    }

    /**
     * An editor's yes to a registration awaiting approval: a seat if one is left, else
     * the waiting list if the event keeps one, else 409 {@code event-full}.
     */
    @Transactional
    RegistrationView approve(long eventId, long registrationId) {
        Event event = live(events.lock(eventId));
        Registration registration = pending(eventId, registrationId);
        String status;
        if (event.attendance().hasSeat()) {
            status = Registration.CONFIRMED;
        }
        else if (event.attendance().waitlist()) {
            status = Registration.WAITLISTED;
        }
        else {
            throw ApiException.conflict("event-full");
        }
        Registration moved = registrations.move(registration.id(), status, ticketCode(), clock.instant());
        count(eventId, Registration.PENDING, -1);
        count(eventId, status, 1);
        publisher.publishEvent(new RegistrationMail(moved.id(), "approved"));
        return withName(moved);
    }

    @Transactional
    RegistrationView decline(long eventId, long registrationId) {
        live(events.lock(eventId));
        Registration registration = pending(eventId, registrationId);
        Registration moved = registrations.move(registration.id(), Registration.DECLINED, null, clock.instant());
        count(eventId, Registration.PENDING, -1);
        publisher.publishEvent(new RegistrationMail(moved.id(), "declined"));
        return withName(moved);
    }

    /**
     * Checks a ticket in at the door. A second scan answers 409
     * {@code already-checked-in} (with the first one's time); a ticket that is not a
     * confirmed registration of this event answers 404 {@code ticket-not-found}.
     */
    @Transactional
    RegistrationView checkIn(long eventId, String ticketCode) {
        live(events.byId(eventId));
        Optional<Registration> checked = registrations.checkIn(eventId, ticketCode, clock.instant());
        if (checked.isPresent()) {
            events.count(eventId, 0, 0, 0, 1);
            publisher.publishEvent(new EventCheckedIn(checked.get().id(), eventId, checked.get().accountId(),
                    checked.get().checkedInAt()));
            return withName(checked.get());
        }
        Registration registration = registrations.byTicket(eventId, ticketCode)
            .orElseThrow(() -> ApiException.notFound("ticket-not-found"));
        throw new CheckedInAlready(registration.checkedInAt());
    }

    @Transactional(readOnly = true)
    Page<RegistrationView> ofEvent(long eventId, String status, String cursor, int limit) {
        live(events.byId(eventId));
        Page<Registration> page = Page.byId(registrations.ofEvent(eventId, status, afterId(cursor), limit), limit,
                Registration::id);
        Map<Long, String> names = accounts.fullNames(page.rows().stream().map(Registration::accountId).toList());
        return page.map(registration -> new RegistrationView(registration, names.get(registration.accountId())));
    }

    @Transactional(readOnly = true)
    Page<OwnRegistration> ofAccount(long accountId, String cursor, int limit) {
        Page<Registration> page = Page.byId(registrations.ofAccount(accountId, afterId(cursor), limit), limit,
                Registration::id);
        Map<Long, Event> byId = events.byIds(page.rows().stream().map(Registration::eventId).distinct().toList())
            .stream()
            .collect(Collectors.toMap(Event::id, Function.identity()));
        return page
            .map(registration -> new OwnRegistration(registration, Optional.ofNullable(byId.get(registration.eventId()))
                .orElseThrow(RegistrationManagement::eventNotFound)));
    }

    /** The account's own confirmed registration, for its ticket. */
    @Transactional(readOnly = true)
    Registration ticketOf(long accountId, long registrationId) {
        return registrations.byId(registrationId)
            .filter(registration -> registration.accountId() == accountId && registration.confirmed())
            .orElseThrow(() -> ApiException.notFound("ticket-not-found"));
    }

    /**
     * A deleted account's registrations go, each cancelled first so that seats move on.
     */
    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        for (long eventId : registrations.activeEventsOf(deleted.accountId())) {
            try {
                cancel(deleted.accountId(), eventId);
            }
            catch (ApiException ex) {
                // Checked in already, or the event is gone: nothing to move on.
            }
        }
        registrations.deleteOf(deleted.accountId());
    }

    /** 409 {@code already-checked-in}, naming when the first scan was. */
    static final class CheckedInAlready extends RuntimeException {

        private final transient Instant checkedInAt;

        CheckedInAlready(Instant checkedInAt) {
            super("already-checked-in", null, false, false);
            this.checkedInAt = checkedInAt;
        }

        Instant checkedInAt() {
            return checkedInAt;
        }

    }

    private Registration pending(long eventId, long registrationId) {
        Registration registration = registrations.byId(registrationId)
            .filter(found -> found.eventId() == eventId)
            .orElseThrow(() -> ApiException.notFound("registration-not-found"));
        if (!Registration.PENDING.equals(registration.status())) {
            throw new ApiException(HttpStatus.CONFLICT, "registration-not-pending", registration.status());
        }
        return registration;
    }

    private void count(long eventId, String status, int delta) {
        switch (status) {
            case Registration.CONFIRMED -> events.count(eventId, delta, 0, 0, 0);
            case Registration.WAITLISTED -> events.count(eventId, 0, delta, 0, 0);
            case Registration.PENDING -> events.count(eventId, 0, 0, delta, 0);
            default -> {
            }
        }
    }

    private RegistrationView withName(Registration registration) {
        return new RegistrationView(registration,
                accounts.fullNames(List.of(registration.accountId())).get(registration.accountId()));
    }

    private static Long afterId(String cursor) {
        return dev.kapi.shared.Cursors.afterId(cursor);
    }

    private static Event live(Optional<Event> event) {
        return event.filter(found -> !found.deleted()).orElseThrow(RegistrationManagement::eventNotFound);
    }

    private static ApiException eventNotFound() {
        return ApiException.notFound("event-not-found");
    }

    /** 128 random bits, base64url: a ticket nobody guesses. */
    private static String ticketCode() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

}
