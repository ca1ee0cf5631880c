package dev.kapi.trading.exchange;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What Kapı needs of a symbol's rules on its exchange: its two assets, the quantity rules
 * of a market order (a zero step or maximum means none), the price tick (zero: none) and
 * the order value bounds ({@code minNotional}/{@code maxNotional}, zero: none).
 */
public record SymbolRules(String baseAsset, String quoteAsset, BigDecimal minQty, BigDecimal maxQty,
        BigDecimal stepSize, BigDecimal tickSize, BigDecimal minNotional, BigDecimal maxNotional) {

    /** The quantity rounded down to the step size. */
    public BigDecimal floor(BigDecimal quantity) {
        return round(quantity, stepSize, RoundingMode.DOWN);
    }

    /** The price rounded to the tick, in the direction given. */
    public BigDecimal price(BigDecimal price, RoundingMode mode) {
        return round(price, tickSize, mode);
    }

    private static BigDecimal round(BigDecimal value, BigDecimal unit, RoundingMode mode) {
        if (unit.signum() == 0) {
            return value;
        }
        return value.divide(unit, 0, mode).multiply(unit);
    }

}
