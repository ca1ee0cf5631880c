package dev.kapi.trading.backtest;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.trade.Trade;

/**
 * A backtest's figures over its equity at each candle's close (starting balance, plus
 * realized PnL, plus the open position at the close). {@code maxDrawdown}: the deepest
 * fall of equity from its peak, as a fraction of the peak. {@code sharpe} and
 * {@code sortino}: the mean return per candle over its standard deviation (over the
 * deviation of the losing candles, for Sortino), annualised by the square root of the
 * candles in a year; null when there is nothing to divide by. {@code profitFactor}: the
 * gains of the sells that won over the losses of those that lost (null without losses).
 * {@code exposure}: the share of candles spent in a position. {@code buyAndHold}: what
 * buying at the first close and holding to the last returned. {@code curve}: the equity,
 * down-sampled to at most {@link #MAX_POINTS} points (the last one always kept).
 */
public record BacktestReport(double totalReturn, double maxDrawdown, Double sharpe, Double sortino, Double profitFactor,
        Double winRate, double exposure, Map<ExitReason, Integer> exitReasons, Double buyAndHold, boolean paused,
        List<Point> curve) {

    static final int MAX_POINTS = 1000;

    record Point(Instant at, double equity) {
    }

    /**
     * What the report needs of the sells, added up one trade at a time, so that no list
     * of them is needed.
     */
    static final class Sells {

        private final Map<ExitReason, Integer> reasons = new EnumMap<>(ExitReason.class);

        private double gains;

        private double losses;

        private int count;

        private int wins;

        Sells() {
            for (ExitReason reason : ExitReason.values()) {
                if (reason.byCandle()) {
                    reasons.put(reason, 0);
                }
            }
        }

        void add(Trade trade) {
            if (trade.side() != Side.SELL) {
                return;
            }
            count++;
            reasons.merge(trade.exitReason(), 1, Integer::sum);
            double pnl = trade.realizedPnl().doubleValue();
            if (pnl > 0) {
                gains += pnl;
                wins++;
            }
            else {
                losses -= pnl;
            }
        }

    }

    static BacktestReport of(List<Candle> candles, CandleInterval interval, double start, double[] equity, Sells sells,
            int candlesInPosition, boolean paused) {
        int n = equity.length;
        double end = n == 0 ? start : equity[n - 1];
        double periodsPerYear = Duration.ofDays(365).toMillis() / (double) interval.length().toMillis();
        Ratios ratios = ratios(start, equity, periodsPerYear);
        Double buyAndHold = n == 0 ? null
                : candles.getLast().close().doubleValue() / candles.getFirst().close().doubleValue() - 1;
        return new BacktestReport(end / start - 1, ratios.maxDrawdown(), ratios.sharpe(), ratios.sortino(),
                sells.losses > 0 ? sells.gains / sells.losses : null,
                sells.count == 0 ? null : sells.wins / (double) sells.count,
                n == 0 ? 0 : candlesInPosition / (double) n, sells.reasons, buyAndHold, paused,
                curve(candles, interval, equity));
    }

    record Ratios(double maxDrawdown, Double sharpe, Double sortino) {
    }

    /**
     * Max drawdown, Sharpe and Sortino over an equity series that starts from
     * {@code start}.
     */
    static Ratios ratios(double start, double[] equity, double periodsPerYear) {
        double peak = start;
        double drawdown = 0;
        double previous = start;
        double sum = 0;
        double sumSquares = 0;
        double downSquares = 0;
        int n = equity.length;
        for (double value : equity) {
            peak = Math.max(peak, value);
            if (peak > 0) {
                drawdown = Math.max(drawdown, (peak - value) / peak);
            }
            double r = previous > 0 ? value / previous - 1 : 0;
            sum += r;
            sumSquares += r * r;
            if (r < 0) {
                downSquares += r * r;
            }
            previous = value;
        }
        if (n < 2) {
            return new Ratios(drawdown, null, null);
        }
        double mean = sum / n;
        double variance = (sumSquares - n * mean * mean) / (n - 1);
        double deviation = variance > 1e-30 ? Math.sqrt(variance) : 0;
        double downside = Math.sqrt(downSquares / n);
        double scale = Math.sqrt(periodsPerYear);
        return new Ratios(drawdown, deviation > 0 ? mean / deviation * scale : null,
                downside > 0 ? mean / downside * scale : null);
    }

    private static List<Point> curve(List<Candle> candles, CandleInterval interval, double[] equity) {
        int n = equity.length;
        int step = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < n; i += step) {
            if (points.size() == MAX_POINTS - 1 && i != n - 1) {
                break;
            }
            points.add(new Point(candles.get(i).openTime().plus(interval.length()), equity[i]));
        }
        if (n > 0 && (points.isEmpty()
                || !points.getLast().at().equals(candles.getLast().openTime().plus(interval.length())))) {
            if (points.size() == MAX_POINTS) {
                points.removeLast();
            }
            points.add(new Point(candles.getLast().openTime().plus(interval.length()), equity[n - 1]));
        }
        return points;
    }

    /** A figure as answered: rounded to 8 decimals, null stays null. */
    public static BigDecimal decimal(Double value) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return null;
        }
        return Money.plain(BigDecimal.valueOf(value).setScale(8, java.math.RoundingMode.HALF_EVEN));
    }
}
