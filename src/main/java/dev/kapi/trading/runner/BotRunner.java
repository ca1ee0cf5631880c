package dev.kapi.trading.runner;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.identity.AccountDirectory;
import dev.kapi.shared.ApiException;
import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.Bots;
import dev.kapi.trading.decision.CandleRule;
import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.exchange.Exchange;
import dev.kapi.trading.exchange.ExchangeName;
import dev.kapi.trading.exchange.Exchanges;
import dev.kapi.trading.exchange.PriceFeeds;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.PriceFeed;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.notification.BotAlert;
import dev.kapi.trading.strategy.Signal;
import dev.kapi.trading.strategy.Strategies;

/**
 * Runs every active bot once per closed candle. A tick at minute T takes, per interval,
 * the newest candle that has closed by T and claims bots for it in batches (one row per
 * bot and candle, unique in PostgreSQL, so whichever instance claims first runs the bot
 * and no other does). Candles are read once per exchange, feed, symbol and interval per
 * tick and shared by every bot on them; a live feed fetches them once per tick across
 * instances ({@link dev.kapi.trading.exchange.CandleFeed}). A bot whose signal needs no
 * order gets its state written in one statement with the rest of its batch; an order is
 * written as pending first, placed, then recorded as a trade. An order left pending (a
 * crash, an unclear answer) is looked up on the bot's next run before anything else.
 * Missed candles are not replayed: a tick always acts on the newest closed candle. A
 * running batch holds its claims locked ({@link BotClaims#hold}) and marks them finished
 * at its end; claims an instance made and never finished (it died in the middle of its
 * batch, and its locks with its connection) are taken over by the retry pass of the same
 * minute on any instance ({@link #retry}), so a bot misses no candle while any instance
 * is up, and a live batch is never run twice however slow its exchange. An order the dead
 * instance placed is found by its client order id and never placed twice; one it wrote
 * but never sent is placed under the same id.
 */
@Component
public class BotRunner {

    private static final Logger log = LoggerFactory.getLogger(BotRunner.class);

    private final Bots bots;

    private final BotClaims claims;

    private final Orders orders;

    private final Fills fills;

    private final LimitOrders limits;

    private final Exchanges exchanges;

    private final PriceFeeds feeds;

    private final Protections protections;

    private final Strategies strategies;

    private final AccountDirectory accounts;

    private final TradingSettings.Runner settings;

    private final TransactionTemplate transactions;

    private final Clock clock;

    private final ApplicationEventPublisher events;

    BotRunner(Bots bots, BotClaims claims, Orders orders, Fills fills, LimitOrders limits, Exchanges exchanges,
            PriceFeeds feeds, Protections protections, Strategies strategies, AccountDirectory accounts,
            TradingSettings settings, TransactionTemplate transactions, Clock clock, ApplicationEventPublisher events) {
        this.limits = limits;
        this.protections = protections;
        this.events = events;
        this.bots = bots;
        this.claims = claims;
        this.orders = orders;
        this.fills = fills;
        this.exchanges = exchanges;
        this.feeds = feeds;
        this.strategies = strategies;
        this.accounts = accounts;
        this.settings = settings.runner();
        this.transactions = transactions;
        this.clock = clock;
    }

    /** What one tick of this instance did. */
    public record TickReport(int ran, int orders, int failures) {
    }

    private record CandleKey(ExchangeName exchange, PriceFeed feed, String symbol, CandleInterval interval) {
    }

    /**
     * The candles of one key for this tick, or why there are none (then every bot on it
     * fails its run).
     */
    private record Series(List<Candle> candles, RuntimeException failure) {
    }

    private final class Tick {

        final Instant at;

        final Map<CandleKey, Series> candles = new HashMap<>();

        int ran;

        int placed;

        int failures;

        Tick(Instant at) {
            this.at = at;
        }

    }

    /**
     * Runs the tick of minute {@code minute}: each active bot on the newest candle closed
     * by then, once.
     */
    public TickReport tick(Instant minute) {
        Tick tick = new Tick(minute.truncatedTo(ChronoUnit.MINUTES));
        for (CandleInterval interval : bots.activeIntervals()) {
            Instant open = interval.lastClosedOpen(tick.at);
            for (List<Long> claimed = claim(interval, open); !claimed.isEmpty(); claimed = claim(interval, open)) {
                run(tick, bots.byIds(claimed), interval, open);
            }
        }
        if (tick.ran > 0) {
            log.info("Trading tick {}: {} bots ran, {} orders, {} failures", tick.at, tick.ran, tick.placed,
                    tick.failures);
        }
        return new TickReport(tick.ran, tick.placed, tick.failures);
    }

