package dev.kapi.trading.runner;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.trading.bot.Bots;
import dev.kapi.trading.bot.KillSwitches;

/**
 * The kill switches: a user's (every bot of the user) and the admin's (every bot of
 * everyone). Engaging stops the bots, requests their exit and records the switch in one
 * transaction per page of bots, then sells each position at market ({@link ForcedExits});
 * a position whose sale is still under way is finished by the exit pass. While a switch
 * is on no bot it covers starts ({@code kill-switch-on}); releasing it re-arms, and
 * starts nothing.
 */
@Service
public class KillSwitch {

    private static final int PAGE = 500;

    private final KillSwitches switches;

    private final Bots bots;

    private final ForcedExits exits;

    private final TransactionTemplate transactions;

    private final Clock clock;

    KillSwitch(KillSwitches switches, Bots bots, ForcedExits exits, TransactionTemplate transactions, Clock clock) {
        this.switches = switches;
        this.bots = bots;
        this.exits = exits;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * What engaging did: bots stopped (those that were active), positions sold now, and
     * positions whose sale is still under way.
     */
    public record Report(Instant engagedAt, int botsStopped, int positionsClosed, int positionsPending) {
    }

    /** Engages the switch of {@code ownerId}, or the admin's for everyone when null. */
    public Report engage(Long ownerId, long engagedBy) {
        Instant now = clock.instant();
        KillSwitches.Engaged engaged = transactions.execute(status -> switches.engage(ownerId, engagedBy, now));
        int stopped = 0;
        List<Long> requested = new ArrayList<>();
        long after = 0;
        while (true) {
            long from = after;
            Bots.Stopped page = transactions.execute(status -> bots.stopAndRequestExit(ownerId, from, PAGE, now));
            stopped += page.stopped();
            requested.addAll(page.ids());
            if (page.ids().size() < PAGE) {
                break;
            }
            after = page.ids().getLast();
        }
        int closed = 0;
        int pending = 0;
        for (long botId : requested) {
            ForcedExits.Outcome outcome = exits.exit(botId, true);
            switch (outcome.result()) {
                case SOLD -> closed++;
                case PENDING, FAILED -> pending++;
                case FLAT -> {
                }
            }
        }
        return new Report(engaged.engagedAt(), stopped, closed, pending);
    }

    /** Re-arms the switch of {@code ownerId} (the admin's when null). */
    public void release(Long ownerId) {
        transactions.executeWithoutResult(status -> switches.release(ownerId));
    }

    /** Whether the switch of {@code ownerId} is on (the admin's when null). */
    public KillSwitches.Engaged state(Long ownerId) {
        return switches.of(ownerId).orElse(null);
    }

}
