package dev.kapi.trading.decision;

import java.math.BigDecimal;
import java.time.Instant;

import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.strategy.Signal;

/**
 * The one per-candle decision of live and paper bots ({@link BotRunner}), backtests
 * ({@link Backtester}) and sweeps ({@link SweepKernel}), so that all three make the same
 * trades on the same candles. At a candle's close, in this order:
 * <ol>
 * <li>in a position: a risk exit inside the candle ({@link Exits#check}: the stop, the
 * trailing stop, the take-profit target) sells at its price; otherwise the high-water
 * mark rises to the candle's high;</li>
 * <li>with {@code max_drawdown}: equity (at the close) that far below its peak sells the
 * whole position at the close and pauses; otherwise the peak rises to the equity;</li>
 * <li>the signal: {@code SELL} sells a position at the close; {@code BUY} buys when flat
 * and out of a cooldown, spending {@link Exits#buyAmount} when it is above zero and
 * within {@code max_position}.</li>
 * </ol>
 * One order per candle at most. {@link Fast} is the same decision in doubles, check for
 * check, for the sweep kernel's thousands of runs; {@code TradingCandleRuleTests} runs
 * all three over the same candles and compares their trades.
 */
public final class CandleRule {

    private CandleRule() {
    }

    /**
     * The settings the decision reads: the risk settings, what a buy spends without
     * {@code position_sizing}, and the most the position may cost (null: no bound).
     */
    public record Settings(Risk risk, BigDecimal quoteAmount, BigDecimal maxPosition) {
    }

    /**
     * The position before the candle: its quantity and cost, what the balance holds
     * outside it, the entry price and high-water mark of its risk exits, the equity peak
     * (null: none yet, the equity at this candle starts it) and the end of a cooldown
     * (null: none).
     */
    public record Holding(BigDecimal quantity, BigDecimal cost, BigDecimal available, BigDecimal entryPrice,
            BigDecimal highWater, BigDecimal peakEquity, Instant cooldownUntil) {

        boolean inPosition() {
            return quantity.signum() > 0;
        }

        /** The balance outside the position plus the position valued at {@code price}. */
        BigDecimal equity(BigDecimal price) {
            return available.add(quantity.multiply(price));
        }
    }

    /**
     * What to do at the candle: an order ({@code side} null: none) at its reference
     * price, why a sell sells, what a buy spends; whether the bot pauses; and the
     * high-water mark and equity peak to keep (null: keep what is kept).
     */
    public record Decision(Side side, BigDecimal reference, ExitReason reason, BigDecimal amount, boolean pause,
            BigDecimal highWater, BigDecimal peak) {

        public static Decision hold(BigDecimal highWater, BigDecimal peak) {
            return new Decision(null, null, null, null, false, highWater, peak);
        }
    }

    /**
     * The decision at {@code candle}, which closes at {@code closeTime}, for a position
     * {@code holding} and the strategy's {@code signal} there.
     */
    public static Decision decide(Settings settings, Holding holding, Signal signal, Candle candle, Instant closeTime) {
        Risk risk = settings.risk();
        boolean inPosition = holding.inPosition();
        BigDecimal highWater = null;
        if (inPosition) {
            Exits.Exit exit = Exits.check(risk, holding.entryPrice(), holding.highWater(), candle);
            if (exit != null) {
                return new Decision(Side.SELL, exit.price(), exit.reason(), null, false, null, null);
            }
            highWater = Exits.highWater(holding.highWater(), candle);
        }
        BigDecimal peak = null;
        if (risk.maxDrawdown() != null) {
            BigDecimal equity = holding.equity(candle.close());
            peak = holding.peakEquity() == null ? equity : holding.peakEquity();
            if (Exits.drawdownBreached(risk, peak, equity)) {
                return inPosition
                        ? new Decision(Side.SELL, candle.close(), ExitReason.MAX_DRAWDOWN, null, true, null, peak)
                        : new Decision(null, null, null, null, true, highWater, peak);
            }
            peak = peak.max(equity);
        }
        if (signal == Signal.SELL && inPosition) {
            return new Decision(Side.SELL, candle.close(), ExitReason.SIGNAL, null, false, null, peak);
        }
        boolean cooling = holding.cooldownUntil() != null && closeTime.isBefore(holding.cooldownUntil());
        if (signal != Signal.BUY || inPosition || cooling) {
            return Decision.hold(highWater, peak);
        }
        BigDecimal amount = Exits.buyAmount(risk, settings.quoteAmount(), holding.available());
        if (amount.signum() <= 0 || (settings.maxPosition() != null
                && holding.cost().add(amount).compareTo(settings.maxPosition()) > 0)) {
            return Decision.hold(highWater, peak);
        }
        return new Decision(Side.BUY, candle.close(), null, amount, false, highWater, peak);
    }