    /**
     * The retry pass of minute {@code minute}: runs the bots whose claim for the newest
     * closed candle is older than the claim lease and unfinished, as {@link #tick} would
     * have.
     */
    public TickReport retry(Instant minute) {
        Tick tick = new Tick(minute.truncatedTo(ChronoUnit.MINUTES));
        for (CandleInterval interval : bots.activeIntervals()) {
            Instant open = interval.lastClosedOpen(tick.at);
            for (List<Long> claimed = reclaim(interval, open); !claimed.isEmpty(); claimed = reclaim(interval, open)) {
                run(tick, bots.byIds(claimed), interval, open);
            }
        }
        if (tick.ran > 0) {
            log.info("Trading retry {}: {} bots of unfinished claims ran, {} orders, {} failures", tick.at, tick.ran,
                    tick.placed, tick.failures);
        }
        return new TickReport(tick.ran, tick.placed, tick.failures);
    }

    private List<Long> claim(CandleInterval interval, Instant open) {
        return transactions.execute(status -> claims.claim(interval, open, settings.batchSize(), clock.instant()));
    }

    private List<Long> reclaim(CandleInterval interval, Instant open) {
        Instant now = clock.instant();
        return transactions.execute(status -> claims.reclaimStale(interval, open, settings.batchSize(),
                now.minus(settings.claimLease()), now));
    }

    private void run(Tick tick, List<Bot> batch, CandleInterval interval, Instant open) {
        List<Long> ids = batch.stream().map(Bot::id).toList();
        try (BotClaims.Held held = claims.hold(ids, open)) {
            runHeld(tick, batch, ids, interval, open, held);
        }
    }

