package dev.kapi.messaging;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.identity.AccountDirectory;

/**
 * The background sender. One round ({@link #runOnce}) recovers messages whose worker
 * died, starts scheduled queues whose time has come, then for each sending account with
 * work claims a batch of due messages (its token bucket, daily caps and sending hours
 * decide how many), sends them through the account's provider and records every outcome;
 * finally it completes queues with nothing left and settles their credits. Everything it
 * claims is claimed with {@code FOR UPDATE SKIP LOCKED}, so any number of instances may
 * run rounds at once without sending a message twice.
 */
@Component
class MessageSender {

    private static final Logger log = LoggerFactory.getLogger(MessageSender.class);

    private final Senders senders;

    private final Queues queues;

    private final QueueMessages messages;

    private final ListEntries lists;

    private final Automations automations;

    private final QueueCredits credits;

    private final AccountDirectory accounts;

    private final Map<String, Provider> providers;

    private final Customers customers;

    private final ServiceWindows windows;

    private final BusinessAccounts businessAccounts;

    private final ApplicationEventPublisher events;

    private final MessagingSettings.Worker settings;

    private final RetryPolicy retries;

    private final TransactionTemplate transactions;

    private final Clock clock;

    private final String worker = "worker-" + UUID.randomUUID();

    /** Provider calls in flight on this instance, at most {@code max-in-flight}. */
    private final Semaphore inFlight;

