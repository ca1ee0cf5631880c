package dev.kapi.trading.sweep;

import dev.kapi.trading.decision.CandleRule;
import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.strategy.Signal;

/**
 * A sweep's backtest in floating point: the per-candle decision of {@link CandleRule}
 * ({@link CandleRule.Fast}, its double form) and the paper fill with its slippage, fee
 * and quantities rounded down to 8 decimals, without the trade list or decimals, so that
 * thousands of parameter sets run over a year of minutes in seconds. It answers what
 * ranking needs; a backtest of the winner gives the exact trades. Runs over a range of
 * the series, so that walk-forward folds reuse the signals of the whole series (a signal
 * never depends on a later candle).
 */
public final class SweepKernel {

    private static final double QUANTITY_STEP = 1e8;

    private SweepKernel() {
    }

    /** The series as arrays. */
    public record Series(double[] open, double[] high, double[] low, double[] close, long intervalMillis) {

        int size() {
            return close.length;
        }
    }

    /** The settings in floating point; NaN for a setting not given. */
    public record Setup(double quoteAmount, boolean fraction, double sizing, double stopLoss, double takeProfit,
            double trailingStop, double trailingOffset, double maxDrawdown, int cooldownCandles, double balance,
            double feeRate, double slippage) {

        public static Setup of(Risk risk, java.math.BigDecimal quoteAmount, double feeRate, double slippage,
                CandleInterval interval) {
            Risk.Sizing sizing = risk.positionSizing();
            long minutes = interval.length().toMinutes();
            int cooldown = risk.cooldownMinutes() == null ? 0
                    : (int) ((risk.cooldownMinutes() + minutes - 1) / minutes);
            return new Setup(quoteAmount.doubleValue(), sizing != null && sizing.fraction(),
                    sizing == null ? Double.NaN : sizing.value().doubleValue(), value(risk.stopLoss()),
                    value(risk.takeProfit()), value(risk.trailingStop()),
                    risk.trailingOffset() == null ? 0 : risk.trailingOffset().doubleValue(), value(risk.maxDrawdown()),
                    cooldown, risk.balance().doubleValue(), feeRate, slippage);
        }

        /** A fresh run of the per-candle decision with these settings. */
        public CandleRule.Fast rule() {
            return new CandleRule.Fast(balance, quoteAmount, fraction, sizing, stopLoss, takeProfit, trailingStop,
                    trailingOffset, maxDrawdown, cooldownCandles);
        }

        private static double value(java.math.BigDecimal value) {
            return value == null ? Double.NaN : value.doubleValue();
        }
    }

    /**
     * A run's figures. {@code calmar}: the yearly return over the max drawdown (null
     * without a drawdown).
     */
    public record Stats(double profit, double totalReturn, double maxDrawdown, Double sharpe, Double calmar, int trades,
            Double winRate) {
    }

    public static Stats run(Series series, Signal[] signals, Setup s, int from, int to) {
        CandleRule.Fast rule = s.rule();
        int trades = 0;
        int sells = 0;
        int wins = 0;
        double drawdown = 0;
        double equityPeak = s.balance();
        double previous = s.balance();
        double sum = 0;
        double sumSquares = 0;
        double[] open = series.open();
        double[] high = series.high();
        double[] low = series.low();
        double[] close = series.close();
        for (int i = from; i < to; i++) {
            int action = rule.decide(i, open[i], high[i], low[i], close[i], signals[i]);
            if (action == CandleRule.Fast.BUY) {
                double price = close[i] * (1 + s.slippage());
                double quantity = Math.floor(rule.amount / price * QUANTITY_STEP) / QUANTITY_STEP;
                if (quantity > 0) {
                    rule.bought(price, quantity, price * quantity * s.feeRate());
                    trades++;
                }
            }
            else if (action == CandleRule.Fast.SELL) {
                double price = rule.reference * (1 - s.slippage());
                double proceeds = price * rule.held;
                double fee = proceeds * s.feeRate();
                double pnl = proceeds - fee - rule.cost;
                rule.sold(i, proceeds, fee);
                trades++;
                sells++;
                wins += pnl > 0 ? 1 : 0;
            }
            double equity = rule.cash + rule.held * close[i];
            equityPeak = Math.max(equityPeak, equity);
            if (equityPeak > 0) {
                drawdown = Math.max(drawdown, (equityPeak - equity) / equityPeak);
            }
            double r = previous > 0 ? equity / previous - 1 : 0;
            sum += r;
            sumSquares += r * r;
            previous = equity;
        }
        int n = to - from;
        double end = previous;
        double totalReturn = end / s.balance() - 1;
        double periodsPerYear = 365 * 86_400_000.0 / series.intervalMillis();
        Double sharpe = null;
        if (n >= 2) {
            double mean = sum / n;
            double variance = (sumSquares - n * mean * mean) / (n - 1);
            if (variance > 1e-30) {
                sharpe = mean / Math.sqrt(variance) * Math.sqrt(periodsPerYear);
            }
        }
        Double calmar = null;
        if (drawdown > 0 && n > 0 && end > 0) {
            double years = n / periodsPerYear;
            double yearly = Math.pow(end / s.balance(), 1 / years) - 1;
            calmar = Double.isFinite(yearly) ? yearly / drawdown : null;
        }
        return new Stats(end - s.balance(), totalReturn, drawdown, sharpe, calmar, trades,
                sells == 0 ? null : wins / (double) sells);
    }

}
