package dev.kapi.trading.runner;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.Bots;
import dev.kapi.trading.bot.OrderPolicy;
import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.exchange.Exchange;
import dev.kapi.trading.exchange.Exchanges;
import dev.kapi.trading.exchange.PaperExchange;
import dev.kapi.trading.exchange.SymbolRules;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;

/**
 * A limit-order bot's orders from placement to their end. An order rests at the last
 * close less (a buy) or plus (a sell) the bot's {@code limit_offset}; each fill the
 * exchange reports is recorded as it comes (the order's trade grows); after
 * {@code unfilled_timeout_minutes} on the injected clock what has not filled is
 * cancelled, and with {@code on_unfilled: reprice} placed again at the newest close under
 * the next client order id ({@code -r<n>}), up to {@link OrderPolicy#MAX_REPRICES} times.
 * Whoever handles an order holds its row ({@code FOR UPDATE SKIP LOCKED}) while it talks
 * to the exchange, so two instances never act on one order, and a new order is written as
 * pending under its deterministic id before it is sent, so none is placed twice. A paper
 * order fills when a later candle of the bot crosses its price.
 */
@Component
public class LimitOrders {

    private static final Logger log = LoggerFactory.getLogger(LimitOrders.class);

    private static final int PAGE = 500;

    private static final int QUANTITY_SCALE = 8;

    private final Orders orders;

    private final Fills fills;

    private final Bots bots;

    private final Exchanges exchanges;

    private final TradingSettings.Paper paper;

    private final TransactionTemplate transactions;

    private final Clock clock;

    private final Protections protections;

    LimitOrders(Orders orders, Fills fills, Bots bots, Exchanges exchanges, Protections protections,
            TradingSettings settings, TransactionTemplate transactions, Clock clock) {
        this.protections = protections;
        this.orders = orders;
        this.fills = fills;
        this.bots = bots;
        this.exchanges = exchanges;
        this.paper = settings.paper();
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Whether the bot's order for this decision is a limit order: its signal orders. */
    static boolean applies(Bot bot, ExitReason reason) {
        return bot.orders().limit() && (reason == null || reason == ExitReason.SIGNAL);
    }

    /**
     * Places the limit order of a decision: a buy of {@code quoteAmount} or a sell of the
     * position, at {@code close} moved by the bot's offset; false when the bot may not
     * (stopped, exiting, its position changed) or the id was taken.
     */
    boolean place(Bot bot, String clientOrderId, Instant candleOpen, Side side, ExitReason reason,
            BigDecimal quoteAmount, BigDecimal close, int reprices) {
        OrderPolicy policy = bot.orders();
        Exchange exchange = exchanges.forBot(bot);
        SymbolRules rules = exchange.rules(bot.symbol());
        BigDecimal price = price(side, close, policy.limitOffset(), rules);
        BigDecimal quantity = side == Side.BUY
                ? rules.floor(quoteAmount.divide(price, QUANTITY_SCALE, RoundingMode.DOWN)) : bot.positionQuantity();
        if (quantity.signum() <= 0) {
            throw new Exchange.ExchangeException("Cannot " + side.wire() + " " + bot.symbol() + " for "
                    + Money.plain(quoteAmount) + " at " + Money.plain(price) + ": below one step");
        }
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofMinutes(policy.unfilledTimeoutMinutes()));
        Boolean fresh = transactions.execute(status -> bots.lockForOrder(bot.id(), bot.positionQuantity()) && orders
            .insertLimit(clientOrderId, bot.id(), candleOpen, side, reason, price, quantity, expires, reprices, now));
        if (!Boolean.TRUE.equals(fresh)) {
            return false;
        }
        Exchange.OrderState state;
        try {
            state = exchange.place(new Exchange.LimitOrder(clientOrderId, bot.symbol(), side, price, quantity, now));
        }
        catch (Exchange.UncertainOrder ex) {
            // Stays pending: the next run looks it up before anything else.
            throw ex;
        }
        catch (RuntimeException ex) {
            transactions.executeWithoutResult(status -> orders.settle(clientOrderId, false, clock.instant()));
            throw ex;
        }
        transactions.executeWithoutResult(status -> {
            orders.markOpen(clientOrderId);
            orders.lockOpen(clientOrderId).ifPresent(order -> apply(bot, order, state));
        });
        protectBought(bot.id(), side, state);
        return true;
    }

