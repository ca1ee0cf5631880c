package dev.kapi.messaging.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What Meta's word on a template does to the queues that send it: a paused (or missing)
 * template holds them, paused with a reason and their credits still reserved; an active
 * one again releases only the queues held for a template reason; a disabled one cancels
 * them the way a user's cancel does, refunding what was not sent. No recipient fails.
 */
@Service
public class TemplateHolds {

    private static final Logger log = LoggerFactory.getLogger(TemplateHolds.class);

    private final Queues queues;

    private final QueueMessages messages;

    private final QueueCredits credits;

    private final Clock clock;

    TemplateHolds(Queues queues, QueueMessages messages, QueueCredits credits, Clock clock) {
        this.queues = queues;
        this.messages = messages;
        this.credits = credits;
        this.clock = clock;
    }

    /**
     * Holds every scheduled or running queue that sends the business account's template;
     * returns their ids.
     */
    @Transactional
    public List<Long> hold(String wabaId, String name, String language, String reason) {
        List<Long> held = queues.holdForTemplate(wabaId, name, language, reason, clock.instant());
        if (!held.isEmpty()) {
            log.info("Queues {} paused: template {} ({}) of business account {} is {}", held, name, language, wabaId,
                    reason);
        }
        return held;
    }

    /**
     * Releases the queues held for the business account's template (never those a user
     * paused); returns their ids.
     */
    @Transactional
    public List<Long> release(String wabaId, String name, String language) {
        return queues.releaseForTemplate(wabaId, name, language, clock.instant());
    }

    /**
     * Cancels every queue not ended that sends the business account's template (Meta
     * disabled it); returns their ids.
     */
    @Transactional
    public List<Long> cancel(String wabaId, String name, String language) {
        List<Long> cancelled = queues.usingTemplate(wabaId, name, language).stream().filter(this::cancelQueue).toList();
        if (!cancelled.isEmpty()) {
            log.info("Queues {} cancelled: template {} ({}) of business account {} is disabled", cancelled, name,
                    language, wabaId);
        }
        return cancelled;
    }

    /**
     * Holds one queue whose send Meta refused for its template, when it is scheduled or
     * running (inside the caller's transaction); returns whether it moved.
     */
    public boolean holdQueue(long queueId, String reason) {
        return queues.hold(queueId, reason, clock.instant());
    }

    /**
     * Cancels one queue as a user's cancel does (what waits is never sent, messages with
     * Meta finish, unspent credits are refunded once nothing is in flight), when it is
     * not ended; returns whether it moved. Called again for a cancelled queue (Meta's
     * answers to its other calls in flight, written later), it cancels what those put
     * back to pending.
     */
    public boolean cancelQueue(long queueId) {
        Queue queue = queues.lock(queueId).orElse(null);
        if (queue == null
                || (queue.status() != QueueStatus.CANCELLED && !queue.status().canMoveTo(QueueStatus.CANCELLED))) {
            return false;
        }
        Instant now = clock.instant();
        messages.cancelPending(queueId, now);
        if (queue.status() == QueueStatus.CANCELLED) {
            credits.settle(queueId);
            return false;
        }
        queues.move(queueId, queue.status(), QueueStatus.CANCELLED, now);
        credits.settle(queueId);
        return true;
    }

}
