package dev.kapi.trading.runner;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.shared.ApiException;
import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.Bots;
import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.exchange.Exchange;
import dev.kapi.trading.exchange.Exchanges;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.trade.Trade;
import dev.kapi.trading.trade.Trades;

/**
 * The ways out of a position: a market sell of everything the bot holds, now, recorded
 * with {@code exit_reason: force_exit}, for force-exit, stop and sell, and the kill
 * switches. Exactly once across instances: under the bot's row lock the exit writes its
 * order as pending under one id per position ({@link Orders#exitOrderId}) and marks the
 * bot's exit requested (the runner then places nothing for it); a second request or
 * instance finds the order pending and sends nothing. An exit that could not finish (an
 * unclear answer, an order of the runner still in flight, or a refusal while a kill
 * switch wants the bot flat) stays requested, and {@link #retry} finishes it.
 */
@Component
public class ForcedExits {

    private static final Logger log = LoggerFactory.getLogger(ForcedExits.class);

    /**
     * How old a pending order must be before the exit pass looks it up itself: whoever
     * placed it has finished with it (two tries of the exchange's timeout and a lookup).
     */
    static final Duration SETTLED_AFTER = Duration.ofMinutes(2);

    private static final int PAGE = 500;

    private final Bots bots;

    private final Orders orders;

    private final Fills fills;

    private final Trades trades;

    private final Exchanges exchanges;

    private final Protections protections;

    private final TransactionTemplate transactions;

    private final Clock clock;

    private final LimitOrders limits;

