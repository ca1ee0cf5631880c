package dev.kapi.messaging.sending;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.messaging.automation.Automation;
import dev.kapi.messaging.automation.Automations;
import dev.kapi.messaging.queue.Queue;
import dev.kapi.messaging.queue.QueueMessages;
import dev.kapi.messaging.queue.Queues;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sender.Senders;

/**
 * Claims a sending account's next batch inside one transaction that holds the account's
 * row: {@link Pacing} says how many, and that many due messages of its running queues are
 * claimed by the worker (still {@code pending}, with a lease: they become {@code sending}
 * one by one, just before each provider call). Numbers blacklisted since the queue
 * started are skipped here, and so are the recipients of a free-form queue outside their
 * 24-hour service window, and template messages over the business account's messaging
 * tier wait ({@link Screening}).
 */
@Component
final class Claims {

    private final Senders senders;

    private final Queues queues;

    private final QueueMessages messages;

    private final Automations automations;

    private final Screening screening;

    private final Pacing pacing;

    private final MessagingSettings.Worker settings;

    private final LocalPauses pauses;

    private final TransactionTemplate transactions;

    private final Clock clock;

    Claims(Senders senders, Queues queues, QueueMessages messages, Automations automations, Screening screening,
            MessagingSettings settings, LocalPauses pauses, TransactionTemplate transactions, Clock clock) {
        this.senders = senders;
        this.queues = queues;
        this.messages = messages;
        this.automations = automations;
        this.screening = screening;
        this.settings = settings.worker();
        this.pacing = Pacing.of(this.settings);
        this.pauses = pauses;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The account's batch for {@code worker}, or null when it may not send now (not
     * active, its circuit open, paused on this instance, outside its owner's sending
     * hours).
     */
    MessageSender.Batch claim(long senderId, String worker) {
        return transactions.execute(status -> {
            Sender sender = senders.tryLock(senderId).orElse(null);
            Instant now = clock.instant();
            if (sender == null || !sender.status().sends() || sender.circuitOpen(now) || pauses.paused(senderId, now)) {
                return null;
            }
            Automation automation = automations.of(sender.ownerId());
            Pacing.Allowance allowance = pacing
                .allowance(sender, automation, automation.nextDelaySeconds(),
                        () -> senders.ownerCount(sender.ownerId(), automation.today(now)), now)
                .orElse(null);
            if (allowance == null) {
                return null;
            }
            int allowed = allowance.messages();
            List<QueueMessages.Claimed> claimed = new ArrayList<>();
            Map<Long, Queue> byQueue = new HashMap<>();
            Instant leaseCutoff = now.minus(settings.lease());
            if (allowed > 0) {
                for (long queueId : queues.runningFor(sender.ownerId(), sender.id())) {
                    List<QueueMessages.Claimed> got = messages.claim(queueId, sender.id(), worker,
                            allowed - claimed.size(), now, leaseCutoff);
                    if (!got.isEmpty()) {
                        byQueue.put(queueId, queues.byId(sender.ownerId(), queueId).orElseThrow());
                        claimed.addAll(got);
                    }
                    if (claimed.size() >= allowed) {
                        break;
                    }
                }
            }
            int total = claimed.size();
            int deferred = screening.screen(sender, claimed, byQueue, worker, now);
            senders.claimed(sender.id(), allowance.tokensAfter(total - deferred), now, allowance.today(),
                    sender.sentOn(allowance.today()) + total - deferred);
            return new MessageSender.Batch(sender, claimed, byQueue, total - deferred);
        });
    }

}
