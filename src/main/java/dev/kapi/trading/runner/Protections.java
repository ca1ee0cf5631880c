package dev.kapi.trading.runner;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.Bots;
import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.decision.Exits;
import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.exchange.Exchange;
import dev.kapi.trading.exchange.Exchanges;
import dev.kapi.trading.exchange.SymbolRules;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.notification.BotAlert;
import dev.kapi.trading.trade.Trades;

/**
 * Stops on the exchange ({@code stop_on_exchange}): right after a live entry fills, the
 * bot's stop (the higher of {@code stop_loss} and the trailing stop) is placed on its
 * exchange as a stop-limit sell, with {@code take_profit} as the other leg of an OCO list
 * where the exchange has OCO; the position stays protected while no instance runs. Each
 * run of the bot first reconciles it: a leg that filled (also while Kapı was down) is
 * recorded as the bot's sell, with {@code exit_reason} {@code stop_loss},
 * {@code trailing_stop} or {@code take_profit}; a stop missing is placed; a trailing stop
 * that rose by a tick or more is moved. While a stop stands, the run leaves the stop and
 * the target it holds to the exchange (a candle touching the stop does not mean a
 * stop-limit filled), and any other exit (a signal, max drawdown, force-exit, a kill
 * switch) first cancels it, records what of it filled and sells only the rest.
 * <p>
 * Exactly once across instances: a stop is written pending before the exchange hears of
 * it, one pending or open per bot (a unique index), under client order ids derived from
 * the position ({@link ProtectiveOrders#base}), so an unclear answer is looked up, never
 * placed twice; a leg's fill is recorded through the bot's orders under the leg's client
 * order id, a compare-and-set, so two instances seeing it make one trade. A failure to
 * place leaves the bot to Kapı's own per-candle stop and is tried again on the next run;
 * the owner reads why in {@code last_error} ({@code stop not placed on <exchange>: <its
 * reason>}, cleared when a stop is placed) and gets one Telegram message for the
 * position. A stop refused because the price is already past it
 * ({@link Exchange.StopWouldTrigger}) is not waited on: the position is sold at market at
 * once under the stop's exit reason, as freqtrade's emergency exit does.
 */
@Component
public class Protections {

    private static final Logger log = LoggerFactory.getLogger(Protections.class);

    private static final int PAGE = 500;

    /** How many refused placements one position gets before Kapı stops trying. */
    static final int MAX_REFUSED = 100;

    /** How {@code last_error} starts when it tells of a refused stop. */
    static final String STOP_ERROR = "stop not placed on ";

    private final ProtectiveOrders stops;

    private final Orders orders;

    private final Fills fills;

    private final Bots bots;

    private final Trades trades;

    private final Exchanges exchanges;

    private final TradingSettings.Protection settings;

    private final TransactionTemplate transactions;

    private final Clock clock;

    private final ApplicationEventPublisher events;

