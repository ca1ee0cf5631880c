package dev.kapi.messaging.sending;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.messaging.queue.MessageStatus;
import dev.kapi.messaging.pricing.Charges;
import dev.kapi.messaging.queue.QueueMessages;
import dev.kapi.messaging.queue.TemplateHolds;
import dev.kapi.messaging.sender.Senders;

/**
 * Records what providers answered: each message sent, failed for good, or back to pending
 * for a retry (the {@link RetryPolicy}), several answers in one transaction when they
 * arrive together, so that after a crash only calls in flight, or answered within the
 * last write, are uncertain; and once a batch's answers are all written, its account's
 * circuit breaker.
 */
@Component
final class Outcomes {

    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    private final QueueMessages messages;

    private final Charges charges;

    private final Senders senders;

    private final RetryPolicy retries;

    private final LocalPauses pauses;

    private final TransactionTemplate transactions;

    private final TemplateHolds templateHolds;

    private final Clock clock;

    /** Answers not written yet, and whether a thread is writing them now. */
    private final ConcurrentLinkedQueue<Answered> waiting = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean writing = new AtomicBoolean();

    Outcomes(QueueMessages messages, Charges charges, Senders senders, MessagingSettings settings, LocalPauses pauses,
            TransactionTemplate transactions, TemplateHolds templateHolds, Clock clock) {
        this.templateHolds = templateHolds;
        this.messages = messages;
        this.charges = charges;
        this.senders = senders;
        this.retries = RetryPolicy.of(settings.worker());
        this.pauses = pauses;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The calls of one batch: what they did to the account, and when all of them are
     * recorded.
     */
    static final class Group {

        private final long senderId;

        private final AtomicInteger left;

        private final AtomicInteger successes = new AtomicInteger();

        private final AtomicInteger failures = new AtomicInteger();

        private final AtomicReference<Provider.Failed> tripped = new AtomicReference<>();

        private final CompletableFuture<Void> done = new CompletableFuture<>();

        Group(long senderId, int calls) {
            this.senderId = senderId;
            this.left = new AtomicInteger(calls);
            if (calls == 0) {
                done.complete(null);
            }
        }

        /** Completes when every answer of the batch is written. */
        CompletableFuture<Void> done() {
            return done;
        }

    }

    /** A provider's answer waiting to be written. */
    private record Answered(long id, long queueId, int attempts, Provider.Result result, Group group) {
    }

    /**
     * A provider's answer to one call of a batch: a rate-limit or account failure pauses
     * the account at once on this instance (no further claims) until its breaker is
     * written when the batch ends. The answer is written now, or by the thread writing
     * already.
     */
    void answered(Group group, long messageId, long queueId, int attempts, Provider.Result result) {
        if (result instanceof Provider.Failed failed) {
            if (retries.tripsAtOnce(failed)) {
                group.tripped.compareAndSet(null, failed);
                pauses.pause(group.senderId, clock.instant().plus(retries.pauseAfter(failed).duration()));
            }
            if (retries.countsAgainstAccount(failed)) {
                group.failures.incrementAndGet();
            }
        }
        else {
            group.successes.incrementAndGet();
        }
        waiting.add(new Answered(messageId, queueId, attempts, result, group));
        record();
    }

    /**
     * Writes the answers that arrived: the thread that finds no write going on writes
     * everything waiting, in one transaction, and again while more came meanwhile; the
     * others leave theirs to it. A batch whose answers are all written gets its account's
     * breaker updated and its future completed.
     */
    private void record() {
        while (!waiting.isEmpty() && writing.compareAndSet(false, true)) {
            List<Answered> chunk = new ArrayList<>();
            try {
                while (chunk.size() < 1_000) {
                    Answered answered = waiting.poll();
                    if (answered == null) {
                        break;
                    }
                    chunk.add(answered);
                }
                try {
                    write(chunk);
                }
                catch (RuntimeException ex) {
                    log.error("{} outcomes could not be recorded; their messages stay in sending until recovered",
                            chunk.size(), ex);
                }
            }
            finally {
                writing.set(false);
            }
            for (Answered answered : chunk) {
                Group group = answered.group();
                if (group.left.decrementAndGet() == 0) {
                    try {
                        transactions.executeWithoutResult(status -> recordAccount(group.senderId, group.successes.get(),
                                group.failures.get(), group.tripped.get(), clock.instant()));
                    }
                    catch (RuntimeException ex) {
                        log.error("The breaker of sending account {} could not be updated", group.senderId, ex);
                    }
                    finally {
                        if (group.tripped.get() != null) {
                            pauses.lift(group.senderId);
                        }
                        group.done.complete(null);
                    }
                }
            }
        }
    }

    /**
     * Records answers: sent, failed for good, or back to pending for a retry (the
     * {@link RetryPolicy}).
     */
    private void write(List<Answered> chunk) {
        List<Long> sentIds = new ArrayList<>();
        List<String> providerIds = new ArrayList<>();
        List<Long> billedIds = new ArrayList<>();
        List<QueueMessages.Outcome> again = new ArrayList<>();
        List<QueueMessages.Outcome> failed = new ArrayList<>();
        List<QueueMessages.Outcome> held = new ArrayList<>();
        List<Answered> deferred = new ArrayList<>();
        Map<Long, RetryPolicy.Hold> holds = new LinkedHashMap<>();
        for (Answered answered : chunk) {
            switch (answered.result()) {
                case Provider.Accepted accepted -> {
                    sentIds.add(answered.id());
                    providerIds.add(accepted.providerMessageId());
                    if (accepted.billed()) {
                        billedIds.add(answered.id());
                    }
                }
                case Provider.Failed failure -> {
                    switch (retries.decide(failure, answered.attempts())) {
                        case RetryPolicy.Retry retry -> again.add(new QueueMessages.Outcome(answered.id(), null, null,
                                failure.code(), failure.reason(), true, retry.after()));
                        case RetryPolicy.Fail fail -> failed.add(new QueueMessages.Outcome(answered.id(),
                                MessageStatus.FAILED, null, failure.code(), failure.reason(), fail.retryable(), null));
                        case RetryPolicy.Defer defer -> deferred.add(answered);
                        case RetryPolicy.Hold hold -> {
                            held.add(new QueueMessages.Outcome(answered.id(), null, null, failure.code(),
                                    failure.reason(), true, null));
                            holds.merge(answered.queueId(), hold, (a, b) -> a.cancel() ? a : b);
                        }
                    }
                }
            }
        }
        if (held.isEmpty() && deferred.isEmpty()) {
            write(sentIds, providerIds, billedIds, again, false, failed);
            return;
        }
        transactions.executeWithoutResult(status -> {
            Instant now = clock.instant();
            messages.markSent(sentIds, providerIds, now);
            charges.chargeAccepted(billedIds, now);
            messages.release(again, false, now);
            messages.release(held, true, now);
            messages.markFailed(failed, now);
            for (Answered answered : deferred) {
                Provider.Failed cap = (Provider.Failed) answered.result();
                messages.defer(List.of(answered.id()), retries.marketingCapDelays(), cap.code(), cap.reason(), now);
            }
            holds.forEach((queueId, hold) -> {
                if (hold.cancel()) {
                    templateHolds.cancelQueue(queueId);
                }
                else {
                    templateHolds.holdQueue(queueId, hold.reason());
                }
            });
        });
        if (!holds.isEmpty()) {
            log.warn("Meta refused the template of queues {}: {}", holds.keySet(), holds.values());
        }
    }

    /**
     * Writes outcomes in one transaction: messages sent (with the providers' ids), back
     * to pending ({@code uncount}: their attempt did not reach the provider), failed.
     */
    void write(List<Long> sentIds, List<String> providerIds, List<Long> billedIds, List<QueueMessages.Outcome> again,
            boolean uncount, List<QueueMessages.Outcome> failed) {
        transactions.executeWithoutResult(status -> {
            Instant now = clock.instant();
            messages.markSent(sentIds, providerIds, now);
            charges.chargeAccepted(billedIds, now);
            messages.release(again, uncount, now);
            messages.markFailed(failed, now);
        });
    }

    /**
     * A batch's effect on its account's circuit breaker: a failure that trips at once, or
     * too many in a row.
     */
    private void recordAccount(long senderId, int successes, int failures, Provider.Failed tripped, Instant now) {
        senders.recordOutcome(senderId, successes, failures);
        if (tripped != null) {
            if (tripped.banned()) {
                senders.markBannedSuspected(senderId, RetryPolicy.describe(tripped), now);
            }
            RetryPolicy.Pause pause = retries.pauseAfter(tripped);
            senders.openBreaker(senderId, now.plus(pause.duration()), pause.reason());
            log.warn("Sending account {} paused for {}: {} {}", senderId, pause.duration(), tripped.code(),
                    tripped.reason());
        }
        else if (failures > 0 && retries.tooManyInARow(senders.consecutiveFailures(senderId))) {
            RetryPolicy.Pause pause = retries.failuresPause();
            senders.openBreaker(senderId, now.plus(pause.duration()), pause.reason());
            log.warn("Sending account {} paused for {} after {} failures in a row", senderId, pause.duration(),
                    retries.breakerThreshold());
        }
    }

}
