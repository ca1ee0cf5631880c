package dev.kapi.trading.report;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.BotManagement;
import dev.kapi.trading.bot.Bots;
import dev.kapi.trading.decision.Exits;
import dev.kapi.trading.exchange.PriceFeeds;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.runner.StandingOrder;
import dev.kapi.trading.runner.StandingOrders;
import dev.kapi.trading.trade.Trade;
import dev.kapi.trading.trade.Trades;

/**
 * What a bot's chart shows: its last {@link #MAX_CANDLES} candles up to the last one it
 * saw (down-sampled to at most the points asked, each point one candle of its group:
 * first open, highest high, lowest low, last close), its trades in that window (the
 * newest {@link #MAX_TRADES}), and its equity at each point's close — the starting
 * balance, plus what its trades (all of them, fees included) took from and brought to the
 * cash, plus the position they left valued at the close. The trades before the window are
 * summed by the database and the window's are read through a cursor, so a bot's whole
 * history is never in memory. Candles come from the bot's price feed: the shared store
 * for {@code live} and {@code replay} (a chart never makes a request to an exchange), the
 * walk for {@code generated}; when those cannot be read the chart has no candles and says
 * so. Beside them, the orders the bot has standing now (resting limit orders, its stop's
 * legs on the exchange) and, in a position, the stop Kapı computes for it, so the chart
 * shows where the bot waits to buy and where it would sell.
 */
@Service
public class BotCharts {

    /** One Binance klines request. */
    public static final int MAX_CANDLES = 1000;
    static final int MAX_TRADES = 1000;
    static final int DEFAULT_POINTS = 500;

    private static final Logger log = LoggerFactory.getLogger(BotCharts.class);

    private final Bots bots;

    private final PriceFeeds feeds;

    private final Trades trades;

    private final StandingOrders standing;

    private final Clock clock;

    BotCharts(Bots bots, PriceFeeds feeds, Trades trades, StandingOrders standing, Clock clock) {
        this.bots = bots;
        this.feeds = feeds;
        this.trades = trades;
        this.standing = standing;
        this.clock = clock;
    }

    record Point(Instant at, BigDecimal equity) {
    }

    /**
     * {@code stopLevel}: the stop of the bot's position as Kapı computes it (the higher
     * of its stop loss and trailing stop); null when flat or when it has none.
     */
    record Chart(Bot bot, List<Candle> candles, boolean candlesUnavailable, List<Trade> trades, List<Point> equity,
            Instant from, Instant to, List<StandingOrder> orders, BigDecimal stopLevel) {
    }

    /** The chart of an owner's bot; 404 for anyone else's. */
    public Chart ofOwner(long ownerId, long botId, int points) {
        return of(bots.byId(botId, ownerId).orElseThrow(BotManagement::notFound), points);
    }

    /** The chart of any bot, for admins. */
    public Chart ofAny(long botId, int points) {
        return of(bots.byIds(List.of(botId)).stream().findFirst().orElseThrow(BotManagement::notFound), points);
    }

    private Chart of(Bot bot, int points) {
        CandleInterval interval = bot.interval();
        Instant lastOpen = bot.lastCandleAt() != null ? bot.lastCandleAt() : interval.lastClosedOpen(clock.instant());
        List<Candle> candles;
        boolean unavailable = false;
        try {
            candles = feeds.stored(bot, interval, lastOpen, MAX_CANDLES);
        }
        catch (RuntimeException ex) {
            log.warn("Candles of bot {} not read for its chart: {}", bot.id(), ex.getMessage());
            candles = List.of();
            unavailable = true;
        }
        List<Candle> shown = downSample(candles, points);
        Instant from = shown.isEmpty() ? null : shown.getFirst().openTime();
        Instant to = shown.isEmpty() ? null : shown.getLast().openTime().plus(interval.length());
        Equity equity = new Equity(bot.risk().balance(), from == null ? null : trades.flowBefore(bot.id(), from),
                interval, shown);
        Deque<Trade> newest = new ArrayDeque<>();
        trades.eachOfBot(bot.id(), from, to, trade -> {
            equity.add(trade);
            newest.addLast(trade);
            if (newest.size() > MAX_TRADES) {
                newest.removeFirst();
            }
        });
        Exits.Exit stop = bot.inPosition() ? Exits.stop(bot.risk(), bot.entryPrice(), bot.highWater()) : null;
        return new Chart(bot, shown, unavailable, List.copyOf(newest), equity.points(), from, to, standing.of(bot.id()),
                stop == null ? null : stop.price());
    }

    /**
     * At most {@code points} candles: consecutive groups of the same size, each merged
     * into one.
     */
    static List<Candle> downSample(List<Candle> candles, int points) {
        if (candles.size() <= points) {
            return candles;
        }
        int group = (candles.size() + points - 1) / points;
        List<Candle> merged = new ArrayList<>();
        for (int i = 0; i < candles.size(); i += group) {
            List<Candle> part = candles.subList(i, Math.min(candles.size(), i + group));
            BigDecimal high = part.getFirst().high();
            BigDecimal low = part.getFirst().low();
            BigDecimal volume = BigDecimal.ZERO;
            for (Candle candle : part) {
                high = high.max(candle.high());
                low = low.min(candle.low());
                volume = volume.add(candle.volume());
            }
            merged.add(new Candle(part.getFirst().openTime(), part.getFirst().open(), high, low, part.getLast().close(),
                    volume));
        }
        return merged;
    }

    /**
     * The equity at each candle's close (a merged candle closes when its last one does),
     * from what the trades before the window left and then the window's trades, given
     * oldest first: a point is taken once a trade after its close arrives, or at the end.
     */
    private static final class Equity {

        private final CandleInterval interval;

        private final List<Candle> candles;

        private final List<Point> points = new ArrayList<>();

        private BigDecimal cash;

        private BigDecimal quantity;

        Equity(BigDecimal balance, Trades.Flow before, CandleInterval interval, List<Candle> candles) {
            this.interval = interval;
            this.candles = candles;
            this.cash = before == null ? balance : balance.add(before.cash());
            this.quantity = before == null ? BigDecimal.ZERO : before.quantity();
        }

        void add(Trade trade) {
            while (points.size() < candles.size() && close(points.size()).isBefore(trade.executedAt())) {
                take();
            }
            BigDecimal amount = trade.price().multiply(trade.quantity());
            if (trade.side() == Side.BUY) {
                cash = cash.subtract(amount).subtract(trade.fee());
                quantity = quantity.add(trade.quantity());
            }
            else {
                cash = cash.add(amount).subtract(trade.fee());
                quantity = quantity.subtract(trade.quantity());
            }
        }

        List<Point> points() {
            while (points.size() < candles.size()) {
                take();
            }
            return points;
        }

        private Instant close(int i) {
            return i + 1 < candles.size() ? candles.get(i + 1).openTime()
                    : candles.get(i).openTime().plus(interval.length());
        }

        private void take() {
            int i = points.size();
            points.add(new Point(close(i), Money.round(cash.add(quantity.multiply(candles.get(i).close())))));
        }

    }

}
