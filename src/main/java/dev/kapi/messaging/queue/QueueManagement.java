package dev.kapi.messaging.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.messaging.automation.Automation;
import dev.kapi.messaging.automation.Automations;
import dev.kapi.messaging.contact.Customers;
import dev.kapi.messaging.draft.Drafts;
import dev.kapi.messaging.sending.MessagingSettings;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;

/**
 * Seed 001's queues: made from a draft, senders and recipients; checked before start
 * (preflight); started (expanded into one row per recipient in one statement, credits
 * reserved), paused, resumed, cancelled; their failed recipients listed and sent again.
 */
@Service
class QueueManagement {

    private final Queues queues;

    private final QueueMessages messages;

    private final Recipients recipients;

    private final Customers customers;

    private final Drafts drafts;

    private final Automations automations;

    private final QueueCredits queueCredits;

    private final QueueChecks checks;

    private final QueueEstimates estimates;

    private final MessagingSettings settings;

    private final Clock clock;

    QueueManagement(Queues queues, QueueMessages messages, Recipients recipients, Customers customers, Drafts drafts,
            Automations automations, QueueCredits queueCredits, QueueChecks checks, QueueEstimates estimates,
            MessagingSettings settings, Clock clock) {
        this.queues = queues;
        this.messages = messages;
        this.recipients = recipients;
        this.customers = customers;
        this.drafts = drafts;
        this.automations = automations;
        this.queueCredits = queueCredits;
        this.checks = checks;
        this.estimates = estimates;
        this.settings = settings;
        this.clock = clock;
    }

    /** A queue with its messages counted per status, and when it should be done. */
    record QueueView(Queue queue, Map<String, Long> counts, long heldCredits, Instant estimatedFinish) {
    }

    @Transactional
    QueueView create(long owner, String name, long draftId, List<Long> senderIds, List<Long> groupIds,
            List<Long> customerIds, Instant scheduledAt) {
        Drafts.Draft draft = drafts.byId(owner, draftId)
            .orElseThrow(() -> ApiException.invalidField("draft_id", "draft-unknown", draftId));
        List<Long> senderList = checks.senders(owner, senderIds);
        List<Long> groupList = checks.groups(owner, groupIds);
        List<Long> customerList = checks.customers(owner, customerIds);
        if (groupList.isEmpty() && customerList.isEmpty()) {
            throw ApiException.invalidField("group_ids", "queue-needs-recipients");
        }
        String category = draft.template() == null ? null
                : checks.approvedTemplate(owner, draft.template(), senderList);
        long id = queues.insert(owner, name == null || name.isBlank() ? draft.name() : name.strip(), draftId,
                draft.body(), draft.template(), draft.rich(), category, senderList, groupList, customerList,
                scheduledAt, clock.instant());
        return view(queues.byId(owner, id).orElseThrow());
    }

    @Transactional(readOnly = true)
    QueueView get(long owner, long id) {
        return view(find(owner, id));
    }

    @Transactional(readOnly = true)
    Page<QueueView> list(long owner, String cursor, int limit) {
        return Page.byId(queues.page(owner, Cursors.afterId(cursor), limit), limit, Queue::id).map(this::view);
    }

    /** Every owner's queues, newest first, optionally of one status (admin). */
    @Transactional(readOnly = true)
    Page<QueueView> listAll(String status, String cursor, int limit) {
        QueueStatus wanted = status == null ? null
                : QueueStatus.parse(status)
                    .orElseThrow(() -> ApiException.invalidField("status", "invalid-status",
                            String.join(", ", QueueStatus.WIRE_NAMES)));
        return Page.byId(queues.pageOfAll(wanted, Cursors.afterId(cursor), limit), limit, Queue::id).map(this::view);
    }

    /**
     * Starts a queue made but not started: expands it into one row per recipient, holds
     * for each the rate card's price for its market and the queue's category (kept with
     * the message) and reserves their sum (409 {@code insufficient-credits}, and nothing
     * happens, when the balance is smaller), and runs it, or schedules it when its time
     * is still to come.
     */
    @Transactional
    QueueView start(long owner, long id) {
        Queue queue = queues.lock(owner, id).orElseThrow(QueueManagement::notFound);
        Instant now = clock.instant();
        Instant startAt = queue.scheduledAt() != null && queue.scheduledAt().isAfter(now) ? queue.scheduledAt() : now;
        QueueStatus next = queue.status().start(startAt.isAfter(now));
        if (!checks.anySender(owner, queue.senderIds())) {
            throw ApiException.conflict("queue-has-no-senders");
        }
        Automation automation = automations.of(owner);
        customers.fillCountries(owner);
        Recipients.Selection selection = recipients.select(owner, queue.groupIds(), queue.customerIds(), List.of(),
                now);
        int total = recipients.expand(queue.id(), owner, queue.groupIds(), queue.customerIds(), queue.category(),
                Automation.SKIP.equals(automation.graylistMode()),
                Duration.ofSeconds(automation.graylistDelaySeconds()), startAt, now);
        long pending = messages.counts(queue.id()).get(MessageStatus.PENDING.wire());
        if (pending == 0) {
            throw ApiException.conflict("queue-has-no-recipients");
        }
        int cost = settings.creditCost().of(queue.category());
        queueCredits.reserve(queue, messages.heldPending(queue.id()));
        queues.started(queue, next, total, (int) selection.blacklisted(), cost, now);
        return view(queues.byId(owner, id).orElseThrow());
    }

