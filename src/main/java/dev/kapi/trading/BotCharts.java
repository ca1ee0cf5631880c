package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * What a bot's chart shows: its last {@link #MAX_CANDLES} candles up to the last one it saw (down-sampled to
 * at most the points asked, each point one candle of its group: first open, highest high, lowest low, last
 * close), its trades in that window (the newest {@link #MAX_TRADES}), and its equity at each point's close —
 * the starting balance, plus what its trades (all of them, fees included) took from and brought to the cash,
 * plus the position they left valued at the close. Candles come from where the bot's come from (the paper
 * exchange, or Binance's public market data); when those cannot be read the chart has no candles and says so.
 */
@Service
class BotCharts {

    /** One Binance klines request. */
    static final int MAX_CANDLES = 1000;
    static final int MAX_TRADES = 1000;
    static final int DEFAULT_POINTS = 500;

    private static final Logger log = LoggerFactory.getLogger(BotCharts.class);

    private final Bots bots;
    private final Exchanges exchanges;
    private final Trades trades;
    private final Clock clock;

    BotCharts(Bots bots, Exchanges exchanges, Trades trades, Clock clock) {
        this.bots = bots;
        this.exchanges = exchanges;
        this.trades = trades;
        this.clock = clock;
    }

    record Point(Instant at, BigDecimal equity) {
    }

    record Chart(Bot bot, List<Candle> candles, boolean candlesUnavailable, List<Trade> trades, List<Point> equity,
            Instant from, Instant to) {
    }

    /** The chart of an owner's bot; 404 for anyone else's. */
    Chart ofOwner(long ownerId, long botId, int points) {
        return of(bots.byId(botId, ownerId).orElseThrow(BotManagement::notFound), points);
    }

    /** The chart of any bot, for admins. */
    Chart ofAny(long botId, int points) {
        return of(bots.byIds(List.of(botId)).stream().findFirst().orElseThrow(BotManagement::notFound), points);
    }

    private Chart of(Bot bot, int points) {
        CandleInterval interval = bot.interval();
        Instant lastOpen = bot.lastCandleAt() != null ? bot.lastCandleAt()
                : interval.lastClosedOpen(clock.instant());
        List<Candle> candles;
        boolean unavailable = false;
        try {
            candles = exchanges.candlesFor(bot).candles(bot.symbol(), interval, lastOpen, MAX_CANDLES);
        }
        catch (RuntimeException ex) {
            log.warn("Candles of bot {} not read for its chart: {}", bot.id(), ex.getMessage());
            candles = List.of();
            unavailable = true;
        }
        List<Candle> shown = downSample(candles, points);
        List<Trade> all = trades.ofBot(bot.id());
        Instant from = shown.isEmpty() ? null : shown.getFirst().openTime();
        Instant to = shown.isEmpty() ? null : shown.getLast().openTime().plus(interval.length());
        List<Trade> inWindow = all.stream()
                .filter(trade -> from == null || !trade.executedAt().isBefore(from) && !trade.executedAt().isAfter(to))
                .toList();
        if (inWindow.size() > MAX_TRADES) {
            inWindow = inWindow.subList(inWindow.size() - MAX_TRADES, inWindow.size());
        }
        return new Chart(bot, shown, unavailable, inWindow, equity(bot, interval, shown, all), from, to);
    }

    /** At most {@code points} candles: consecutive groups of the same size, each merged into one. */
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

    /** The equity at each candle's close (a merged candle closes when its last one does). */
    private static List<Point> equity(Bot bot, CandleInterval interval, List<Candle> candles, List<Trade> trades) {
        List<Point> points = new ArrayList<>();
        BigDecimal cash = bot.risk().balance();
        BigDecimal quantity = BigDecimal.ZERO;
        int next = 0;
        for (int i = 0; i < candles.size(); i++) {
            Instant close = i + 1 < candles.size() ? candles.get(i + 1).openTime()
                    : candles.get(i).openTime().plus(interval.length());
            while (next < trades.size() && !trades.get(next).executedAt().isAfter(close)) {
                Trade trade = trades.get(next++);
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
            points.add(new Point(close, Money.round(cash.add(quantity.multiply(candles.get(i).close())))));
        }
        return points;
    }
}
