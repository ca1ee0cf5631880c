package dev.kapi.messaging.sending;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.identity.AccountDirectory;
import dev.kapi.messaging.QueueFinished;
import dev.kapi.messaging.queue.Queue;
import dev.kapi.messaging.queue.QueueCredits;
import dev.kapi.messaging.queue.QueueMessages;
import dev.kapi.messaging.queue.QueueStatus;
import dev.kapi.messaging.queue.Queues;

/**
 * The sender's moves of whole queues: a scheduled queue runs when its time comes (unless
 * its owner's account is frozen), deferred messages whose time came are pending again, a
 * running one completes when nothing is left to send ({@link QueueFinished}), and an
 * ended one gets its credits settled.
 */
@Component
final class QueueProgress {

    private static final Logger log = LoggerFactory.getLogger(QueueProgress.class);

    /** The most deferred messages made pending again in one round. */
    private static final int UNDEFER_BATCH = 10_000;

    private final Queues queues;

    private final QueueMessages messages;

    private final QueueCredits credits;

    private final AccountDirectory accounts;

    private final ApplicationEventPublisher events;

    private final TransactionTemplate transactions;

    private final Clock clock;

    QueueProgress(Queues queues, QueueMessages messages, QueueCredits credits, AccountDirectory accounts,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock) {
        this.queues = queues;
        this.messages = messages;
        this.credits = credits;
        this.accounts = accounts;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Scheduled queues whose time has come start running, unless their owner's account is
     * frozen.
     */
    void startDueQueues() {
        Instant now = clock.instant();
        messages.undefer(now, UNDEFER_BATCH);
        List<Queue> due = queues.due(now);
        if (due.isEmpty()) {
            return;
        }
        Set<Long> frozen = accounts.frozen(due.stream().map(Queue::ownerId).distinct().toList());
        for (Queue queue : due) {
            if (!frozen.contains(queue.ownerId())) {
                queues.move(queue.id(), QueueStatus.SCHEDULED, QueueStatus.RUNNING, now);
            }
        }
    }

    /**
     * Running queues with nothing left to send complete; ended queues get their credits
     * settled.
     */
    void finishQueues() {
        transactions.executeWithoutResult(status -> {
            Instant now = clock.instant();
            for (long queueId : queues.completeFinished(now)) {
                queues.lock(queueId)
                    .ifPresent(queue -> events.publishEvent(new QueueFinished(queueId, queue.ownerId(), now)));
            }
        });
        for (long queueId : queues.toSettle()) {
            try {
                credits.settle(queueId);
            }
            catch (RuntimeException ex) {
                // one queue's failed settlement is rolled back and done again next round;
                // it does not hold back the others
                log.warn("Settling queue {} failed; it is tried again next round", queueId, ex);
            }
        }
    }

}