    @Transactional
    QueueView pause(long owner, long id) {
        Queue queue = queues.lock(owner, id).orElseThrow(QueueManagement::notFound);
        queues.move(id, queue.status(), queue.status().pause(), clock.instant());
        return view(queues.byId(owner, id).orElseThrow());
    }

    @Transactional
    QueueView resume(long owner, long id) {
        Queue queue = queues.lock(owner, id).orElseThrow(QueueManagement::notFound);
        Instant now = clock.instant();
        boolean later = queue.scheduledAt() != null && queue.scheduledAt().isAfter(now);
        queues.move(id, queue.status(), queue.status().resume(later), now);
        return view(queues.byId(owner, id).orElseThrow());
    }

    /**
     * Cancels a queue: what is pending is never sent, messages already with a provider
     * finish; the credits of everything not sent are given back (at once, or by the
     * sender when the last in-flight message ends).
     */
    @Transactional
    QueueView cancel(long owner, long id) {
        Queue queue = queues.lock(owner, id).orElseThrow(QueueManagement::notFound);
        QueueStatus next = queue.status().cancel();
        Instant now = clock.instant();
        messages.cancelPending(id, now);
        queues.move(id, queue.status(), next, now);
        queueCredits.settle(id);
        return view(queues.byId(owner, id).orElseThrow());
    }

    /**
     * Sends the queue's failed messages again — those whose failure a retry may cure (not
     * numbers that are not on WhatsApp, nor messages whose outcome is unknown) —
     * reserving again the credits each held.
     */
    @Transactional
    QueueView retryFailed(long owner, long id) {
        Queue queue = queues.lock(owner, id).orElseThrow(QueueManagement::notFound);
        QueueStatus next = queue.status().retryFailed();
        long failed = messages.retryableFailures(id);
        if (failed > 0) {
            queueCredits.reserve(queue, messages.heldRetryable(id));
            messages.retryFailed(id, clock.instant());
            if (next != queue.status()) {
                queues.move(id, queue.status(), next, clock.instant());
            }
        }
        return view(queues.byId(owner, id).orElseThrow());
    }

    /** A page of one queue's messages in id order, optionally of one status. */
    @Transactional(readOnly = true)
    Page<Message> messages(long owner, long id, String status, String cursor, int limit) {
        find(owner, id);
        MessageStatus wanted = messageStatus(status);
        return Page.byId(messages.page(id, wanted, Cursors.afterId(cursor), limit), limit, Message::id);
    }

    /**
     * A page of all of one owner's messages, newest first, optionally of one status or
     * queue (admin).
     */
    @Transactional(readOnly = true)
    Page<Message> messagesOf(long owner, String status, Long queueId, String cursor, int limit) {
        MessageStatus wanted = messageStatus(status);
        return Page.byId(messages.pageOfOwner(owner, wanted, queueId, Cursors.afterId(cursor), limit), limit,
                Message::id);
    }

    /**
     * The status a list is filtered by: null for all, a 400 naming {@code status} when it
     * names none.
     */
    private static MessageStatus messageStatus(String status) {
        return status == null ? null
                : MessageStatus.parse(status)
                    .orElseThrow(() -> ApiException.invalidField("status", "message-status-invalid",
                            String.join(", ", MessageStatus.WIRE_NAMES)));
    }

    QueueView view(Queue queue) {
        Map<String, Long> counts = messages.counts(queue.id());
        long remaining = counts.get(MessageStatus.PENDING.wire()) + counts.get(MessageStatus.SENDING.wire());
        Instant finish = (queue.status() == QueueStatus.RUNNING || queue.status() == QueueStatus.SCHEDULED)
                && remaining > 0 ? estimates.finish(queue, remaining) : null;
        return new QueueView(queue, counts, queues.heldTotal(queue.id()), finish);
    }

    /**
     * What starting would do: recipients after dedup and the lists, credits, duration,
     * missing variables ({@link QueueEstimates}).
     */
    @Transactional(readOnly = true)
    QueueEstimates.Preflight preflight(long owner, long id) {
        return estimates.preflight(owner, find(owner, id), messages.counts(id).get(MessageStatus.DEFERRED.wire()));
    }

    private Queue find(long owner, long id) {
        return queues.byId(owner, id).orElseThrow(QueueManagement::notFound);
    }

    static ApiException notFound() {
        return ApiException.notFound("queue-not-found");
    }

}
