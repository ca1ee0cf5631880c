package dev.kapi.messaging.sending;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.stereotype.Component;

import dev.kapi.messaging.queue.Queue;
import dev.kapi.messaging.queue.QueueMessages;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sender.Senders;

/**
 * The background sender. One round ({@link #runOnce}) recovers messages whose worker died
 * ({@link Recovery}), starts scheduled queues whose time has come
 * ({@link QueueProgress}), then for each sending account with work claims a batch of due
 * messages ({@link Claims}; its {@link Pacing} decides how many), sends them through the
 * account's provider ({@link ProviderCalls}) and records every outcome
 * ({@link Outcomes}); finally it completes queues with nothing left and settles their
 * credits. Everything it claims is claimed with {@code FOR UPDATE SKIP LOCKED}, so any
 * number of instances may run rounds at once without sending a message twice.
 */
@Component
public class MessageSender {

    private final Senders senders;

    private final Claims claims;

    private final ProviderCalls calls;

    private final Recovery recovery;

    private final QueueProgress progress;

    private final Clock clock;

    /** This instance's worker: its claims carry this id. */
    private final String worker = "worker-" + UUID.randomUUID();

    MessageSender(Senders senders, Claims claims, ProviderCalls calls, Recovery recovery, QueueProgress progress,
            Clock clock) {
        this.senders = senders;
        this.claims = claims;
        this.calls = calls;
        this.recovery = recovery;
        this.progress = progress;
        this.clock = clock;
    }

    /**
     * A batch claimed for one account: the messages to send, the queues they belong to,
     * and how many were claimed in all (those skipped at the claim included).
     */
    public record Batch(Sender sender, List<QueueMessages.Claimed> messages, Map<Long, Queue> queues, int claimed) {
    }

    /**
     * One round of work; returns how many messages it sent, skipped, failed or recovered.
     * Every account with work sends one batch, all accounts at once (each on its own
     * virtual thread). Safe to run concurrently.
     */
    public int runOnce() {
        int done = recoverAbandoned();
        startDueQueues();
        List<Future<Integer>> batches = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Sender sender : senders.withWork(clock.instant())) {
                batches.add(executor.submit(() -> sendFor(sender.id())));
            }
        }
        for (Future<Integer> batch : batches) {
            done += batch.resultNow();
        }
        finishQueues();
        return done;
    }

    /** The accounts that may send now and have a running queue with work. */
    List<Long> sendersWithWork() {
        return senders.withWork(clock.instant()).stream().map(Sender::id).toList();
    }

    /**
     * Rounds until a round does nothing (tests and the benchmark; never waits for time to
     * pass).
     */
    public int drain() {
        int total = 0;
        for (int done = runOnce(); done > 0; done = runOnce()) {
            total += done;
        }
        return total;
    }

    /**
     * Claims, sends and records one batch for the account; returns how many messages it
     * claimed (sent or skipped), 0 when it may not send now or has nothing due.
     */
    public int sendFor(long senderId) {
        Batch batch = claim(senderId);
        if (batch == null) {
            return 0;
        }
        if (!batch.messages().isEmpty()) {
            send(batch);
        }
        return batch.claimed();
    }

    /**
     * Claims due messages for an account ({@link Claims}); null when it may not send now.
     */
    public Batch claim(long senderId) {
        return claims.claim(senderId, worker);
    }

    /**
     * Sends a batch and waits until every outcome is recorded (the rounds of
     * {@link #runOnce} and the tests).
     */
    void send(Batch batch) {
        start(batch).join();
    }

    /**
     * Claims a batch for the account and starts sending it without waiting for the
     * answers: the lanes of {@link SenderSchedule} claim the next batch while this one's
     * calls are in flight, bounded by the account's pace and {@code max-in-flight}.
     * Returns how many messages it claimed (0: nothing it may send now).
     */
    public int dispatchFor(long senderId) {
        Batch batch = claim(senderId);
        if (batch == null) {
            return 0;
        }
        if (!batch.messages().isEmpty()) {
            start(batch);
        }
        return batch.claimed();
    }

    /**
     * Starts sending a batch ({@link ProviderCalls}); the future completes when every
     * outcome is written ({@link Outcomes}).
     */
    CompletableFuture<Void> start(Batch batch) {
        return calls.start(batch, worker);
    }

    /**
     * Marks one claimed message as being sent, just before its provider call; returns its
     * attempts counting this one, or -1 when it is no longer this worker's to send.
     */
    public int begin(QueueMessages.Claimed message) {
        return calls.begin(message, worker);
    }

    /** Recovers messages abandoned in {@code sending} ({@link Recovery}). */
    int recoverAbandoned() {
        return recovery.recoverAbandoned(worker);
    }

    /** Starts scheduled queues whose time has come ({@link QueueProgress}). */
    void startDueQueues() {
        progress.startDueQueues();
    }

    /**
     * Completes queues with nothing left and settles ended ones ({@link QueueProgress}).
     */
    void finishQueues() {
        progress.finishQueues();
    }

}