    Protections(ProtectiveOrders stops, Orders orders, Fills fills, Bots bots, Trades trades, Exchanges exchanges,
            TradingSettings settings, TransactionTemplate transactions, Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.stops = stops;
        this.orders = orders;
        this.fills = fills;
        this.bots = bots;
        this.trades = trades;
        this.exchanges = exchanges;
        this.settings = settings.protection();
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The bot after reconciling, and which exits its exchange holds for it now: the stop,
     * and the target (an OCO's).
     */
    record Guard(Bot bot, boolean stop, boolean target) {

        /** The risk settings the run itself still checks. */
        Risk runnerRisk() {
            Risk risk = bot.risk();
            if (!stop) {
                return risk;
            }
            return new Risk(null, target ? null : risk.takeProfit(), null, null, risk.maxDrawdown(),
                    risk.cooldownMinutes(), risk.positionSizing(), risk.startingBalance());
        }
    }

    /** Whether the bot keeps its stop on the exchange. */
    static boolean applies(Bot bot) {
        return bot.stopOnExchange() && !bot.paper();
    }

    /**
     * At the start of the bot's run: its stop reconciled, placed when missing, moved when
     * the trailing stop rose.
     */
    Guard reconcile(Bot bot) {
        Exchange exchange = exchanges.forBot(bot);
        Optional<ProtectiveOrders.Stored> live = stops.liveOf(bot.id());
        if (live.isPresent()) {
            bot = settle(bot, exchange, live.get(), false);
            live = stops.liveOf(bot.id());
        }
        boolean sold = false;
        if (live.isEmpty()) {
            sold = place(bot, exchange);
        }
        else if (!live.get().pending()) {
            sold = move(bot, exchange, live.get());
        }
        if (sold) {
            bot = refreshed(bot);
        }
        live = stops.liveOf(bot.id());
        return new Guard(bot, live.isPresent(), live.map(stored -> stored.order().oco()).orElse(false));
    }

    /**
     * Right after a live entry filled (a market buy, or a limit buy's fill, also a
     * partial one): the stop of the position as now held, placed, or moved to the new
     * quantity when the position grew under a standing stop.
     */
    void afterEntry(long botId) {
        Bot bot = bots.byIds(List.of(botId)).getFirst();
        if (applies(bot) && bot.inPosition()) {
            try {
                reconcile(bot);
            }
            catch (RuntimeException ex) {
                log.warn("Bot {}: its stop could not be placed after the entry: {}", botId, ex.getMessage());
            }
        }
    }

    /**
     * Before any other exit sells: the bot's stop cancelled and what of it filled
     * recorded; the bot as it is then (flat when the stop sold it all). Throws when the
     * exchange gave no clear answer (the sell must wait: the stop may still stand).
     */
    Bot cancelForExit(Bot bot) {
        Optional<ProtectiveOrders.Stored> live = stops.liveOf(bot.id());
        if (live.isEmpty()) {
            return bot;
        }
        return settle(bot, exchanges.forBot(bot), live.get(), true);
    }

    /**
     * The stops of stopped bots (no run reconciles them): a leg that filled is recorded.
     * Answers how many stops it found done.
     */
    public int reconcileIdle() {
        int done = 0;
        long after = 0;
        for (List<Long> page = stops.idleBots(after, PAGE); !page.isEmpty(); page = stops.idleBots(after, PAGE)) {
            for (long botId : page) {
                after = botId;
                try {
                    Bot bot = bots.byIds(List.of(botId)).getFirst();
                    Optional<ProtectiveOrders.Stored> live = stops.liveOf(botId);
                    if (live.isPresent() && !settle(bot, exchanges.forBot(bot), live.get(), false).inPosition()) {
                        done++;
                    }
                }
                catch (RuntimeException ex) {
                    log.warn("Bot {}: its stop on the exchange could not be reconciled: {}", botId, ex.getMessage());
                }
            }
        }
        return done;
    }

    /**
     * Brings the stored stop in line with the exchange: a pending one found there is
     * open, one the exchange never got is absent (the stop it was to replace stands
     * again); when a leg filled, or the stop went (expired, cancelled, or {@code cancel}
     * cancelling it now), what executed is recorded as sells and the stop is done.
     */
    private Bot settle(Bot bot, Exchange exchange, ProtectiveOrders.Stored stored, boolean cancel) {
        Exchange.StopOrder order = stored.order();
        String id = order.clientOrderId();
        if (stored.pending()) {
            Exchange.LegState stop = exchange.stopLeg(order.symbol(), order.stopClientOrderId(), stored.createdAt());
            if (stop.status() == Exchange.LegStatus.ABSENT) {
                transactions.executeWithoutResult(status -> {
                    stops.move(id, List.of("pending"), "absent", clock.instant());
                    if (stored.replaces() != null) {
                        stops.move(stored.replaces(), List.of("replaced"), "open", clock.instant());
                    }
                });
                Optional<ProtectiveOrders.Stored> previous = stored.replaces() == null ? Optional.empty()
                        : stops.byId(stored.replaces()).filter(old -> "open".equals(old.status()));
                return previous.isPresent() ? settle(bot, exchange, previous.get(), cancel) : refreshed(bot);
            }
            transactions.executeWithoutResult(status -> stops.move(id, List.of("pending"), "open", clock.instant()));
        }
        if (cancel) {
            exchange.cancelStop(order);
        }
        Instant since = stored.createdAt();
        Exchange.LegState stop = exchange.stopLeg(order.symbol(), order.stopClientOrderId(), since);
        Exchange.LegState target = order.oco() ? exchange.stopLeg(order.symbol(), order.targetClientOrderId(), since)
                : null;
        boolean working = stop.status() == Exchange.LegStatus.OPEN
                && (target == null || target.status() == Exchange.LegStatus.OPEN);
        if (working && !cancel) {
            return bot;
        }
        record(bot, exchange, stop, stored.stopReason(), since);
        if (target != null) {
            record(bot, exchange, target, ExitReason.TAKE_PROFIT, since);
        }
        boolean filled = stop.status() == Exchange.LegStatus.FILLED
                || (target != null && target.status() == Exchange.LegStatus.FILLED);
        transactions.executeWithoutResult(
                status -> stops.move(id, List.of("open"), filled ? "filled" : "canceled", clock.instant()));
        if (filled) {
            log.info("Bot {}: its stop {} on {} filled", bot.id(), id, exchange.name().wire());
        }
        return refreshed(bot);
    }

    /** A leg's executed part as the bot's sell, once. */
    private void record(Bot bot, Exchange exchange, Exchange.LegState leg, ExitReason reason, Instant since) {
        if (leg.executedQuantity().signum() <= 0) {
            return;
        }
        Exchange.Fill fill = exchange.lookUp(bot.symbol(), leg.clientOrderId(), since).orElse(null);
        if (fill == null) {
            return;
        }
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> {
            Bot current = bots.lock(bot.id()).orElse(null);
            if (current != null && orders.insertPending(leg.clientOrderId(), bot.id(),
                    now.truncatedTo(ChronoUnit.MINUTES), Side.SELL, reason, now)) {
                fills.record(current, Side.SELL, reason, fill);
            }
        });
    }

    /**
     * Places the position's stop; nothing when the bot has one, or none is set yet.
     * Whether the position was sold instead (the stop would have triggered at once).
     */
    private boolean place(Bot bot, Exchange exchange) {
        if (!bot.active() || !bot.inPosition() || sellRests(bot)) {
            return false;
        }
        Exits.Exit stop = Exits.stop(bot.risk(), bot.entryPrice(), bot.highWater());
        if (stop == null) {
            return false;
        }
        SymbolRules rules = exchange.rules(bot.symbol());
        BigDecimal quantity = rules.floor(bot.positionQuantity());
        if (quantity.signum() <= 0 || quantity.compareTo(rules.minQty()) < 0) {
            return false;
        }
        BigDecimal target = exchange.name().oco() ? Exits.target(bot.risk(), bot.entryPrice()) : null;
        String base = ProtectiveOrders.base(bot.id(), trades.lastTradeId(bot.id()));
        if (stops.refusedOf(bot.id(), base) >= MAX_REFUSED) {
            // Refused that often (each run tries again): Kapı's own stop keeps covering
            // the position, without a row a minute.
            return false;
        }
        Exchange.StopOrder order = order(base, stops.countOf(bot.id(), base), bot.symbol(), quantity, stop.price(),
                target, rules);
        Instant now = clock.instant();
        Boolean written = transactions.execute(status -> bots.lockForOrder(bot.id(), bot.positionQuantity())
                && stops.insertPending(bot.id(), order, stop.reason(), null, now));
        if (!Boolean.TRUE.equals(written)) {
            return false;
        }
        return send(bot, exchange, order, stop.reason(), () -> exchange.placeStop(order), null);
    }

    /**
     * Moves an open stop up to where the trailing stop is now, by one tick or more; or to
     * the quantity held when the position grew (a limit buy filling in parts), at the
     * stop and target of the new entry price. Whether the position was sold instead.
     */
    private boolean move(Bot bot, Exchange exchange, ProtectiveOrders.Stored current) {
        Exits.Exit stop = Exits.stop(bot.risk(), bot.entryPrice(), bot.highWater());
        if (stop == null || !bot.inPosition() || sellRests(bot)) {
            return false;
        }
        SymbolRules rules = exchange.rules(bot.symbol());
        BigDecimal held = rules.floor(bot.positionQuantity());
        boolean resize = held.compareTo(current.order().quantity()) != 0 && held.compareTo(rules.minQty()) >= 0
                && held.signum() > 0;
        BigDecimal tick = rules.tickSize().signum() > 0 ? rules.tickSize() : BigDecimal.ZERO;
        BigDecimal price = rules.price(stop.price(), RoundingMode.CEILING);
        BigDecimal standing = current.order().stopPrice();
        boolean rose = tick.signum() > 0 ? price.compareTo(standing.add(tick)) >= 0 : price.compareTo(standing) > 0;
        if (!rose && !resize) {
            return false;
        }
        BigDecimal quantity = resize ? held : current.order().quantity();
        BigDecimal target = !resize ? current.order().targetPrice()
                : exchange.name().oco() ? Exits.target(bot.risk(), bot.entryPrice()) : null;
        String base = base(current.order());
        Exchange.StopOrder next = order(base, stops.countOf(bot.id(), base), bot.symbol(), quantity, stop.price(),
                target, rules);
        String old = current.order().clientOrderId();
        Instant now = clock.instant();
        Boolean written = transactions.execute(status -> {
            if (!stops.move(old, List.of("open"), "replaced", now)) {
                return false;
            }
            return stops.insertPending(bot.id(), next, stop.reason(), old, now);
        });
        return Boolean.TRUE.equals(written)
                && send(bot, exchange, next, stop.reason(), () -> exchange.replaceStop(current.order(), next), old);
    }

    /**
     * Sends a stop written pending: open when the exchange took it (a stop error in
     * {@code last_error} cleared), still pending when the answer was unclear (looked up
     * on the next run), absent when it was refused (the stop it was to replace stands
     * again; Kapı's own stop covers the position meanwhile, and a refused placement is
     * told to the owner). A stop the price is already past sells the position at market
     * now. Whether it did.
     */
    private boolean send(Bot bot, Exchange exchange, Exchange.StopOrder order, ExitReason reason, Runnable request,
            String replaces) {
        try {
            request.run();
            transactions.executeWithoutResult(status -> {
                stops.move(order.clientOrderId(), List.of("pending"), "open", clock.instant());
                bots.clearError(bot.id(), STOP_ERROR);
            });
            log.info("Bot {}: stop {} on the exchange at {}", bot.id(), order.clientOrderId(),
                    Money.plain(order.stopPrice()));
            return false;
        }
        catch (Exchange.UncertainOrder ex) {
            log.warn("Bot {}: stop {} got no clear answer; it is looked up on the next run", bot.id(),
                    order.clientOrderId());
            return false;
        }
        catch (Exchange.StopWouldTrigger ex) {
            log.warn("Bot {}: stop {} would trigger at once ({}); the position is sold at market now", bot.id(),
                    order.clientOrderId(), ex.getMessage());
            boolean first = stops.refusedOf(bot.id(), base(order)) == 0;
            transactions.executeWithoutResult(status -> dropped(order, replaces));
            return sellNow(bot, exchange, order, reason, ex, first);
        }
        catch (RuntimeException ex) {
            log.warn("Bot {}: stop {} was not placed: {}", bot.id(), order.clientOrderId(), ex.getMessage());
            // A rate limit's hold (Busy) passes by itself; the owner hears of refusals.
            boolean tell = replaces == null && !(ex instanceof Exchange.Busy);
            boolean first = tell && stops.refusedOf(bot.id(), base(order)) == 0;
            transactions.executeWithoutResult(status -> {
                dropped(order, replaces);
                if (tell) {
                    refused(bot, stopError(exchange, ex), first);
                }
            });
            return false;
        }
    }

    /**
     * A stop the exchange does not hold: absent, and the one it was to replace open
     * again.
     */
    private void dropped(Exchange.StopOrder order, String replaces) {
        stops.move(order.clientOrderId(), List.of("pending"), "absent", clock.instant());
        if (replaces != null) {
            stops.move(replaces, List.of("replaced"), "open", clock.instant());
        }
    }

    /**
     * The emergency exit of a stop the price is already past: the stop it was to replace
     * (a move) cancelled first and what of it filled recorded, then the rest sold at
     * market under the stop's exit reason, exactly once as the runner's own orders are
     * (the bot locked for the order, the order written pending under an id of the
     * position: {@code kapi-<bot>-p<trade>-e<n>}). An unclear answer leaves it pending
     * for the next run's lookup; a refusal is told to the owner. Whether the position was
     * sold.
     */
    private boolean sellNow(Bot decided, Exchange exchange, Exchange.StopOrder stop, ExitReason reason,
            Exchange.StopWouldTrigger why, boolean first) {
        Bot bot;
        try {
            bot = cancelForExit(refreshed(decided));
        }
        catch (RuntimeException ex) {
            log.warn("Bot {}: its stop could not be cancelled before the emergency exit: {}", decided.id(),
                    ex.getMessage());
            return false;
        }
        if (!bot.inPosition()) {
            return true;
        }
        String clientOrderId = base(stop) + "-e" + stop.stopClientOrderId().substring(base(stop).length() + 2);
        Instant now = clock.instant();
        Boolean fresh = transactions.execute(status -> bots.lockForOrder(bot.id(), bot.positionQuantity()) && orders
            .insertPending(clientOrderId, bot.id(), now.truncatedTo(ChronoUnit.MINUTES), Side.SELL, reason, now));
        if (!Boolean.TRUE.equals(fresh)) {
            return false;
        }
        Exchange.MarketOrder order = new Exchange.MarketOrder(clientOrderId, bot.symbol(), Side.SELL, null,
                bot.positionQuantity(), ForcedExits.reference(bot), now);
        Exchange.Fill fill;
        try {
            fill = exchange.place(order);
        }
        catch (Exchange.UncertainOrder ex) {
            log.warn("Bot {}: the emergency exit {} got no clear answer; it is looked up on the next run", bot.id(),
                    clientOrderId);
            return false;
        }
        catch (RuntimeException ex) {
            log.warn("Bot {}: the emergency exit {} was not placed: {}", bot.id(), clientOrderId, ex.getMessage());
            String error = stopError(exchange, why) + "; its market sell failed too: " + reason(ex);
            transactions.executeWithoutResult(status -> {
                orders.settle(clientOrderId, false, clock.instant());
                refused(bot, error, first);
            });
            return false;
        }
        transactions.executeWithoutResult(status -> {
            Bot current = bots.lock(bot.id()).orElse(null);
            if (current != null) {
                fills.record(current, Side.SELL, reason, fill);
                bots.clearError(bot.id(), STOP_ERROR);
            }
        });
        log.info("Bot {}: stop {} would have triggered at once; sold {} at market by {}", bot.id(),
                stop.clientOrderId(), Money.plain(fill.quantity()), clientOrderId);
        return true;
    }

    /**
     * Tells the owner their stop is not on the exchange: {@code last_error} each time,
     * Telegram on the position's first refusal only (each run tries again); at most 500
     * characters, as {@code last_error} holds.
     */
    private void refused(Bot bot, String told, boolean first) {
        String error = told.length() > 500 ? told.substring(0, 500) : told;
        bots.noteError(bot.id(), error);
        if (first) {
            events.publishEvent(new BotAlert(bot.ownerId(), bot.id(), BotAlert.STOP_REFUSED, error));
        }
    }

    /**
     * {@code stop not placed on <exchange>: <its refusal>}; anything but an exchange's
     * answer is {@code internal-error}, so no exception text reaches the owner.
     */
    private static String stopError(Exchange exchange, RuntimeException ex) {
        return STOP_ERROR + exchange.name().wire() + ": " + reason(ex);
    }

    private static String reason(RuntimeException ex) {
        return ex instanceof Exchange.ExchangeException && ex.getMessage() != null ? ex.getMessage() : "internal-error";
    }

    /**
     * The position's part of a stop's client order ids ({@link ProtectiveOrders#base}).
     */
    private static String base(Exchange.StopOrder order) {
        String stop = order.stopClientOrderId();
        return stop.substring(0, stop.lastIndexOf("-s"));
    }

    /**
     * The {@code n}th stop of a position: the stop price rounded up to the tick, its
     * limit {@code stop-limit-gap} below it rounded down, the target rounded down.
     */
    private Exchange.StopOrder order(String base, int n, String symbol, BigDecimal quantity, BigDecimal stop,
            BigDecimal target, SymbolRules rules) {
        BigDecimal stopPrice = rules.price(stop, RoundingMode.CEILING);
        BigDecimal limit = rules.price(stop.multiply(BigDecimal.ONE.subtract(settings.stopLimitGap())),
                RoundingMode.FLOOR);
        BigDecimal targetPrice = target == null ? null : rules.price(target, RoundingMode.FLOOR);
        String stopId = base + "-s" + n;
        return targetPrice == null
                ? new Exchange.StopOrder(stopId, stopId, null, symbol, quantity, stopPrice, limit, null)
                : new Exchange.StopOrder(base + "-l" + n, stopId, base + "-t" + n, symbol, quantity, stopPrice, limit,
                        targetPrice);
    }

    /**
     * Whether a limit sell of the bot rests: it holds the position for sale, so no stop
     * is placed for it meanwhile (a sell signal cancelled the stop before placing it).
     */
    private boolean sellRests(Bot bot) {
        return orders.openOf(bot.id()).stream().anyMatch(order -> order.side() == Side.SELL);
    }

    private Bot refreshed(Bot bot) {
        return bots.byIds(List.of(bot.id())).getFirst();
    }

}