    /**
     * {@link #decide} in doubles over one run of the sweep kernel, which keeps the
     * position here: the same checks in the same order (the stop before the target, the
     * trailing stop from the highest high before the candle and once past its offset, max
     * drawdown at the close, the cooldown counted in candles, rounded up), with settings
     * not given as NaN (the trailing offset as 0). Buys and sells are filled by the
     * caller, who then calls {@link #bought} or {@link #sold}.
     */
    public static final class Fast {

        static final int HOLD = 0;

        public static final int BUY = 1;

        public static final int SELL = 2;

        private static final double QUANTITY_STEP = 1e8;

        private final double quoteAmount;

        private final boolean fraction;

        private final double sizing;

        private final double stopLoss;

        private final double takeProfit;

        private final double trailingStop;

        private final double trailingOffset;

        private final double maxDrawdown;

        private final int cooldownCandles;

        private final boolean drawdownGuard;

        /** The balance outside the position. */
        public double cash;

        /** The position's quantity (0: flat) and what it cost, fee included. */
        public double held;

        public double cost;

        private double entry;

        private double highWater;

        private double peak;

        private boolean paused;

        private int cooldownUntil = -1;

        /**
         * Of the last {@link #SELL}: its reference price, and whether a stop fired it.
         */
        public double reference;

        boolean stop;

        /** Of the last {@link #BUY}: what it spends. */
        public double amount;

        public Fast(double balance, double quoteAmount, boolean fraction, double sizing, double stopLoss,
                double takeProfit, double trailingStop, double trailingOffset, double maxDrawdown,
                int cooldownCandles) {
            this.cash = balance;
            this.peak = balance;
            this.quoteAmount = quoteAmount;
            this.fraction = fraction;
            this.sizing = sizing;
            this.stopLoss = stopLoss;
            this.takeProfit = takeProfit;
            this.trailingStop = trailingStop;
            this.trailingOffset = trailingOffset;
            this.maxDrawdown = maxDrawdown;
            this.cooldownCandles = cooldownCandles;
            this.drawdownGuard = !Double.isNaN(maxDrawdown);
        }

        /**
         * What to do at candle {@code i}: {@link #HOLD}, {@link #BUY} or {@link #SELL}.
         */
        public int decide(int i, double open, double high, double low, double close, Signal signal) {
            reference = close;
            stop = false;
            if (held > 0) {
                double stopPrice = Double.NEGATIVE_INFINITY;
                boolean isStop = false;
                if (!Double.isNaN(stopLoss)) {
                    stopPrice = entry * (1 - stopLoss);
                    isStop = true;
                }
                if (!Double.isNaN(trailingStop) && (trailingOffset <= 0 || highWater >= entry * (1 + trailingOffset))) {
                    double trailing = highWater * (1 - trailingStop);
                    if (trailing > stopPrice) {
                        stopPrice = trailing;
                        isStop = true;
                    }
                }
                if (isStop && low <= stopPrice) {
                    stop = true;
                    reference = Math.min(open, stopPrice);
                    return SELL;
                }
                if (!Double.isNaN(takeProfit) && high >= entry * (1 + takeProfit)) {
                    reference = Math.max(open, entry * (1 + takeProfit));
                    return SELL;
                }
                highWater = Math.max(highWater, high);
            }
            if (paused) {
                return HOLD;
            }
            if (drawdownGuard) {
                double equity = cash + held * close;
                if (peak > 0 && peak - equity >= peak * maxDrawdown) {
                    paused = true;
                    return held > 0 ? SELL : HOLD;
                }
                peak = Math.max(peak, equity);
            }
            if (signal == Signal.SELL && held > 0) {
                return SELL;
            }
            if (signal == Signal.BUY && held == 0 && i >= cooldownUntil) {
                amount = Double.isNaN(sizing) ? quoteAmount
                        : fraction ? Math.floor(cash * sizing * QUANTITY_STEP) / QUANTITY_STEP : sizing;
                return amount > 0 ? BUY : HOLD;
            }
            return HOLD;
        }

        /** A buy filled at {@code price}: the position, its cost and its exits' marks. */
        public void bought(double price, double quantity, double fee) {
            cost = price * quantity + fee;
            cash -= cost;
            held = quantity;
            entry = price;
            highWater = price;
        }

        /**
         * The sell of the whole position at candle {@code i} brought {@code proceeds},
         * less {@code fee}; a stop starts the cooldown.
         */
        public void sold(int i, double proceeds, double fee) {
            cash += proceeds - fee;
            held = 0;
            cost = 0;
            if (stop && cooldownCandles > 0) {
                cooldownUntil = i + cooldownCandles;
            }
        }

    }

}