    MessageSender(Senders senders, Queues queues, QueueMessages messages, ListEntries lists, Automations automations,
            QueueCredits credits, AccountDirectory accounts, List<Provider> providers, Customers customers,
            ServiceWindows windows, BusinessAccounts businessAccounts, ApplicationEventPublisher events,
            MessagingSettings settings, TransactionTemplate transactions, Clock clock) {
        this.businessAccounts = businessAccounts;
        this.events = events;
        this.windows = windows;
        this.senders = senders;
        this.queues = queues;
        this.messages = messages;
        this.lists = lists;
        this.automations = automations;
        this.credits = credits;
        this.accounts = accounts;
        this.providers = providers.stream().collect(Collectors.toMap(Provider::name, provider -> provider));
        this.customers = customers;
        this.settings = settings.worker();
        this.retries = RetryPolicy.of(this.settings);
        this.inFlight = new Semaphore(Math.max(1, this.settings.maxInFlight()));
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * A batch claimed for one account: the messages to send, the queues they belong to,
     * and how many were claimed in all (those skipped at the claim included).
     */
    record Batch(Sender sender, List<QueueMessages.Claimed> messages, Map<Long, Queue> queues, int claimed) {
    }

    /**
     * One round of work; returns how many messages it sent, skipped, failed or recovered.
     * Every account with work sends one batch, all accounts at once (each on its own
     * virtual thread). Safe to run concurrently.
     */
    int runOnce() {
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
    int drain() {
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
    int sendFor(long senderId) {
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
     * Claims due messages for an account inside one transaction that holds the account's
     * row: its {@link TokenBucket} ({@code rate_per_second}, and the owner's delay with
     * jitter) refills by the time passed, the sending hours and both daily caps are
     * checked, and as many messages as allowed are claimed by this worker (still
     * {@code pending}, with a lease: they become {@code sending} one by one, just before
     * each provider call). Numbers blacklisted since the queue started are skipped here,
     * and so are the recipients of a free-form queue outside their 24-hour service window
     * when the account is a WhatsApp Cloud one ({@code outside-service-window}).
     */
    Batch claim(long senderId) {
        return transactions.execute(status -> {
            Sender sender = senders.tryLock(senderId).orElse(null);
            Instant now = clock.instant();
            if (sender == null || !sender.status().sends() || sender.circuitOpen(now)
                    || localPauses.getOrDefault(senderId, Instant.MIN).isAfter(now)) {
                return null;
            }
            Automation automation = automations.of(sender.ownerId());
            if (!automation.withinSendingHours(now)) {
                return null;
            }
            LocalDate today = automation.today(now);
            int allowed = Math.min(settings.batchSize(), Math.max(1, settings.maxInFlight()));
            if (sender.dailyCap() != null) {
                allowed = Math.min(allowed, sender.dailyCap() - sender.sentOn(today));
            }
            if (automation.dailyCap() != null) {
                allowed = Math.min(allowed, automation.dailyCap() - senders.ownerCount(sender.ownerId(), today));
            }
            TokenBucket bucket = TokenBucket.of(sender, automation.nextDelaySeconds(), settings.pollInterval(), now);
            allowed = bucket.allows(allowed);
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
            Set<String> blacklisted = lists.listed(sender.ownerId(), ListEntries.BLACK,
                    claimed.stream().map(QueueMessages.Claimed::phone).toList());
            if (!blacklisted.isEmpty()) {
                messages.skip(claimed.stream()
                    .filter(m -> blacklisted.contains(m.phone()))
                    .map(QueueMessages.Claimed::id)
                    .toList(), "blacklisted", now);
                claimed.removeIf(m -> blacklisted.contains(m.phone()));
            }
            if (Sender.WHATSAPP_CLOUD.equals(sender.provider())) {
                Set<String> open = windows.open(sender.ownerId(),
                        claimed.stream()
                            .filter(m -> byQueue.get(m.queueId()).freeForm())
                            .map(QueueMessages.Claimed::phone)
                            .toList(),
                        now);
                List<QueueMessages.Claimed> outside = claimed.stream()
                    .filter(m -> byQueue.get(m.queueId()).freeForm() && !open.contains(m.phone()))
                    .toList();
                messages.skip(outside.stream().map(QueueMessages.Claimed::id).toList(), "outside-service-window", now);
                claimed.removeAll(outside);
            }
            int deferred = 0;
            if (sender.wabaId() != null) {
                List<QueueMessages.Claimed> templated = claimed.stream()
                    .filter(m -> !byQueue.get(m.queueId()).freeForm())
                    .toList();
                if (!templated.isEmpty()) {
                    BusinessAccounts.Admission admission = businessAccounts.admit(sender.ownerId(), sender.wabaId(),
                            templated.stream().map(QueueMessages.Claimed::phone).toList(), now);
                    List<QueueMessages.Claimed> waiting = templated.stream()
                        .filter(m -> !admission.admitted().contains(m.phone()))
                        .toList();
                    if (!waiting.isEmpty()) {
                        messages.defer(waiting.stream().map(QueueMessages.Claimed::id).toList(), worker,
                                admission.retryAt(), now);
                        claimed.removeAll(waiting);
                        deferred = waiting.size();
                    }
                }
            }
            senders.claimed(sender.id(), bucket.take(total - deferred).tokens(), now, today,
                    sender.sentOn(today) + total - deferred);
            return new Batch(sender, claimed, byQueue, total - deferred);
        });
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
    int dispatchFor(long senderId) {
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
     * Starts sending a batch: first a permit per message ({@code max-in-flight} per
     * instance; waits while the instance is at its bound), then the whole batch becomes
     * {@code sending} in one statement, just before its calls, which all start at once,
     * each on its own virtual thread. Outcomes are written as they come, several in one
     * transaction when they arrive together ({@link #record}), so that after a crash only
     * calls in flight, or answered within the last write, are uncertain. A rate-limit or
     * account failure pauses the account at once on this instance (no further claims) and
     * in the database when the batch ends, where its circuit breaker is updated once for
     * the batch. The future completes when every outcome is written.
     */
    java.util.concurrent.CompletableFuture<Void> start(Batch batch) {
        Provider provider = providers.get(batch.sender().provider());
        int size = batch.messages().size();
        inFlight.acquireUninterruptibly(size);
        Map<Long, Integer> attempts;
        try {
            attempts = messages.beginAll(batch.messages().stream().map(QueueMessages.Claimed::id).toList(), worker,
                    clock.instant());
        }
        catch (RuntimeException ex) {
            inFlight.release(size);
            throw ex;
        }
        inFlight.release(size - attempts.size());
        Group group = new Group(batch.sender().id(), attempts.size());
        if (attempts.isEmpty()) {
            group.done.complete(null);
            return group.done;
        }
        for (QueueMessages.Claimed message : batch.messages()) {
            Integer tries = attempts.get(message.id());
            if (tries == null) {
                continue;
            }
            Thread.ofVirtual().start(() -> {
                Provider.Result result;
                try {
                    result = provider.send(batch.sender(), outgoing(batch, message));
                }
                catch (RuntimeException ex) {
                    log.warn("Send of message {} failed unexpectedly", message.id(), ex);
                    result = Provider.Failed.of(Provider.Kind.TEMPORARY, "provider-error",
                            "The provider could not be reached");
                }
                finally {
                    inFlight.release();
                }
                if (result instanceof Provider.Failed failed) {
                    if (retries.tripsAtOnce(failed)) {
                        group.tripped.compareAndSet(null, failed);
                        localPauses.put(batch.sender().id(),
                                clock.instant().plus(retries.pauseAfter(failed).duration()));
                    }
                    if (retries.countsAgainstAccount(failed)) {
                        group.failures.incrementAndGet();
                    }
                }
                else {
                    group.successes.incrementAndGet();
                }
                outcomes.add(new Answered(message.id(), tries, result, group));
                record();
            });
        }
        return group.done;
    }

    /**
     * The calls of one batch: what they did to the account, and when all of them are
     * recorded.
     */
    private static final class Group {

        final long senderId;

        final AtomicInteger left;

        final AtomicInteger successes = new AtomicInteger();

        final AtomicInteger failures = new AtomicInteger();

        final AtomicReference<Provider.Failed> tripped = new AtomicReference<>();

        final java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();

        Group(long senderId, int calls) {
            this.senderId = senderId;
            this.left = new AtomicInteger(calls);
        }

    }

    /** A provider's answer waiting to be written. */
    private record Answered(long id, int attempts, Provider.Result result, Group group) {
    }

    /** Answers not written yet, and whether a thread is writing them now. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Answered> outcomes = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private final AtomicBoolean writing = new AtomicBoolean();

    /**
     * Accounts paused by an answer on this instance, until their breaker is written when
     * the batch ends.
     */
    private final Map<Long, Instant> localPauses = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Writes the answers that arrived: the thread that finds no write going on writes
     * everything waiting, in one transaction, and again while more came meanwhile; the
     * others leave theirs to it. A batch whose answers are all written gets its account's
     * breaker updated and its future completed.
     */
    private void record() {
        while (!outcomes.isEmpty() && writing.compareAndSet(false, true)) {
            List<Answered> chunk = new ArrayList<>();
            try {
                while (chunk.size() < 1_000) {
                    Answered answered = outcomes.poll();
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
                            localPauses.remove(group.senderId);
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
        List<QueueMessages.Outcome> again = new ArrayList<>();
        List<QueueMessages.Outcome> failed = new ArrayList<>();
        for (Answered answered : chunk) {
            switch (answered.result()) {
                case Provider.Accepted accepted -> {
                    sentIds.add(answered.id());
                    providerIds.add(accepted.providerMessageId());
                }
                case Provider.Failed failure -> {
                    switch (retries.decide(failure, answered.attempts())) {
                        case RetryPolicy.Retry retry -> again.add(new QueueMessages.Outcome(answered.id(), null, null,
                                failure.code(), failure.reason(), true, retry.after()));
                        case RetryPolicy.Fail fail -> failed.add(new QueueMessages.Outcome(answered.id(),
                                MessageStatus.FAILED, null, failure.code(), failure.reason(), fail.retryable(), null));
                    }
                }
            }
        }
        transactions.executeWithoutResult(status -> {
            Instant now = clock.instant();
            messages.markSent(sentIds, providerIds, now);
            messages.release(again, false, now);
            messages.markFailed(failed, now);
        });
    }

    /**
     * Marks one claimed message as being sent, just before its provider call; returns its
     * attempts counting this one, or -1 when it is no longer this worker's to send
     * (cancelled, skipped, or claimed by another after this worker's claim ran out).
     */
    int begin(QueueMessages.Claimed message) {
        return messages.begin(message.id(), worker, clock.instant());
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

    /**
     * Messages left in {@code sending} longer than the lease belong to a worker that died
     * between the send and its record. Each is looked up with its provider by its
     * idempotency key: accepted means sent (it is recorded, not resent), not accepted
     * means pending again; a provider that cannot tell gets the message marked failed
     * with {@code outcome-unknown}, because sending it twice is worse than not at all.
     */
    int recoverAbandoned() {
        Instant now = clock.instant();
        List<QueueMessages.Abandoned> abandoned = transactions
            .execute(status -> messages.claimAbandoned(now.minus(settings.lease()), worker, settings.batchSize(), now));
        if (abandoned == null || abandoned.isEmpty()) {
            return 0;
        }
        Map<Long, Sender> byId = new HashMap<>();
        senders
            .byIds(abandoned.stream()
                .map(QueueMessages.Abandoned::senderId)
                .filter(java.util.Objects::nonNull)
                .distinct()
                .toList())
            .forEach(sender -> byId.put(sender.id(), sender));
        List<Long> sentIds = new ArrayList<>();
        List<String> providerIds = new ArrayList<>();
        List<QueueMessages.Outcome> unknown = new ArrayList<>();
        List<QueueMessages.Outcome> notSent = new ArrayList<>();
        for (QueueMessages.Abandoned message : abandoned) {
            Sender sender = message.senderId() == null ? null : byId.get(message.senderId());
            Provider.Lookup lookup = sender == null ? new Provider.Unknown()
                    : providers.get(sender.provider()).lookup(sender, Message.idempotencyKey(message.id()));
            switch (lookup) {
                case Provider.WasSent sent -> {
                    sentIds.add(message.id());
                    providerIds.add(sent.providerMessageId());
                }
                case Provider.NotSent notSentYet ->
                    notSent.add(new QueueMessages.Outcome(message.id(), null, null, null, null, null, null));
                case Provider.Unknown cannotTell -> unknown.add(new QueueMessages.Outcome(message.id(),
                        MessageStatus.FAILED, null, QueueMessages.UNKNOWN_OUTCOME,
                        "The sender stopped while sending; not resent to avoid a double", false, null));
            }
        }
        transactions.executeWithoutResult(status -> {
            Instant recorded = clock.instant();
            messages.markSent(sentIds, providerIds, recorded);
            messages.release(notSent, true, recorded);
            messages.markFailed(unknown, recorded);
        });
        log.info("Recovered {} abandoned messages: {} had been sent, {} were not, {} unknown", abandoned.size(),
                sentIds.size(), notSent.size(), unknown.size());
        return abandoned.size();
    }

    /**
     * Scheduled queues whose time has come start running, unless their owner's account is
     * frozen.
     */
    void startDueQueues() {
        Instant now = clock.instant();
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
            credits.settle(queueId);
        }
    }

    /**
     * The message for one recipient: the queue's text, or its template's body parameters,
     * filled from the customer.
     */
    private Provider.Outgoing outgoing(Batch batch, QueueMessages.Claimed message) {
        Map<String, String> fields = message.fields() == null ? Map.of() : parseFields(message.fields());
        Queue queue = batch.queues().get(message.queueId());
        String key = Message.idempotencyKey(message.id());
        if (queue.template() != null) {
            TemplateMessage template = queue.template();
            return new Provider.Outgoing(key, message.phone(), null,
                    new TemplateMessage(template.name(), template.language(), template.headerType(),
                            template.headerLink(),
                            template.bodyParameters()
                                .stream()
                                .map(parameter -> Templates.render(parameter, message.name(), message.phone(), fields))
                                .toList()));
        }
        return new Provider.Outgoing(key, message.phone(),
                Templates.render(queue.body(), message.name(), message.phone(), fields));
    }

    private Map<String, String> parseFields(String json) {
        return customers.readFields(json);
    }

}
