package dev.kapi.plans;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;

import static dev.kapi.plans.Ledger.CREDIT;
import static dev.kapi.plans.Ledger.DEBIT;

/**
 * The credit use cases: an admin loads credits or sets an account's totals (seeds 001,
 * 004), a spender reserves credits and then commits or refunds them. Every change is a
 * ledger entry written under the account's balance lock, which is what keeps the credit
 * from going below zero under concurrent spends.
 */
@Service
class CreditManagement implements Credits {

    private final Ledger ledger;

    private final Reservations reservations;

    private final Clock clock;

    CreditManagement(Ledger ledger, Reservations reservations, Clock clock) {
        this.ledger = ledger;
        this.reservations = reservations;
        this.clock = clock;
    }

    @Override
    @Transactional(readOnly = true)
    public Balance balanceOf(long accountId) {
        return ledger.balanceOf(accountId);
    }

    @Override
    @Transactional(readOnly = true)
    public Map<Long, Balance> balancesOf(Collection<Long> accountIds) {
        return ledger.balancesOf(accountIds);
    }

    @Override
    @Transactional
    public Balance setTotals(long accountId, Long credit, Long debit, Long actorId, String note) {
        requireNotNegative("credit", credit);
        requireNotNegative("debit", debit);
        Balance current = ledger.lock(accountId);
        if (credit != null && credit != current.credit()) {
            ledger.append(new Ledger.NewEntry(accountId, CREDIT, credit - current.credit(), "adjustment", note, actorId,
                    null), clock.instant());
        }
        if (debit != null && debit != current.debit()) {
            ledger.append(
                    new Ledger.NewEntry(accountId, DEBIT, debit - current.debit(), "adjustment", note, actorId, null),
                    clock.instant());
        }
        return ledger.balanceOf(accountId);
    }

    @Override
    @Transactional
    public Entry load(long accountId, long amount, String note, Long actorId) {
        requirePositive(amount);
        ledger.lock(accountId);
        return ledger.append(new Ledger.NewEntry(accountId, CREDIT, amount, "load", note, actorId, null),
                clock.instant());
    }

    @Override
    @Transactional(readOnly = true)
    public List<Entry> entriesOf(long accountId) {
        return ledger.entriesOf(accountId, Integer.MAX_VALUE, null);
    }

    @Override
    @Transactional(readOnly = true)
    public List<Entry> entriesOf(long accountId, int limit, Long beforeId) {
        if (limit < 1) {
            throw ApiException.invalidField("limit", "invalid-value");
        }
        return ledger.entriesOf(accountId, limit, beforeId);
    }

    @Override
    @Transactional
    public Reservation reserve(long accountId, long amount, String reason) {
        requirePositive(amount);
        Balance balance = ledger.lock(accountId);
        if (balance.credit() < amount) {
            throw ApiException.conflict("insufficient-credits", balance.credit(), amount);
        }
        return hold(accountId, amount, reason);
    }

    @Override
    @Transactional
    public Optional<Reservation> reserveUpTo(long accountId, long amount, String reason) {
        requirePositive(amount);
        long covered = Math.min(amount, Math.max(0, ledger.lock(accountId).credit()));
        return covered == 0 ? Optional.empty() : Optional.of(hold(accountId, covered, reason));
    }

    /** Takes {@code amount} from the balance; the caller holds the account's lock. */
    private Reservation hold(long accountId, long amount, String reason) {
        UUID id = UUID.randomUUID();
        reservations.hold(id, accountId, amount, reason, clock.instant());
        ledger.append(new Ledger.NewEntry(accountId, CREDIT, -amount, "reservation", reason, null, id),
                clock.instant());
        return new Reservation(id, accountId, amount);
    }

    @Override
    @Transactional
    public void commit(UUID reservationId) {
        if (reservations.settle(reservationId, Reservations.COMMITTED, null, clock.instant()).isEmpty()) {
            alreadySettled(reservationId, Reservations.COMMITTED);
        }
    }

    @Override
    @Transactional
    public void refund(UUID reservationId) {
        reservations.settle(reservationId, Reservations.REFUNDED, 0L, clock.instant()).ifPresentOrElse(settled -> {
            ledger.lock(settled.accountId());
            ledger.append(new Ledger.NewEntry(settled.accountId(), CREDIT, settled.amount(), "refund", settled.reason(),
                    null, settled.id()), clock.instant());
        }, () -> alreadySettled(reservationId, Reservations.REFUNDED));
    }

    @Override
    @Transactional
    public void settle(UUID reservationId, long spent) {
        if (spent < 0) {
            throw ApiException.invalidField("amount", "credit-amount-invalid");
        }
        Reservations.Settled held = reservations.held(reservationId).orElse(null);
        if (held == null) {
            alreadySettled(reservationId, Reservations.COMMITTED);
            return;
        }
        if (spent > held.amount()) {
            throw ApiException.invalidField("amount", "credit-amount-invalid");
        }
        if (spent == 0) {
            refund(reservationId);
            return;
        }
        reservations.settle(reservationId, Reservations.COMMITTED, spent, clock.instant()).ifPresent(settled -> {
            if (spent < settled.amount()) {
                ledger.lock(settled.accountId());
                ledger.append(new Ledger.NewEntry(settled.accountId(), CREDIT, settled.amount() - spent, "refund",
                        settled.reason(), null, settled.id()), clock.instant());
            }
        });
    }

    @Override
    @Transactional(readOnly = true)
    public List<Usage> usage(long accountId, boolean yearly) {
        return reservations.usage(accountId, yearly);
    }

    @Override
    @Transactional(readOnly = true)
    public Map<Long, Long> spentPerAccount(Instant from, Instant to) {
        return reservations.spentPerAccount(from, to);
    }

    /**
     * A second settlement the same way is a no-op (idempotent); the other way is refused.
     */
    private void alreadySettled(UUID reservationId, String wanted) {
        String state = reservations.stateOf(reservationId)
            .orElseThrow(() -> ApiException.notFound("reservation-not-found"));
        if (!state.equals(wanted)) {
            throw ApiException.conflict("reservation-" + state);
        }
    }

    private static void requirePositive(long amount) {
        if (amount <= 0) {
            throw ApiException.invalidField("amount", "credit-amount-invalid");
        }
    }

    private static void requireNotNegative(String field, Long total) {
        if (total != null && total < 0) {
            throw ApiException.invalidField(field, "credit-total-invalid");
        }
    }

}
