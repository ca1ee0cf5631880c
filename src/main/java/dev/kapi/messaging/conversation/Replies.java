package dev.kapi.messaging.conversation;

import java.time.Clock;
import java.time.Instant;
import java.util.OptionalLong;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.messaging.InboundMessageReceived;
import dev.kapi.messaging.contact.Customer;
import dev.kapi.messaging.contact.Customers;
import dev.kapi.messaging.contact.PhoneNumbers;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sending.ProviderEvents;
import tools.jackson.databind.JsonNode;

/**
 * A message a recipient wrote to one of a user's numbers, from Meta's callback: stored
 * once per wamid with what it says ({@link Inbound}), linked to the campaign message it
 * answers (which shows {@code replied_at}), told to webhooks
 * ({@link InboundMessageReceived}), and handed to {@link ProviderEvents#inbound} (the
 * service window, opt-out words). A callback Meta retries finds the message stored and
 * does none of this again.
 */
@Service
public class Replies {

    private final InboundMessages inbound;

    private final Customers customers;

    private final ProviderEvents events;

    private final ApplicationEventPublisher publisher;

    private final Clock clock;

    Replies(InboundMessages inbound, Customers customers, ProviderEvents events, ApplicationEventPublisher publisher,
            Clock clock) {
        this.inbound = inbound;
        this.customers = customers;
        this.events = events;
        this.publisher = publisher;
        this.clock = clock;
    }

    /** One of {@code messages[]}; returns whether it opted its number out. */
    @Transactional
    public boolean received(Sender receiver, JsonNode message) {
        Instant now = clock.instant();
        Inbound parsed = Inbound.of(message, now).orElse(null);
        if (parsed == null) {
            return false;
        }
        String from = parsed.from();
        String phone = from == null ? null
                : PhoneNumbers.normalise(from.startsWith("+") ? from : "+" + from).orElse(null);
        if (phone == null && parsed.userId() == null) {
            return false;
        }
        long owner = receiver.ownerId();
        Long customerId = phone == null ? null : customers.byPhone(owner, phone).map(Customer::id).orElse(null);
        Long answered = inbound.replied(owner, parsed.contextWamid(), parsed.at());
        OptionalLong stored = inbound.insert(owner, receiver.id(), phone, customerId, parsed, answered, now);
        if (stored.isEmpty()) {
            return false;
        }
        publisher.publishEvent(new InboundMessageReceived(owner, stored.getAsLong(), customerId, phone, parsed.userId(),
                parsed.type(), parsed.summary(), answered, parsed.at()));
        // Without a number there is no service window to open (Kapi sends to numbers) and
        // nothing to blacklist.
        return phone != null && events.inbound(receiver, from, parsed.words());
    }

}
