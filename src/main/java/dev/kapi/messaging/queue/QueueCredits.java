package dev.kapi.messaging.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.messaging.pricing.Charges;
import dev.kapi.messaging.pricing.PricingSettings;
import dev.kapi.plans.Credits;

/**
 * Pays for queues through the credit ledger: the credits held for every recipient (the
 * rate card's price for its market and the queue's category) are reserved when a queue
 * starts (and for every resend), so a queue never spends beyond the balance. A message is
 * charged once, on Meta's first billable status callback ({@link Charges}); when the
 * queue has ended and every sent message has Meta's word (charged, free, failed) or was
 * sent longer than the charge window ago, what was charged is spent and the rest is given
 * back. Meta may bill a message in a dearer category than the queue's (a utility template
 * billed as marketing): what its charges come to beyond the holds is then spent from the
 * balance as far as it goes, the rest recorded as uncovered.
 */
@Component
public class QueueCredits {

    private final Credits credits;

    private final Queues queues;

    private final QueueMessages messages;

    private final Charges charges;

    private final PricingSettings pricing;

    private final Clock clock;

    QueueCredits(Credits credits, Queues queues, QueueMessages messages, Charges charges, PricingSettings pricing,
            Clock clock) {
        this.credits = credits;
        this.queues = queues;
        this.messages = messages;
        this.charges = charges;
        this.pricing = pricing;
        this.clock = clock;
    }

    /**
     * Holds {@code amount} credits for the queue; 409 {@code insufficient-credits} when
     * the balance is smaller. Nothing to hold (every message free at the card's price)
     * still records an empty hold, with no ledger reservation behind it: the queue's
     * messages are then charged what Meta bills and settled like any other's.
     */
    void reserve(Queue queue, long amount) {
        if (amount == 0) {
            queues.hold(queue.id(), UUID.randomUUID(), 0, clock.instant());
            return;
        }
        Credits.Reservation reservation = credits.reserve(queue.ownerId(), amount, "messaging queue " + queue.id());
        queues.hold(queue.id(), reservation.id(), amount, clock.instant());
    }

    /**
     * Settles an ended queue's reservations once nothing is in flight and no sent message
     * waits for its price (within the charge window): what its messages were charged is
     * spent, the rest refunded. Safe to call again and from several instances (the queue
     * row is locked, and each reservation is settled once).
     */
    @Transactional
    public void settle(long queueId) {
        Instant cutoff = clock.instant().minus(pricing.chargeWindow());
        // Looked at first without the lock: a queue waiting for Meta's prices is asked
        // every round for up to the charge window.
        if (messages.awaitingCharge(queueId, cutoff)) {
            return;
        }
        Queue queue = queues.lock(queueId).orElse(null);
        if (queue == null || !queue.ended() || messages.inFlight(queueId) > 0
                || messages.awaitingCharge(queueId, cutoff)) {
            return;
        }
        long toCharge = charges.sumOf(queueId) - queue.charged() - queue.creditsUncovered();
        long charged = 0;
        for (Queues.HeldCredits held : queues.held(queueId)) {
            long spent = Math.max(0, Math.min(held.amount(), toCharge - charged));
            if (held.amount() > 0) {
                credits.settle(held.reservationId(), spent);
            }
            queues.settled(held.reservationId());
            charged += spent;
        }
        long beyond = toCharge - charged;
        if (beyond > 0) {
            charged += spendBeyond(queue, beyond);
        }
        queues.charged(queueId, charged);
    }

    /**
     * Spends from the owner's balance what Meta billed beyond the queue's holds (messages
     * billed in a dearer category than the queue's), as one ledger entry naming the
     * queue; what the balance cannot cover is recorded on the queue
     * ({@code credits_uncovered}) and never taken later. The balance is read and taken in
     * one step under the ledger's lock ({@link Credits#reserveUpTo}), so a spend
     * elsewhere at the same moment leaves less covered, never a refused settlement. Runs
     * under the queue's lock, which a second settlement waits for and then finds nothing
     * beyond. Returns what was spent.
     */
    private long spendBeyond(Queue queue, long beyond) {
        Optional<Credits.Reservation> extra = credits.reserveUpTo(queue.ownerId(), beyond,
                "messaging queue " + queue.id() + " billed above its holds");
        long covered = extra.map(Credits.Reservation::amount).orElse(0L);
        extra.ifPresent(reservation -> {
            queues.hold(queue.id(), reservation.id(), covered, clock.instant());
            credits.commit(reservation.id());
            queues.settled(reservation.id());
        });
        if (beyond > covered) {
            queues.uncovered(queue.id(), beyond - covered);
        }
        return covered;
    }

}
