package dev.kapi.trading;

/**
 * A sweep's backtest in floating point: the rules of {@link Backtester} and {@link Exits}
 * (exits inside the candle against its low and high, the stop before the target, the
 * trailing stop from the highest high before the candle, max drawdown at the close, one
 * order per candle, a cooldown after a stop, the paper fill with its slippage, fee and
 * quantities rounded down to 8 decimals), without the trade list or decimals, so that
 * thousands of parameter sets run over a year of minutes in seconds. It answers what
 * ranking needs; a backtest of the winner gives the exact trades. Runs over a range of
 * the series, so that walk-forward folds reuse the signals of the whole series (a signal
 * never depends on a later candle).
 */
final class SweepKernel {

    private static final double QUANTITY_STEP = 1e8;

    private SweepKernel() {
    }

    /** The series as arrays. */
    record Series(double[] open, double[] high, double[] low, double[] close, long intervalMillis) {

        int size() {
            return close.length;
        }
    }

    /** The settings in floating point; NaN for a setting not given. */
    record Setup(double quoteAmount, boolean fraction, double sizing, double stopLoss, double takeProfit,
            double trailingStop, double trailingOffset, double maxDrawdown, int cooldownCandles, double balance,
            double feeRate, double slippage) {

        static Setup of(Risk risk, java.math.BigDecimal quoteAmount, double feeRate, double slippage,
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

        private static double value(java.math.BigDecimal value) {
            return value == null ? Double.NaN : value.doubleValue();
        }
    }

    /**
     * A run's figures. {@code calmar}: the yearly return over the max drawdown (null
     * without a drawdown).
     */
    record Stats(double profit, double totalReturn, double maxDrawdown, Double sharpe, Double calmar, int trades,
            Double winRate) {
    }

    static Stats run(Series series, Signal[] signals, Setup s, int from, int to) {
        double cash = s.balance();
        double held = 0;
        double cost = 0;
        double entry = 0;
        double highWater = 0;
        double peak = s.balance();
        boolean paused = false;
        int cooldownUntil = -1;
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
        boolean drawdownGuard = !Double.isNaN(s.maxDrawdown());
        for (int i = from; i < to; i++) {
            double reference = close[i];
            boolean sell = false;
            boolean stop = false;
            boolean traded = false;
            if (held > 0) {
                double stopPrice = Double.NEGATIVE_INFINITY;
                boolean isStop = false;
                if (!Double.isNaN(s.stopLoss())) {
                    stopPrice = entry * (1 - s.stopLoss());
                    isStop = true;
                }
                if (!Double.isNaN(s.trailingStop())
                        && (s.trailingOffset() <= 0 || highWater >= entry * (1 + s.trailingOffset()))) {
                    double trailing = highWater * (1 - s.trailingStop());
                    if (trailing > stopPrice) {
                        stopPrice = trailing;
                        isStop = true;
                    }
                }
                if (isStop && low[i] <= stopPrice) {
                    sell = true;
                    stop = true;
                    reference = Math.min(open[i], stopPrice);
                }
                else if (!Double.isNaN(s.takeProfit()) && high[i] >= entry * (1 + s.takeProfit())) {
                    sell = true;
                    reference = Math.max(open[i], entry * (1 + s.takeProfit()));
                }
                else {
                    highWater = Math.max(highWater, high[i]);
                }
            }
            if (!sell && !paused && drawdownGuard) {
                double equity = cash + held * close[i];
                if (peak > 0 && peak - equity >= peak * s.maxDrawdown()) {
                    paused = true;
                    sell = held > 0;
                }
                else {
                    peak = Math.max(peak, equity);
                }
            }
            if (!sell && !paused) {
                Signal signal = signals[i];
                if (signal == Signal.SELL && held > 0) {
                    sell = true;
                }
                else if (signal == Signal.BUY && held == 0 && i >= cooldownUntil) {
                    double amount = Double.isNaN(s.sizing()) ? s.quoteAmount()
                            : s.fraction() ? Math.floor(cash * s.sizing() * QUANTITY_STEP) / QUANTITY_STEP : s.sizing();
                    double price = close[i] * (1 + s.slippage());
                    double quantity = Math.floor(amount / price * QUANTITY_STEP) / QUANTITY_STEP;
                    if (amount > 0 && quantity > 0) {
                        double fee = price * quantity * s.feeRate();
                        cost = price * quantity + fee;
                        cash -= cost;
                        held = quantity;
                        entry = price;
                        highWater = price;
                        trades++;
                        traded = true;
                    }
                }
            }
            if (sell && !traded) {
                double price = reference * (1 - s.slippage());
                double proceeds = price * held;
                double fee = proceeds * s.feeRate();
                double pnl = proceeds - fee - cost;
                cash += proceeds - fee;
                held = 0;
                cost = 0;
                trades++;
                sells++;
                wins += pnl > 0 ? 1 : 0;
                if (stop && s.cooldownCandles() > 0) {
                    cooldownUntil = i + s.cooldownCandles();
                }
            }
            double equity = cash + held * close[i];
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