    /**
     * A pending limit order left by a crash or an unclear answer: open (with its fills)
     * when the exchange has it, absent when not; looked up from {@code since} (its
     * candle's open).
     */
    void settle(Bot bot, String clientOrderId, Instant since) {
        Optional<Exchange.OrderState> state = bot.paper() ? Optional.empty()
                : exchanges.forBot(bot).order(bot.symbol(), clientOrderId, since);
        Side[] side = new Side[1];
        transactions.executeWithoutResult(status -> {
            if (state.isEmpty()) {
                orders.settle(clientOrderId, false, clock.instant());
                return;
            }
            orders.markOpen(clientOrderId);
            orders.lockOpen(clientOrderId).ifPresent(order -> {
                side[0] = order.side();
                apply(bot, order, state.get());
            });
        });
        if (side[0] != null) {
            protectBought(bot.id(), side[0], state.get());
        }
    }

    /**
     * The bot's open orders on its run: fills recorded (a paper order's from
     * {@code candle}), timeouts acted on. Whether one is still open afterwards.
     */
    boolean manage(Bot bot, Candle candle) {
        for (Orders.Limit order : orders.openOf(bot.id())) {
            handle(bot.id(), order.clientOrderId(), candle, false);
        }
        return !orders.openOf(bot.id()).isEmpty();
    }

    /**
     * Cancels the bot's open orders, keeping what filled (a sell signal while a buy
     * rests, a way out). Whether none is left open.
     */
    boolean cancelAll(long botId) {
        for (Orders.Limit order : orders.openOf(botId)) {
            handle(botId, order.clientOrderId(), null, true);
        }
        return orders.openOf(botId).isEmpty();
    }

    /**
     * The pass of each minute over every open limit order, on any instance: live orders
     * polled for new fills, and orders past their timeout cancelled or placed again,
     * whether or not their bot runs this minute. What it did.
     */
    public int pass() {
        int handled = 0;
        for (Orders.Limit order : orders.open(PAGE)) {
            try {
                if (handle(order.botId(), order.clientOrderId(), null, false)) {
                    handled++;
                }
            }
            catch (RuntimeException ex) {
                log.warn("Limit order {} of bot {}: {}", order.clientOrderId(), order.botId(), ex.getMessage());
            }
        }
        return handled;
    }

    /**
     * One open order, under its row lock: new fills recorded; cancelled when asked or
     * when its time is up; then, if the bot reprices and something is left, placed again.
     * False when another instance held it or it was no longer open.
     */
    private boolean handle(long botId, String clientOrderId, Candle candle, boolean cancel) {
        Bot bot = bots.byIds(List.of(botId)).stream().findFirst().orElse(null);
        if (bot == null) {
            return false;
        }
        Orders.Limit[] again = new Orders.Limit[1];
        boolean[] bought = new boolean[1];
        Boolean handled = transactions.execute(status -> {
            Orders.Limit order = orders.lockOpen(clientOrderId).orElse(null);
            if (order == null) {
                return false;
            }
            Exchange exchange = exchanges.forBot(bot);
            Exchange.OrderState state = bot.paper() ? paperState(order, candle)
                    : exchange.order(bot.symbol(), clientOrderId, order.candleOpen())
                        .orElse(new Exchange.OrderState(clientOrderId, false, true, null));
            Orders.Limit now = apply(bot, order, state);
            bought[0] = order.side() == Side.BUY && now.filledQuantity().compareTo(order.filledQuantity()) > 0;
            boolean expired = !clock.instant().isBefore(order.expiresAt());
            if (state.open() && (cancel || expired)) {
                Orders.Limit before = now;
                now = apply(bot, now, exchange.cancel(bot.symbol(), clientOrderId, order.candleOpen()));
                bought[0] |= order.side() == Side.BUY && now.filledQuantity().compareTo(before.filledQuantity()) > 0;
                orders.close(clientOrderId, "canceled", clock.instant());
                if (!cancel && bot.orders().reprice() && order.reprices() < OrderPolicy.MAX_REPRICES) {
                    again[0] = now;
                }
            }
            return true;
        });
        if (bought[0]) {
            protections.afterEntry(bot.id());
        }
        if (again[0] != null) {
            reprice(bot.id(), again[0]);
        }
        return Boolean.TRUE.equals(handled);
    }

