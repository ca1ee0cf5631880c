package dev.kapi.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.plans.Credits;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;

/**
 * Seed 001's queues: made from a draft, senders and recipients; checked before start
 * (preflight); started (expanded into one row per recipient in one statement, credits
 * reserved), paused, resumed, cancelled; their failed recipients listed and sent again.
 * Also the module's one listener for accounts deleted for good.
 */
@Service
class QueueManagement {

    private final Queues queues;

    private final QueueMessages messages;

    private final Drafts drafts;

    private final Senders senders;

    private final Groups groups;

    private final Customers customers;

    private final ListEntries lists;

    private final Automations automations;

    private final QueueCredits queueCredits;

    private final Credits credits;

    private final MessagingSettings settings;

    private final ServiceWindows windows;

    private final MessageTemplates templates;

    private final BusinessAccounts businessAccounts;

    private final Clock clock;

    QueueManagement(Queues queues, QueueMessages messages, Drafts drafts, Senders senders, Groups groups,
            Customers customers, ListEntries lists, Automations automations, QueueCredits queueCredits, Credits credits,
            MessagingSettings settings, ServiceWindows windows, MessageTemplates templates,
            BusinessAccounts businessAccounts, Clock clock) {
        this.businessAccounts = businessAccounts;
        this.templates = templates;
        this.windows = windows;
        this.queues = queues;
        this.messages = messages;
        this.drafts = drafts;
        this.senders = senders;
        this.groups = groups;
        this.customers = customers;
        this.lists = lists;
        this.automations = automations;
        this.queueCredits = queueCredits;
        this.credits = credits;
        this.settings = settings;
        this.clock = clock;
    }

    /** A queue with its messages counted per status, and when it should be done. */
    record QueueView(Queue queue, Map<String, Long> counts, long heldCredits, Instant estimatedFinish) {
    }

    record Preflight(long selected, long blacklisted, long graylisted, long graylistSkipped,
            boolean serviceWindowApplies, long insideServiceWindow, long outsideServiceWindow, long recipients,
            long creditsNeeded, long creditsAvailable, boolean enoughCredits, long estimatedSeconds,
            Map<String, Long> missingVariables, boolean messagingLimitApplies, long messagingLimitWaiting,
            Instant estimatedFinish) {
    }

    /**
     * What the business accounts' messaging tiers do to a template queue: how many wait,
     * and until when.
     */
    record TierWait(long waiting, Instant lastSlot) {

        static final TierWait NONE = new TierWait(0, null);

    }

