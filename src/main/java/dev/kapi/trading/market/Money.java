package dev.kapi.trading.market;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How amounts are rounded: 18 decimals stored, divisions to 34 digits, answers without
 * trailing zeros.
 */
public final class Money {

    static final int SCALE = 18;

    public static final MathContext MATH = MathContext.DECIMAL128;

    /**
     * The most quote currency a bot may spend on one buy, lose in a day or hold, and the
     * largest balance a backtest starts from: a trillion (a Bean Validation bound).
     */
    public static final String MAX_AMOUNT = "1000000000000";

    private Money() {
    }

    public static BigDecimal round(BigDecimal value) {
        return value.setScale(SCALE, RoundingMode.HALF_EVEN);
    }

    /** A value as answered: plain, without trailing zeros; null stays null. */
    public static BigDecimal plain(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

}