    /**
     * Places what is left of a timed-out order again at the newest close, under the next
     * client order id.
     */
    private void reprice(long botId, Orders.Limit order) {
        Bot bot = bots.byIds(List.of(botId)).getFirst();
        if (!bot.active() || bot.lastPrice() == null) {
            return;
        }
        BigDecimal close = bot.lastPrice();
        String id = Orders.repriceOrderId(order.clientOrderId(), order.reprices() + 1);
        if (order.side() == Side.BUY) {
            BigDecimal left = order.quantity().subtract(order.filledQuantity());
            if (left.signum() <= 0) {
                return;
            }
            // The rest of the buy, as a quote amount at the new price.
            BigDecimal price = price(Side.BUY, close, bot.orders().limitOffset(),
                    exchanges.forBot(bot).rules(bot.symbol()));
            place(bot, id, order.candleOpen(), Side.BUY, order.exitReason(), left.multiply(price), close,
                    order.reprices() + 1);
        }
        else if (bot.inPosition()) {
            place(bot, id, order.candleOpen(), Side.SELL, order.exitReason(), null, close, order.reprices() + 1);
        }
    }

    /**
     * Records the fills new in {@code state} and closes the order when the exchange says
     * it is done; the order as it now stands.
     */
    private Orders.Limit apply(Bot bot, Orders.Limit order, Exchange.OrderState state) {
        Orders.Limit now = order;
        if (fills.grow(bot, order, state.filled()) != null) {
            now = refreshed(order, state.filled());
        }
        if (!state.open()) {
            orders.close(order.clientOrderId(), state.canceled() ? "canceled" : "filled", clock.instant());
        }
        return now;
    }

    /**
     * A live buy that filled (also in part) is what places the bot's stop on the
     * exchange, for what it holds then (moved to the whole when more fills).
     */
    private void protectBought(long botId, Side side, Exchange.OrderState state) {
        if (side == Side.BUY && state.filled() != null && state.filled().quantity().signum() > 0) {
            protections.afterEntry(botId);
        }
    }

    private static Orders.Limit refreshed(Orders.Limit order, Exchange.Fill filled) {
        return new Orders.Limit(order.clientOrderId(), order.botId(), order.candleOpen(), order.side(),
                order.exitReason(), order.price(), order.quantity(), order.expiresAt(), order.reprices(),
                filled.quantity(), filled.price().multiply(filled.quantity()), filled.fee().max(order.filledFee()));
    }

    /** A paper order: filled in full once a candle after its own crosses its price. */
    private Exchange.OrderState paperState(Orders.Limit order, Candle candle) {
        if (candle == null || !candle.openTime().isAfter(order.candleOpen())) {
            return new Exchange.OrderState(order.clientOrderId(), true, false, null);
        }
        return PaperExchange
            .crossed(new Exchange.LimitOrder(order.clientOrderId(), "", order.side(), order.price(), order.quantity(),
                    candle.openTime()), candle, paper)
            .map(fill -> new Exchange.OrderState(order.clientOrderId(), false, false, fill))
            .orElse(new Exchange.OrderState(order.clientOrderId(), true, false, null));
    }

    /**
     * The order's price: the close less the offset for a buy (rounded down to the tick),
     * plus it for a sell (rounded up).
     */
    static BigDecimal price(Side side, BigDecimal close, BigDecimal offset, SymbolRules rules) {
        BigDecimal factor = side == Side.BUY ? BigDecimal.ONE.subtract(offset) : BigDecimal.ONE.add(offset);
        BigDecimal raw = Money.round(close.multiply(factor));
        return rules.price(raw, side == Side.BUY ? RoundingMode.DOWN : RoundingMode.UP);
    }

}
