package dev.kapi.events;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.context.MessageSource;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import dev.kapi.identity.AccountAdministration;
import dev.kapi.identity.AccountDirectory;
import dev.kapi.shared.PublicUrl;
import dev.kapi.shared.mail.Mailer;

/**
 * Mails attendees about their registrations (confirmed, on the waiting list, awaiting
 * approval, a seat from the waiting list, approved, declined, a reminder) and about a
 * cancelled event, in their language. A mail that gives a seat (confirmed, promoted,
 * approved) carries the event's {@code .ics}. Sent after the change committed; a failed
 * send stays in the publication registry and is retried.
 */
@Component
class EventMails {

    /** The kinds of mail that give a seat, and so the event for one's calendar. */
    private static final Set<String> SEATED = Set.of("confirmed", "promoted", "approved");

    private final Registrations registrations;

    private final Events events;

    private final AccountAdministration accounts;

    private final AccountDirectory directory;

    private final Mailer mailer;

    private final MessageSource messages;

    private final EventCalendar calendar;

    private final String publicUrl;

    EventMails(Registrations registrations, Events events, AccountAdministration accounts, AccountDirectory directory,
            Mailer mailer, MessageSource messages, EventCalendar calendar, PublicUrl publicUrl) {
        this.registrations = registrations;
        this.events = events;
        this.accounts = accounts;
        this.directory = directory;
        this.mailer = mailer;
        this.messages = messages;
        this.calendar = calendar;
        this.publicUrl = publicUrl.base();
    }

    /** Every attendee of a cancelled event, whatever their registration's state. */
    @ApplicationModuleListener
    void on(EventCancelled cancelled) {
        for (Registration registration : registrations.activeOf(cancelled.eventId())) {
            send(registration, "cancelled");
        }
    }

    @ApplicationModuleListener
    void on(RegistrationMail mail) {
        registrations.byId(mail.registrationId()).ifPresent(registration -> send(registration, mail.kind()));
    }

    private void send(Registration registration, String kind) {
        Event event = events.byId(registration.eventId()).orElse(null);
        AccountAdministration.AdminView user = accounts.byId(registration.accountId())
            .filter(AccountAdministration.AdminView::active)
            .orElse(null);
        if (event == null || user == null) {
            return;
        }
        Locale locale = Locale.forLanguageTag(directory.languages(List.of(user.id())).getOrDefault(user.id(), "tr"));
        String name = user.fullName() != null ? user.fullName() : user.email();
        String when = AttendanceResponse.local(event.startTime(), event.attendance().zone()).replace('T', ' ') + " ("
                + event.attendance().timezone() + ")";
        String ticket = registration.confirmed() && !"cancelled".equals(kind)
                ? publicUrl + "/users/me/registrations/" + registration.id() + "/ticket.svg" : "";
        Object[] args = { name, event.title(), when, ticket };
        Mailer.Attachment ics = SEATED.contains(kind) && registration.confirmed() ? new Mailer.Attachment(
                event.slug() + ".ics", "text/calendar; charset=UTF-8",
                calendar.render(List.of(new EventCalendar.Entry(event, false))).getBytes(StandardCharsets.UTF_8))
                : null;
        mailer.send(user.email(), messages.getMessage("mail.event-" + kind + ".subject", args, locale),
                messages.getMessage("mail.event-" + kind + ".body", args, locale), ics);
    }

}
