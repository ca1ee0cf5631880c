package dev.kapi.messaging.queue;

import java.time.Clock;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.plans.Credits;

/**
 * Pays for queues through the credit ledger: credits for every recipient (the cost of the
 * queue's category, {@code kapi.messaging.credit-cost.*}) are reserved when a queue
 * starts (and for every resend), so a queue never spends beyond the balance; when it
 * ends, what was sent is spent and the rest — failed, skipped, cancelled — is given back.
 */
@Component
public class QueueCredits {

    private final Credits credits;

    private final Queues queues;

    private final QueueMessages messages;

    private final Clock clock;

    QueueCredits(Credits credits, Queues queues, QueueMessages messages, Clock clock) {
        this.credits = credits;
        this.queues = queues;
        this.messages = messages;
        this.clock = clock;
    }

    /**
     * Holds {@code amount} credits for the queue; 409 {@code insufficient-credits} when
     * the balance is smaller.
     */
    void reserve(Queue queue, long amount) {
        if (amount == 0) {
            return;
        }
        Credits.Reservation reservation = credits.reserve(queue.ownerId(), amount, "messaging queue " + queue.id());
        queues.hold(queue.id(), reservation.id(), amount, clock.instant());
    }

    /**
     * Settles an ended queue's reservations once nothing is in flight: the queue's credit
     * cost per message a provider accepted is spent, the rest refunded. Safe to call
     * again and from several instances (the queue row is locked, and each reservation is
     * settled once).
     */
    @Transactional
    public void settle(long queueId) {
        Queue queue = queues.lock(queueId).orElse(null);
        if (queue == null || !queue.ended() || messages.inFlight(queueId) > 0) {
            return;
        }
        long toCharge = messages.sentCount(queueId) * queue.creditCost() - queue.charged();
        long charged = 0;
        for (Queues.HeldCredits held : queues.held(queueId)) {
            long spent = Math.max(0, Math.min(held.amount(), toCharge - charged));
            credits.settle(held.reservationId(), spent);
            queues.settled(held.reservationId());
            charged += spent;
        }
        queues.charged(queueId, charged);
    }

}