    @Transactional
    QueueView create(long owner, String name, long draftId, List<Long> senderIds, List<Long> groupIds,
            List<Long> customerIds, Instant scheduledAt) {
        Drafts.Draft draft = drafts.byId(owner, draftId)
            .orElseThrow(() -> ApiException.invalidField("draft_id", "draft-unknown", draftId));
        List<Long> senderList = owned("sender_ids", senderIds, senders.owned(owner, senderIds), "sender-unknown");
        List<Long> groupList = owned("group_ids", groupIds, groups.owned(owner, groupIds), "group-unknown");
        List<Long> customerList = owned("customer_ids", customerIds, customers.owned(owner, customerIds),
                "customer-unknown");
        if (groupList.isEmpty() && customerList.isEmpty()) {
            throw ApiException.invalidField("group_ids", "queue-needs-recipients");
        }
        String category = draft.template() == null ? null : approvedTemplate(owner, draft.template(), senderList);
        long id = queues.insert(owner, name == null || name.isBlank() ? draft.name() : name.strip(), draftId,
                draft.body(), draft.template(), category, senderList, groupList, customerList, scheduledAt,
                clock.instant());
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
     * What starting would do: recipients after dedup and the lists, credits, duration,
     * missing variables.
     */
    @Transactional(readOnly = true)
    Preflight preflight(long owner, long id) {
        Queue queue = find(owner, id);
        Automation automation = automations.of(owner);
        Set<String> fields = variables(queue).stream()
            .filter(variable -> !Templates.BUILT_IN.contains(variable))
            .collect(Collectors.toCollection(LinkedHashSet::new));
        QueueMessages.Selection selection = messages.select(owner, queue.groupIds(), queue.customerIds(), fields,
                clock.instant());
        boolean skipGray = Automation.SKIP.equals(automation.graylistMode());
        long graySkipped = skipGray ? selection.graylisted() : 0;
        long eligible = selection.chosen() - selection.blacklisted() - graySkipped;
        long inside = selection.insideServiceWindow() - (skipGray ? selection.graylistedInsideServiceWindow() : 0);
        boolean windowApplies = serviceWindowApplies(owner, queue);
        long recipients = windowApplies ? inside : eligible;
        long gray = skipGray ? 0 : windowApplies ? selection.graylistedInsideServiceWindow() : selection.graylisted();
        long available = credits.balanceOf(owner).credit();
        long seconds = estimateSeconds(owner, queue, automation, recipients - gray, gray);
        Instant now = clock.instant();
        Instant start = queue.scheduledAt() != null && queue.scheduledAt().isAfter(now) ? queue.scheduledAt() : now;
        Instant finish = start.plusSeconds(seconds);
        List<String> wabaIds = tieredAccounts(owner, queue);
        TierWait wait = wabaIds.isEmpty() ? TierWait.NONE : tierWait(owner, queue, wabaIds, recipients, now);
        if (wait.lastSlot() != null && wait.lastSlot().isAfter(finish)) {
            finish = wait.lastSlot();
        }
        long needed = recipients * settings.creditCost().of(queue.category());
        return new Preflight(selection.chosen(), selection.blacklisted(), selection.graylisted(), graySkipped,
                windowApplies, inside, eligible - inside, recipients, needed, available, available >= needed,
                Math.max(0, Duration.between(now, finish).toSeconds()), selection.missing(), !wabaIds.isEmpty(),
                wait.waiting(), finish);
    }

    /**
     * The business accounts whose messaging tier a template queue counts against (its
     * active senders' waba_ids).
     */
    private List<String> tieredAccounts(long owner, Queue queue) {
        if (queue.freeForm()) {
            return List.of();
        }
        return senders.byIds(queue.senderIds())
            .stream()
            .filter(sender -> sender.ownerId() == owner && sender.status().sends() && sender.wabaId() != null)
            .map(Sender::wabaId)
            .distinct()
            .toList();
    }

    /**
     * How many of a template queue's recipients must wait for the tiers' 24-hour windows
     * to roll, and when the last of them may go. The accounts' tiers are pooled: each
     * rolling day lets out their sum of new recipients; a slot frees 24 hours after the
     * reach that took it (the reaches already in the window first, then those this queue
     * makes at the start). Recipients reached in the window do not count.
     */
    private TierWait tierWait(long owner, Queue queue, List<String> wabaIds, long recipients, Instant now) {
        Map<String, MessagingLimit> limits = businessAccounts.limits(owner, wabaIds);
        if (limits.values().stream().anyMatch(MessagingLimit::unlimited)) {
            return TierWait.NONE;
        }
        long total = limits.values().stream().mapToLong(MessagingLimit::recipients).sum();
        List<Instant> reaches = businessAccounts.reachedSince(owner, wabaIds, now);
        long already = messages.reachedSince(owner, queue.groupIds(), queue.customerIds(), wabaIds,
                now.minus(BusinessAccounts.WINDOW));
        long fresh = Math.max(0, recipients - already);
        long free = Math.max(0, total - reaches.size());
        long waiting = Math.max(0, fresh - free);
        if (waiting == 0) {
            return TierWait.NONE;
        }
        long cycle = (waiting - 1) / total;
        long slot = (waiting - 1) % total;
        // one day's slots in the order they free: the window's reaches 24 h on, then the
        // queue's first sends'
        Instant at = slot < reaches.size() ? reaches.get((int) slot).plus(BusinessAccounts.WINDOW)
                : now.plus(BusinessAccounts.WINDOW);
        return new TierWait(waiting, at.plus(BusinessAccounts.WINDOW.multipliedBy(cycle)));
    }

    /**
     * Starts a queue made but not started: expands it into one row per recipient,
     * reserves the credit cost of the queue's category for each (its
     * {@code kapi.messaging.credit-cost}, kept with the queue) (409
     * {@code insufficient-credits}, and nothing happens, when the balance is smaller) and
     * runs it, or schedules it when its time is still to come.
     */
    @Transactional
    QueueView start(long owner, long id) {
        Queue queue = queues.lock(owner, id).orElseThrow(QueueManagement::notFound);
        Instant now = clock.instant();
        Instant startAt = queue.scheduledAt() != null && queue.scheduledAt().isAfter(now) ? queue.scheduledAt() : now;
        QueueStatus next = queue.status().start(startAt.isAfter(now));
        Set<Long> live = senders.owned(owner, queue.senderIds());
        if (live.isEmpty()) {
            throw ApiException.conflict("queue-has-no-senders");
        }
        Automation automation = automations.of(owner);
        QueueMessages.Selection selection = messages.select(owner, queue.groupIds(), queue.customerIds(), List.of(),
                now);
        int total = messages.expand(queue.id(), owner, queue.groupIds(), queue.customerIds(),
                Automation.SKIP.equals(automation.graylistMode()),
                Duration.ofSeconds(automation.graylistDelaySeconds()), startAt, now);
        long pending = messages.counts(queue.id()).get(MessageStatus.PENDING.wire());
        if (pending == 0) {
            throw ApiException.conflict("queue-has-no-recipients");
        }
        int cost = settings.creditCost().of(queue.category());
        queueCredits.reserve(queue, pending * cost);
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
     * reserving the queue's credit cost for each.
     */
    @Transactional
    QueueView retryFailed(long owner, long id) {
        Queue queue = queues.lock(owner, id).orElseThrow(QueueManagement::notFound);
        QueueStatus next = queue.status().retryFailed();
        long failed = messages.retryableFailures(id);
        if (failed > 0) {
            queueCredits.reserve(queue, failed * queue.creditCost());
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

    /**
     * An account deleted for good leaves nothing in messaging (its ledger stays in
     * plans): its messages, queues, drafts, lists, groups, customers and their field
     * names, sending accounts and settings, each table before those its rows point to.
     */
    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        long owner = deleted.accountId();
        messages.deleteOf(owner);
        queues.deleteOf(owner);
        drafts.deleteOf(owner);
        lists.deleteOf(owner);
        groups.deleteOf(owner);
        customers.deleteOf(owner);
        senders.deleteOf(owner);
        automations.deleteOf(owner);
        windows.deleteOf(owner);
        templates.deleteOf(owner);
        businessAccounts.deleteOf(owner);
    }

    QueueView view(Queue queue) {
        Map<String, Long> counts = messages.counts(queue.id());
        Instant finish = null;
        long remaining = counts.get(MessageStatus.PENDING.wire()) + counts.get(MessageStatus.SENDING.wire());
        if ((queue.status() == QueueStatus.RUNNING || queue.status() == QueueStatus.SCHEDULED) && remaining > 0) {
            Instant now = clock.instant();
            Instant from = queue.scheduledAt() != null && queue.scheduledAt().isAfter(now) ? queue.scheduledAt() : now;
            finish = from
                .plusSeconds(estimateSeconds(queue.ownerId(), queue, automations.of(queue.ownerId()), remaining, 0));
            Instant lastDue = messages.lastDue(queue.id());
            if (lastDue != null && lastDue.isAfter(finish)) {
                finish = lastDue;
            }
        }
        return new QueueView(queue, counts, queues.heldTotal(queue.id()), finish);
    }

    /**
     * Seconds to send {@code paced} messages at the accounts' combined pace (each account
     * the slower of its rate and the owner's delay; an account without either at
     * {@code unpaced-rate}), or the graylisted ones one per graylist delay, whichever
     * takes longer.
     */
    private long estimateSeconds(long owner, Queue queue, Automation automation, long paced, long graylisted) {
        double rate = 0;
        double delay = (automation.delayMs() + automation.jitterMs() / 2.0) / 1000.0;
        for (Sender sender : senders.byIds(queue.senderIds())) {
            if (sender.ownerId() == owner && sender.status().sends()) {
                double own = sender.ratePerSecond() == null ? settings.worker().unpacedRate() : sender.ratePerSecond();
                rate += delay > 0 ? Math.min(own, 1 / delay) : own;
            }
        }
        if (rate == 0) {
            return 0;
        }
        double seconds = paced / rate;
        return (long) Math.ceil(Math.max(seconds, graylisted * (double) automation.graylistDelaySeconds()));
    }

    /**
     * A template draft may be queued only from WhatsApp Cloud senders whose business
     * account has the template APPROVED, with exactly the body parameters it declares and
     * its media header (400 naming the field otherwise). Returns the template's category.
     */
    private String approvedTemplate(long owner, TemplateMessage wanted, List<Long> senderIds) {
        String category = null;
        for (Sender sender : senders.byIds(senderIds)) {
            if (!Sender.WHATSAPP_CLOUD.equals(sender.provider()) || sender.wabaId() == null) {
                throw ApiException.invalidField("sender_ids", "template-needs-business-account", sender.id());
            }
            MessageTemplate template = templates.find(owner, sender.wabaId(), wanted.name(), wanted.language())
                .orElseThrow(() -> ApiException.invalidField("draft_id", "template-unknown", wanted.name(),
                        wanted.language()));
            if (!MessageTemplate.APPROVED.equals(template.status())) {
                throw ApiException.invalidField("draft_id", "template-not-approved", template.name(),
                        template.status());
            }
            if (template.bodyParameters() != wanted.bodyParameters().size()) {
                throw ApiException.invalidField("draft_id", "template-parameter-count", template.bodyParameters(),
                        wanted.bodyParameters().size());
            }
            if (!java.util.Objects.equals(template.mediaHeader(), wanted.headerType())) {
                throw ApiException.invalidField("draft_id", "template-header-mismatch",
                        template.mediaHeader() == null ? "none" : template.mediaHeader());
            }
            category = template.category();
        }
        return category;
    }

    /**
     * Whether Meta's 24-hour service window limits the queue: a free-form queue with a
     * WhatsApp Cloud account among its senders (their recipients outside the window are
     * skipped when claimed).
     */
    private boolean serviceWindowApplies(long owner, Queue queue) {
        return queue.freeForm() && senders.byIds(queue.senderIds())
            .stream()
            .anyMatch(sender -> sender.ownerId() == owner && Sender.WHATSAPP_CLOUD.equals(sender.provider()));
    }

    private Queue find(long owner, long id) {
        return queues.byId(owner, id).orElseThrow(QueueManagement::notFound);
    }

    private static List<Long> owned(String field, List<Long> wanted, Set<Long> owned, String code) {
        List<Long> distinct = List.copyOf(new LinkedHashSet<>(wanted));
        distinct.stream().filter(id -> !owned.contains(id)).findFirst().ifPresent(unknown -> {
            throw ApiException.invalidField(field, code, unknown);
        });
        return distinct;
    }

    /** The variables the queue's text or template parameters use. */
    private static Set<String> variables(Queue queue) {
        if (queue.template() == null) {
            return Templates.variables(queue.body());
        }
        Set<String> variables = new LinkedHashSet<>();
        queue.template().bodyParameters().forEach(parameter -> variables.addAll(Templates.variables(parameter)));
        return variables;
    }

    static ApiException notFound() {
        return ApiException.notFound("queue-not-found");
    }

}
