package dev.kapi.messaging.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.kapi.messaging.automation.Automation;
import dev.kapi.messaging.automation.Automations;
import dev.kapi.messaging.draft.Templates;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sender.Senders;
import dev.kapi.messaging.sending.MessagingSettings;
import dev.kapi.messaging.whatsapp.BusinessAccounts;
import dev.kapi.messaging.whatsapp.MessagingLimit;
import dev.kapi.plans.Credits;

/**
 * What a queue will take, before and while it runs: its preflight (recipients after the
 * lists and the service window, credits, missing variables, the messaging tiers' wait)
 * and its estimated finish at its accounts' combined pace.
 */
@Component
final class QueueEstimates {

    private final QueueMessages messages;

    private final Recipients recipients;

    private final Senders senders;

    private final Automations automations;

    private final BusinessAccounts businessAccounts;

    private final Credits credits;

    private final MessagingSettings settings;

    private final Clock clock;

    QueueEstimates(QueueMessages messages, Recipients recipients, Senders senders, Automations automations,
            BusinessAccounts businessAccounts, Credits credits, MessagingSettings settings, Clock clock) {
        this.messages = messages;
        this.recipients = recipients;
        this.senders = senders;
        this.automations = automations;
        this.businessAccounts = businessAccounts;
        this.credits = credits;
        this.settings = settings;
        this.clock = clock;
    }

    record Preflight(long selected, long blacklisted, long graylisted, long graylistSkipped,
            boolean serviceWindowApplies, long insideServiceWindow, long outsideServiceWindow, long recipients,
            long creditsNeeded, long creditsAvailable, boolean enoughCredits, long estimatedSeconds,
            Map<String, Long> missingVariables, boolean messagingLimitApplies, long messagingLimitWaiting,
            Instant estimatedFinish, long deferred) {
    }

    /**
     * What the business accounts' messaging tiers do to a template queue: how many wait,
     * and until when.
     */
    record TierWait(long waiting, Instant lastSlot) {

        static final TierWait NONE = new TierWait(0, null);

    }

    /**
     * What starting would do: recipients after dedup and the lists, credits, duration,
     * missing variables.
     */
    Preflight preflight(long owner, Queue queue, long deferred) {
        Automation automation = automations.of(owner);
        Set<String> fields = variables(queue).stream()
            .filter(variable -> !Templates.BUILT_IN.contains(variable))
            .collect(Collectors.toCollection(LinkedHashSet::new));
        Recipients.Selection selection = recipients.select(owner, queue.groupIds(), queue.customerIds(), fields,
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
        long needed = this.recipients.cost(owner, queue.groupIds(), queue.customerIds(), queue.category(), skipGray,
                windowApplies, now);
        return new Preflight(selection.chosen(), selection.blacklisted(), selection.graylisted(), graySkipped,
                windowApplies, inside, eligible - inside, recipients, needed, available, available >= needed,
                Math.max(0, Duration.between(now, finish).toSeconds()), selection.missing(), !wabaIds.isEmpty(),
                wait.waiting(), finish, deferred);
    }

    /**
     * When a running or scheduled queue with {@code remaining} messages should be done:
     * at its accounts' pace from now (or from its start), or when its last message is due
     * (a graylist pace or a messaging tier pushed it), whichever is later.
     */
    Instant finish(Queue queue, long remaining) {
        Instant now = clock.instant();
        Instant from = queue.scheduledAt() != null && queue.scheduledAt().isAfter(now) ? queue.scheduledAt() : now;
        Instant finish = from
            .plusSeconds(estimateSeconds(queue.ownerId(), queue, automations.of(queue.ownerId()), remaining, 0));
        Instant lastDue = messages.lastDue(queue.id());
        return lastDue != null && lastDue.isAfter(finish) ? lastDue : finish;
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
        long already = this.recipients.reachedSince(owner, queue.groupIds(), queue.customerIds(), wabaIds,
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
     * Whether Meta's 24-hour service window limits the queue: a free-form queue with a
     * WhatsApp Cloud account among its senders (their recipients outside the window are
     * skipped when claimed).
     */
    private boolean serviceWindowApplies(long owner, Queue queue) {
        return queue.freeForm() && senders.byIds(queue.senderIds())
            .stream()
            .anyMatch(sender -> sender.ownerId() == owner && Sender.WHATSAPP_CLOUD.equals(sender.provider()));
    }

    /** The variables the queue's text or template parameters use. */
    private static Set<String> variables(Queue queue) {
        if (queue.rich() != null) {
            Set<String> variables = new LinkedHashSet<>();
            queue.rich().texts().values().forEach(text -> variables.addAll(Templates.variables(text)));
            return variables;
        }
        if (queue.template() == null) {
            return queue.body() == null ? Set.of() : Templates.variables(queue.body());
        }
        Set<String> variables = new LinkedHashSet<>();
        queue.template().bodyParameters().forEach(parameter -> variables.addAll(Templates.variables(parameter)));
        return variables;
    }

}
