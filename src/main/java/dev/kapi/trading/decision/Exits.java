package dev.kapi.trading.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

import dev.kapi.trading.market.Candle;

/**
 * The one exit engine of paper bots, live bots and backtests, so that they give the same
 * exits on the same candles. A position bought at a candle's close is checked from the
 * next candle on, against each candle's low and high: a stop fires inside the candle at
 * its stop price (at the open when the candle opened beyond it, a gap), and the sell then
 * fills as any sell does (the paper exchange moves it by the slippage). When one candle
 * reaches both a stop and the take-profit target, the stop is taken: a candle does not
 * tell which came first, and the careful answer is the worse one. The trailing stop
 * trails the highest high of the candles before this one (the entry price at first), so a
 * candle's own high never raises the stop it is checked against.
 */
public final class Exits {

    private static final int PRICE_SCALE = 18;

    private Exits() {
    }

    /** A risk exit: why, and the price it fires at (before slippage). */
    public record Exit(ExitReason reason, BigDecimal price) {
    }

    /** The exit this candle triggers for a position entered at {@code entry}, or null. */
    static Exit check(Risk risk, BigDecimal entry, BigDecimal highWater, Candle candle) {
        if (!risk.exits() || entry == null) {
            return null;
        }
        BigDecimal stop = null;
        ExitReason reason = null;
        if (risk.stopLoss() != null) {
            stop = price(entry.multiply(BigDecimal.ONE.subtract(risk.stopLoss())));
            reason = ExitReason.STOP_LOSS;
        }
        BigDecimal trailing = trailingStop(risk, entry, highWater);
        if (trailing != null && (stop == null || trailing.compareTo(stop) > 0)) {
            stop = trailing;
            reason = ExitReason.TRAILING_STOP;
        }
        if (stop != null && candle.low().compareTo(stop) <= 0) {
            return new Exit(reason, candle.open().min(stop));
        }
        if (risk.takeProfit() != null) {
            BigDecimal target = price(entry.multiply(BigDecimal.ONE.add(risk.takeProfit())));
            if (candle.high().compareTo(target) >= 0) {
                return new Exit(ExitReason.TAKE_PROFIT, candle.open().max(target));
            }
        }
        return null;
    }

    /**
     * The stop a position entered at {@code entry} holds now: the higher of the stop loss
     * and the trailing stop (from the highest price so far), and which it is; null when
     * neither is set or trailing yet. What a stop on the exchange is placed at.
     */
    public static Exit stop(Risk risk, BigDecimal entry, BigDecimal highWater) {
        if (entry == null) {
            return null;
        }
        Exit stop = risk.stopLoss() == null ? null
                : new Exit(ExitReason.STOP_LOSS, price(entry.multiply(BigDecimal.ONE.subtract(risk.stopLoss()))));
        BigDecimal trailing = trailingStop(risk, entry, highWater);
        if (trailing != null && (stop == null || trailing.compareTo(stop.price()) > 0)) {
            stop = new Exit(ExitReason.TRAILING_STOP, trailing);
        }
        return stop;
    }

    /** The take-profit target of a position entered at {@code entry}; null when none. */
    public static BigDecimal target(Risk risk, BigDecimal entry) {
        return risk.takeProfit() == null || entry == null ? null
                : price(entry.multiply(BigDecimal.ONE.add(risk.takeProfit())));
    }

    /**
     * The trailing stop's price, or null while it is not trailing (no setting, or the
     * offset not reached).
     */
    static BigDecimal trailingStop(Risk risk, BigDecimal entry, BigDecimal highWater) {
        if (risk.trailingStop() == null || highWater == null) {
            return null;
        }
        BigDecimal offset = risk.trailingOffset() == null ? BigDecimal.ZERO : risk.trailingOffset();
        if (offset.signum() > 0 && highWater.compareTo(entry.multiply(BigDecimal.ONE.add(offset))) < 0) {
            return null;
        }
        return price(highWater.multiply(BigDecimal.ONE.subtract(risk.trailingStop())));
    }

    /** The highest price since the entry after this candle. */
    static BigDecimal highWater(BigDecimal highWater, Candle candle) {
        return highWater == null ? candle.high() : highWater.max(candle.high());
    }

    /**
     * What a buy spends: {@code position_sizing}'s fixed quote, or its fraction of the
     * balance not in a position, or else the bot's {@code quote_amount}; zero when the
     * balance has nothing for a fraction.
     */
    static BigDecimal buyAmount(Risk risk, BigDecimal quoteAmount, BigDecimal available) {
        Risk.Sizing sizing = risk.positionSizing();
        if (sizing == null) {
            return quoteAmount;
        }
        if (!sizing.fraction()) {
            return sizing.value();
        }
        return available.signum() <= 0 ? BigDecimal.ZERO
                : available.multiply(sizing.value()).setScale(8, RoundingMode.DOWN);
    }

    /** Whether equity has fallen {@code max_drawdown} or more below its peak. */
    static boolean drawdownBreached(Risk risk, BigDecimal peak, BigDecimal equity) {
        if (risk.maxDrawdown() == null || peak == null || peak.signum() <= 0) {
            return false;
        }
        return peak.subtract(equity).compareTo(peak.multiply(risk.maxDrawdown())) >= 0;
    }

    /** Until when no buy follows a sell for this reason; null when none waits. */
    public static Instant cooldownUntil(Risk risk, ExitReason reason, Instant soldAt) {
        if (reason == null || !reason.stop() || risk.cooldownMinutes() == null || risk.cooldownMinutes() == 0) {
            return null;
        }
        return soldAt.plusSeconds(60L * risk.cooldownMinutes());
    }

    private static BigDecimal price(BigDecimal value) {
        return value.setScale(PRICE_SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
    }

}
