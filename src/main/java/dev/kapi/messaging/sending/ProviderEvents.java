package dev.kapi.messaging.sending;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.messaging.automation.Automations;
import dev.kapi.messaging.contact.Customer;
import dev.kapi.messaging.contact.Customers;
import dev.kapi.messaging.contact.ListEntries;
import dev.kapi.messaging.contact.PhoneNumbers;
import dev.kapi.messaging.pricing.Charges;
import dev.kapi.messaging.pricing.Pricing;
import dev.kapi.messaging.pricing.PricingSettings;
import dev.kapi.messaging.queue.MessageStatus;
import dev.kapi.messaging.queue.QueueMessages;
import dev.kapi.messaging.queue.QueueStatus;
import dev.kapi.messaging.queue.Queues;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.whatsapp.ServiceWindows;
import tools.jackson.databind.json.JsonMapper;

/**
 * What providers report after a send: message statuses (which may arrive out of order and
 * never move a message backwards, but for Meta's per-user marketing cap, which defers a
 * sent message to send it again later) and replies from recipients (an opt-out word
 * blacklists the number for the user whose account received it).
 */
@Service
public class ProviderEvents {

    private static final Logger log = LoggerFactory.getLogger(ProviderEvents.class);

    private final QueueMessages messages;

    private final ListEntries lists;

    private final Customers customers;

    private final Automations automations;

    private final ServiceWindows windows;

    private final Charges charges;

    private final PricingSettings pricingSettings;

    private final JsonMapper json;

    private final Clock clock;

    private final List<Duration> marketingCapDelays;

    private final Queues queues;

    ProviderEvents(QueueMessages messages, ListEntries lists, Customers customers, Automations automations,
            ServiceWindows windows, Charges charges, PricingSettings pricingSettings, JsonMapper json, Queues queues,
            MessagingSettings settings, Clock clock) {
        this.charges = charges;
        this.pricingSettings = pricingSettings;
        this.json = json;
        this.queues = queues;
        this.marketingCapDelays = settings.worker().marketingCapDelays();
        this.windows = windows;
        this.messages = messages;
        this.lists = lists;
        this.customers = customers;
        this.automations = automations;
        this.clock = clock;
    }

    /**
     * A status for the message with the provider's id (or, before its id was recorded,
     * Kapı's key). Returns whether it changed anything: an older status than the message
     * has is ignored.
     */
    @Transactional
    public boolean status(String providerMessageId, long messageId, MessageStatus status, Instant at, String errorCode,
            String errorReason) {
        return status(providerMessageId, messageId, status, at, errorCode, errorReason, null);
    }

    /**
     * A status with Meta's pricing block (null without one), as {@link #statuses} applies
     * it: the message keeps the block, and the first billable one charges it at the price
     * of the category Meta billed ({@link Charges}; a retried callback charges nothing
     * more), even when the status itself is older than the message's. A {@code failed}
     * status with Meta's per-user marketing cap defers the message instead (sent again
     * later); a charge made before stands, and the message is never charged again (one
     * charge per message, whatever its sends), while the deferred send's own callbacks no
     * longer reach it.
     */
    @Transactional
    public boolean status(String providerMessageId, long messageId, MessageStatus status, Instant at, String errorCode,
            String errorReason, Pricing pricing) {
        boolean applied = statuses(
                List.of(new Reported(providerMessageId, messageId, status, at, errorCode, errorReason, pricing)))[0];
        if (!applied) {
            log.debug("Status {} for message {} ignored (unknown, or not newer)", status, providerMessageId);
        }
        return applied;
    }

    /** One status as a provider reported it, for {@link #statuses}. */
    public record Reported(String providerMessageId, long messageId, MessageStatus status, Instant at, String errorCode,
            String errorReason, Pricing pricing) {

        boolean marketingCap() {
            return status == MessageStatus.FAILED && RetryPolicy.MARKETING_CAP.equals(errorCode);
        }

    }