    private void runHeld(Tick tick, List<Bot> batch, List<Long> ids, CandleInterval interval, Instant open,
            BotClaims.Held held) {
        Set<Long> frozen = accounts.frozen(batch.stream().map(Bot::ownerId).collect(Collectors.toSet()));
        Map<Long, List<Orders.PendingOrder>> pending = orders.pendingOf(ids)
            .stream()
            .collect(Collectors.groupingBy(Orders.PendingOrder::botId));
        Set<Long> resting = orders.withOpen(ids);
        List<Bot> runnable = batch.stream().filter(bot -> !frozen.contains(bot.ownerId())).toList();
        fetchCandles(tick, runnable, interval, open);
        List<Bots.Run> quiet = new ArrayList<>();
        for (Bot bot : runnable) {
            tick.ran++;
            try {
                if (pending.containsKey(bot.id())) {
                    bot = settlePending(bot, pending.get(bot.id()));
                }
                boolean waiting = resting.contains(bot.id());
                if (waiting && !bot.paper()) {
                    // A live order's new fills first, so that the stop covers what is
                    // held.
                    waiting = limits.manage(bot, null);
                    bot = bots.byIds(List.of(bot.id())).getFirst();
                }
                Risk risk = bot.risk();
                if (Protections.applies(bot)) {
                    // What the exchange holds (a stop, an OCO's target) is its to sell.
                    Protections.Guard guard = protections.reconcile(bot);
                    bot = guard.bot();
                    risk = guard.runnerRisk();
                }
                Series fetched = tick.candles.get(key(bot, interval));
                if (fetched.failure() != null) {
                    throw fetched.failure();
                }
                List<Candle> series = fetched.candles();
                if (series.isEmpty() || !series.getLast().openTime().equals(open)) {
                    quiet.add(new Bots.Run(bot.id(), Signal.NO_DATA.wire(), null, open));
                    continue;
                }
                Candle candle = series.getLast();
                Strategies.Configured<?> strategy = strategies.stored(bot.strategy(), bot.params());
                Signal signal = strategy.signal(tail(series, strategy.history()));
                if (waiting && bot.paper()) {
                    waiting = limits.manage(bot, candle);
                    bot = bots.byIds(List.of(bot.id())).getFirst();
                }
                if (waiting) {
                    CandleRule.Decision wanted = decide(bot, risk, signal, candle, open.plus(interval.length()));
                    if (!mayReplace(bot, wanted)) {
                        quiet.add(new Bots.Run(bot.id(), signal.wire(), candle.close(), open, null, null));
                        continue;
                    }
                    // A sell while a buy rests, or a risk exit: the resting order goes
                    // first (what filled stays), then the sell is decided on what is
                    // held.
                    if (!limits.cancelAll(bot.id())) {
                        quiet.add(new Bots.Run(bot.id(), signal.wire(), candle.close(), open, null, null));
                        continue;
                    }
                    bot = bots.byIds(List.of(bot.id())).getFirst();
                }
                CandleRule.Decision decision = decide(bot, risk, signal, candle, open.plus(interval.length()));
                if (decision.side() == null) {
                    quiet.add(new Bots.Run(bot.id(), signal.wire(), candle.close(), open, decision.highWater(),
                            decision.peak()));
                }
                else if (trade(bot, decision, signal, candle, interval)) {
                    tick.placed++;
                }
                if (decision.pause()) {
                    pause(bot);
                }
            }
            catch (RuntimeException ex) {
                tick.failures++;
                fail(bot, ex);
            }
        }
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> bots.recordRuns(quiet, now));
        held.finish(now);
    }

    private void fetchCandles(Tick tick, List<Bot> batch, CandleInterval interval, Instant open) {
        Map<CandleKey, Integer> wanted = new HashMap<>();
        Map<CandleKey, Bot> sample = new HashMap<>();
        for (Bot bot : batch) {
            CandleKey key = key(bot, interval);
            int history = strategies.stored(bot.strategy(), bot.params()).history();
            wanted.merge(key, history, Math::max);
            sample.putIfAbsent(key, bot);
        }
        wanted.forEach((key, history) -> {
            Series known = tick.candles.get(key);
            if (known != null && (known.failure() != null || known.candles().size() >= history)) {
                return;
            }
            try {
                tick.candles.put(key, new Series(feeds.candles(sample.get(key), interval, open, history), null));
            }
            catch (RuntimeException ex) {
                tick.candles.put(key, new Series(List.of(), ex));
            }
        });
    }

    /**
     * What a run does on its candle ({@link CandleRule}): a sell at a risk exit's price,
     * a sell of everything and a pause when equity broke {@code max_drawdown}, or what
     * the signal says (one position at a time, within the bot's limits, no buy during a
     * cooldown); and the high-water mark and equity peak to keep.
     */
    public static CandleRule.Decision decide(Bot bot, Signal signal, Candle candle, Instant closeTime) {
        return decide(bot, bot.risk(), signal, candle, closeTime);
    }

    /**
     * {@link #decide} with the risk exits the run checks itself: those the exchange holds
     * for the bot are left out.
     */
    private static CandleRule.Decision decide(Bot bot, Risk risk, Signal signal, Candle candle, Instant closeTime) {
        return CandleRule
            .decide(new CandleRule.Settings(risk, bot.quoteAmount(), bot.maxPosition()),
                    new CandleRule.Holding(bot.positionQuantity(), bot.positionCost(), bot.available(),
                            bot.entryPrice(), bot.highWater(), bot.peakEquity(), bot.cooldownUntil()),
                    signal, candle, closeTime);
    }

    /**
     * Whether a decision may cancel the bot's resting limit orders: a sell while a buy
     * rests, or a sell for risk (a stop, the target, the drawdown) whatever rests.
     */
    private boolean mayReplace(Bot bot, CandleRule.Decision decision) {
        if (decision.side() != Side.SELL) {
            return false;
        }
        if (!LimitOrders.applies(bot, decision.reason())) {
            return true;
        }
        return orders.openOf(bot.id()).stream().anyMatch(order -> order.side() == Side.BUY);
    }

    private void pause(Bot bot) {
        transactions.executeWithoutResult(status -> {
            bots.pauseWithReason(bot.id(), "max-drawdown", clock.instant());
            events.publishEvent(new BotAlert(bot.ownerId(), bot.id(), "paused", "max-drawdown"));
        });
        log.info("Bot {} paused itself: max drawdown", bot.id());
    }

    /**
     * Places the order of this candle and records its trade; false when the bot had one
     * for the candle already.
     */
    private boolean trade(Bot decided, CandleRule.Decision decision, Signal signal, Candle candle,
            CandleInterval interval) {
        Side side = decision.side();
        // A sell cancels the bot's stop on the exchange first and sells only what it
        // left.
        Bot bot = side == Side.SELL ? protections.cancelForExit(decided) : decided;
        if (!bot.inPosition() && side == Side.SELL) {
            return false;
        }
        Instant now = clock.instant();
        String clientOrderId = Orders.clientOrderId(bot.id(), candle.openTime());
        if (LimitOrders.applies(bot, decision.reason())) {
            if (!limits.place(bot, clientOrderId, candle.openTime(), side, decision.reason(), decision.amount(),
                    candle.close(), 0)) {
                return false;
            }
            transactions.executeWithoutResult(status -> bots.recordRuns(List
                .of(new Bots.Run(bot.id(), signal.wire(), candle.close(), candle.openTime(), null, decision.peak())),
                    clock.instant()));
            return true;
        }
        // Under the bot's lock: a kill switch, a force-exit or a stop since the batch
        // read
        // the bot leaves this candle without an order.
        Boolean fresh = transactions.execute(status -> bots.lockForOrder(bot.id(), bot.positionQuantity())
                && orders.insertPending(clientOrderId, bot.id(), candle.openTime(), side, decision.reason(), now));
        if (!Boolean.TRUE.equals(fresh)) {
            return false;
        }
        Exchange.MarketOrder order = new Exchange.MarketOrder(clientOrderId, bot.symbol(), side, decision.amount(),
                bot.positionQuantity(), decision.reference(), candle.openTime().plus(interval.length()));
        Exchange.Fill fill;
        try {
            fill = exchanges.forBot(bot).place(order);
        }
        catch (Exchange.UncertainOrder ex) {
            throw ex;
        }
        catch (RuntimeException ex) {
            transactions.executeWithoutResult(status -> orders.settle(clientOrderId, false, clock.instant()));
            throw ex;
        }
        transactions.executeWithoutResult(status -> {
            fills.record(bot, side, decision.reason(), fill);
            bots.recordRuns(List
                .of(new Bots.Run(bot.id(), signal.wire(), candle.close(), candle.openTime(), null, decision.peak())),
                    clock.instant());
        });
        if (side == Side.BUY) {
            protections.afterEntry(bot.id());
        }
        return true;
    }

    /**
     * Looks up the bot's pending orders: a fill becomes its trade, an order the exchange
     * never got is dropped.
     */
    private Bot settlePending(Bot bot, List<Orders.PendingOrder> pending) {
        Exchange exchange = exchanges.forBot(bot);
        for (Orders.PendingOrder order : pending) {
            if (orders.isLimit(order.clientOrderId())) {
                limits.settle(bot, order.clientOrderId(), order.candleOpen());
                continue;
            }
            // Written at its candle's close or later: looked up from its candle's open.
            Exchange.Fill fill = exchange.lookUp(bot.symbol(), order.clientOrderId(), order.candleOpen()).orElse(null);
            transactions.executeWithoutResult(status -> {
                if (fill == null) {
                    orders.settle(order.clientOrderId(), false, clock.instant());
                }
                else {
                    fills.record(bot, order.side(), order.exitReason(), fill);
                }
            });
        }
        return bots.byIds(List.of(bot.id())).getFirst();
    }

    /**
     * Counts a failed tick. What the owner reads in {@code last_error} is an exchange's
     * own refusal (our sentence around its answer) or a stable code; anything else is
     * logged here and shown as {@code internal-error}, so no SQL or exception text
     * reaches a user.
     */
    private void fail(Bot bot, RuntimeException ex) {
        String message;
        if (ex instanceof Exchange.ExchangeException) {
            log.warn("Bot {} failed: {}", bot.id(), ex.getMessage());
            message = ex.getMessage() == null ? "exchange-error" : ex.getMessage();
        }
        else if (ex instanceof ApiException api) {
            log.warn("Bot {} failed: {}", bot.id(), api.code());
            message = api.code() + (api.field() == null ? "" : " (" + api.field() + ")");
        }
        else {
            log.error("Bot {} failed", bot.id(), ex);
            message = "internal-error: the tick failed; the server log has the details";
        }
        String error = message.length() > 500 ? message.substring(0, 500) : message;
        transactions.executeWithoutResult(status -> {
            bots.recordFailure(bot.id(), error, settings.maxConsecutiveErrors(), clock.instant());
            if (bot.errorCount() + 1 == settings.maxConsecutiveErrors()) {
                events.publishEvent(new BotAlert(bot.ownerId(), bot.id(), "error", error));
            }
        });
    }

    private static CandleKey key(Bot bot, CandleInterval interval) {
        return new CandleKey(bot.exchange(), bot.priceFeed(), bot.symbol(), interval);
    }

    private static List<Candle> tail(List<Candle> candles, int size) {
        return candles.size() <= size ? candles : candles.subList(candles.size() - size, candles.size());
    }

}