    ForcedExits(Bots bots, Orders orders, Fills fills, Trades trades, Exchanges exchanges, LimitOrders limits,
            Protections protections, TransactionTemplate transactions, Clock clock) {
        this.limits = limits;
        this.protections = protections;
        this.bots = bots;
        this.orders = orders;
        this.fills = fills;
        this.trades = trades;
        this.exchanges = exchanges;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** How an exit ended. */
    public enum Result {

        /** Sold now: the trade says at what. */
        SOLD,
        /** Nothing to sell. */
        FLAT,
        /** Under way: an order of the bot is in flight or unclear; it finishes later. */
        PENDING,
        /** The exchange refused the sell; the position is still open. */
        FAILED

    }

    /** An exit's result, its trade when sold, and the exchange's refusal when failed. */
    public record Outcome(Result result, Trade trade, String error) {

        static Outcome of(Result result) {
            return new Outcome(result, null, null);
        }

    }

    /** What the exit of one bot found under its lock. */
    private record Claim(Result result, Bot bot, String clientOrderId) {
    }

    /**
     * The owner's force-exit: 404 for a bot not theirs, 409 {@code bot-has-no-position}
     * when flat, 502 {@code exit-refused} with the exchange's words when it refused.
     */
    public Outcome forceExit(long ownerId, long botId) {
        bots.byId(botId, ownerId).orElseThrow(() -> ApiException.notFound("bot-not-found"));
        Outcome outcome = exit(botId, false);
        return switch (outcome.result()) {
            case FLAT -> throw ApiException.conflict("bot-has-no-position");
            case FAILED -> throw refused(outcome);
            default -> outcome;
        };
    }

    /** The 502 of an exit the exchange refused. */
    public static ApiException refused(Outcome outcome) {
        return new ApiException(HttpStatus.BAD_GATEWAY, "exit-refused", outcome.error());
    }

    /**
     * Sells the bot's whole position at market now. {@code untilFlat}: a refusal keeps
     * the exit requested, so the exit pass tries again (a kill switch); otherwise a
     * refusal ends the request and the bot trades on.
     */
    public Outcome exit(long botId, boolean untilFlat) {
        Instant now = clock.instant();
        if (!cancelResting(botId, now)) {
            return Outcome.of(Result.PENDING);
        }
        Claim claim = transactions.execute(status -> claim(botId, now));
        if (claim.clientOrderId() == null) {
            return Outcome.of(claim.result());
        }
        String clientOrderId = claim.clientOrderId();
        Bot bot;
        try {
            // The bot's stop on the exchange goes first; what of it filled is recorded,
            // and only the rest is sold.
            bot = protections.cancelForExit(claim.bot());
        }
        catch (RuntimeException ex) {
            log.warn("Bot {}: its stop on the exchange could not be cancelled before the exit: {}", botId,
                    ex.getMessage());
            transactions.executeWithoutResult(status -> orders.settle(clientOrderId, false, clock.instant()));
            return new Outcome(Result.PENDING, null, message(botId, ex));
        }
        if (!bot.inPosition()) {
            transactions.executeWithoutResult(status -> {
                orders.settle(clientOrderId, false, clock.instant());
                bots.clearExitRequest(botId);
            });
            return Outcome.of(Result.FLAT);
        }
        Exchange.MarketOrder order = new Exchange.MarketOrder(clientOrderId, bot.symbol(), Side.SELL, null,
                bot.positionQuantity(), reference(bot), now);
        Exchange.Fill fill;
        try {
            fill = exchanges.forBot(bot).place(order);
        }
        catch (Exchange.UncertainOrder ex) {
            log.warn("Bot {}: the exit order {} got no clear answer; it is looked up later", botId, clientOrderId);
            return new Outcome(Result.PENDING, null, ex.getMessage());
        }
        catch (RuntimeException ex) {
            String error = message(botId, ex);
            transactions.executeWithoutResult(status -> {
                orders.settle(clientOrderId, false, clock.instant());
                if (!untilFlat) {
                    bots.clearExitRequest(botId);
                }
            });
            return new Outcome(Result.FAILED, null, error);
        }
        Trade trade = transactions.execute(status -> fills.record(bot, Side.SELL, ExitReason.FORCE_EXIT, fill));
        log.info("Bot {} force-exited: {} sold by order {}", botId, Money.plain(fill.quantity()), clientOrderId);
        return trade == null ? Outcome.of(Result.PENDING) : new Outcome(Result.SOLD, trade, null);
    }

    /**
     * The bot's resting limit orders are cancelled first (what filled of them stays);
     * false when one could not be, and the exit stays requested for the exit pass.
     */
    private boolean cancelResting(long botId, Instant now) {
        boolean done;
        try {
            done = limits.cancelAll(botId);
        }
        catch (RuntimeException ex) {
            log.warn("Bot {}: its limit orders could not be cancelled before the exit: {}", botId, ex.getMessage());
            done = false;
        }
        if (!done) {
            transactions.executeWithoutResult(status -> bots.requestExit(botId, now));
        }
        return done;
    }

    private Claim claim(long botId, Instant now) {
        Bot bot = bots.lock(botId).orElse(null);
        if (bot == null) {
            return new Claim(Result.FLAT, null, null);
        }
        if (!orders.pendingOf(List.of(botId)).isEmpty()) {
            // An order of the bot is in flight (the runner's, or another exit's): what it
            // did decides what is left to sell.
            bots.requestExit(botId, now);
            return new Claim(Result.PENDING, bot, null);
        }
        if (!bot.inPosition()) {
            bots.clearExitRequest(botId);
            return new Claim(Result.FLAT, bot, null);
        }
        String clientOrderId = Orders.exitOrderId(botId, trades.lastTradeId(botId));
        if (!orders.insertPending(clientOrderId, botId, now.truncatedTo(ChronoUnit.MINUTES), Side.SELL,
                ExitReason.FORCE_EXIT, now)) {
            bots.requestExit(botId, now);
            return new Claim(Result.PENDING, bot, null);
        }
        bots.requestExit(botId, now);
        return new Claim(Result.SOLD, bot, clientOrderId);
    }

    /**
     * The exit pass: every bot whose exit is requested and not done, its old pending
     * orders looked up first (recorded if filled, dropped if the exchange never got
     * them), then sold flat. Answers how many bots it sold.
     */
    public int retry() {
        Instant now = clock.instant();
        int sold = 0;
        long after = 0;
        for (List<Long> page = bots.exitRequested(after, PAGE); !page.isEmpty(); page = bots.exitRequested(after,
                PAGE)) {
            for (long botId : page) {
                after = botId;
                try {
                    settleOld(botId, now.minus(SETTLED_AFTER));
                    if (exit(botId, true).result() == Result.SOLD) {
                        sold++;
                    }
                }
                catch (RuntimeException ex) {
                    log.warn("Bot {}: the exit pass failed: {}", botId, ex.toString());
                }
            }
        }
        return sold;
    }

    private void settleOld(long botId, Instant before) {
        List<Orders.PendingOrder> old = orders.pendingOf(botId, before);
        if (old.isEmpty()) {
            return;
        }
        Bot bot = bots.byIds(List.of(botId)).getFirst();
        Exchange exchange = exchanges.forBot(bot);
        for (Orders.PendingOrder order : old) {
            Exchange.Fill fill = exchange.lookUp(bot.symbol(), order.clientOrderId(), order.candleOpen()).orElse(null);
            transactions.executeWithoutResult(status -> {
                if (fill == null) {
                    orders.settle(order.clientOrderId(), false, clock.instant());
                }
                else {
                    fills.record(bots.byIds(List.of(botId)).getFirst(), order.side(), order.exitReason(), fill);
                }
            });
        }
    }

    /**
     * The price a market sell of the position gives the exchange (the paper exchange
     * fills at it): the last close the bot saw.
     */
    static BigDecimal reference(Bot bot) {
        if (bot.lastPrice() != null) {
            return bot.lastPrice();
        }
        return bot.entryPrice() != null ? bot.entryPrice()
                : bot.positionCost().divide(bot.positionQuantity(), Money.MATH);
    }

    private static String message(long botId, RuntimeException ex) {
        if (ex instanceof Exchange.ExchangeException && ex.getMessage() != null) {
            return ex.getMessage();
        }
        if (ex instanceof ApiException api) {
            return api.code();
        }
        log.error("Bot {}: the exit failed", botId, ex);
        return "internal-error";
    }

}