    /**
     * Many statuses in one transaction, each as {@link #status} applies it; returns, for
     * each, whether it changed its message. Meta's per-user marketing caps are applied
     * one by one, in their order of arrival among the others; the statuses between two of
     * them are written together whatever their number: one statement per status in the
     * order a message moves (sent, delivered, read, failed), which the forward-only rule
     * makes as good as their order of arrival, then one for their pricing blocks (the
     * last of each message's kept) and two for the charges of the billable ones.
     */
    @Transactional
    public boolean[] statuses(List<Reported> reported) {
        Instant now = clock.instant();
        boolean[] applied = new boolean[reported.size()];
        int from = 0;
        for (int i = 0; i <= reported.size(); i++) {
            if (i == reported.size() || reported.get(i).marketingCap()) {
                together(reported, from, i, applied, now);
                if (i < reported.size()) {
                    applied[i] = capped(reported.get(i), now);
                }
                from = i + 1;
            }
        }
        return applied;
    }

    /**
     * The statuses {@code from} (inclusive) to {@code to}, none of them Meta's per-user
     * marketing cap, written together.
     */
    private void together(List<Reported> reported, int from, int to, boolean[] applied, Instant now) {
        if (from >= to) {
            return;
        }
        Map<MessageStatus, List<Integer>> byStatus = new EnumMap<>(MessageStatus.class);
        List<QueueMessages.Priced> priced = new ArrayList<>();
        List<Charges.Billed> billed = new ArrayList<>();
        for (int i = from; i < to; i++) {
            Reported one = reported.get(i);
            byStatus.computeIfAbsent(one.status(), status -> new ArrayList<>()).add(i);
            if (one.pricing() != null) {
                priced.add(new QueueMessages.Priced(one.providerMessageId(), one.messageId(),
                        json.writeValueAsString(one.pricing().asMap()), one.pricing().charged()));
                if (one.pricing().charged() && one.status() != MessageStatus.FAILED) {
                    billed.add(new Charges.Billed(one.providerMessageId(), one.messageId(),
                            one.pricing().billedCategory()));
                }
            }
        }
        byStatus.forEach((status, indexes) -> {
            List<QueueMessages.Reported> rows = indexes.stream()
                .map(reported::get)
                .map(one -> new QueueMessages.Reported(one.providerMessageId(), one.messageId(), one.at(),
                        one.errorCode(), one.errorReason()))
                .toList();
            for (int index : messages.applyStatuses(status, rows, now)) {
                applied[indexes.get(index)] = true;
            }
        });
        messages.recordPricing(priced, now);
        charges.charge(billed, now, now.minus(pricingSettings.chargeWindow()));
    }

    /**
     * Meta's per-user marketing cap reported for a message (with its pricing block, if
     * any, kept; a failure is never charged).
     */
    private boolean capped(Reported one, Instant now) {
        boolean applied = deferred(one.providerMessageId(), one.messageId(), one.errorCode(), one.errorReason());
        if (one.pricing() != null) {
            messages.recordPricing(List.of(new QueueMessages.Priced(one.providerMessageId(), one.messageId(),
                    json.writeValueAsString(one.pricing().asMap()), one.pricing().charged())), now);
        }
        return applied;
    }

    /**
     * Meta's per-user marketing cap for a message it accepted: deferred (or failed after
     * the last delay), and its queue, if it completed meanwhile, runs again to send it.
     */
    private boolean deferred(String providerMessageId, long messageId, String errorCode, String errorReason) {
        Instant now = clock.instant();
        return messages.deferReported(providerMessageId, messageId, marketingCapDelays, errorCode, errorReason, now)
            .map(queueId -> queues.move(queueId, QueueStatus.COMPLETED, QueueStatus.RUNNING, now) || true)
            .orElse(false);
    }

    /**
     * A message a recipient sent to one of the user's accounts (its text, null for media
     * and the like): it opens the number's 24-hour service window. Returns whether it
     * opted the number out.
     */
    @Transactional
    public boolean inbound(Sender receiver, String from, String text) {
        String phone = PhoneNumbers.normalise(from.startsWith("+") ? from : "+" + from).orElse(null);
        if (phone == null) {
            return false;
        }
        windows.inbound(receiver.ownerId(), phone, clock.instant());
        if (text == null || !automations.of(receiver.ownerId()).isOptOut(text)) {
            return false;
        }
        Long customerId = customers.byPhone(receiver.ownerId(), phone).map(Customer::id).orElse(null);
        String reason = "opt-out: " + (text.length() > 200 ? text.substring(0, 200) : text.strip());
        lists.add(receiver.ownerId(), ListEntries.BLACK, phone, customerId, reason, "opt_out", clock.instant());
        return true;
    }

}
