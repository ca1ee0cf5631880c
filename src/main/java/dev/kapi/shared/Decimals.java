package dev.kapi.shared;

import java.math.BigDecimal;

/**
 * The range every decimal Kapı takes in must fall in, so that no arithmetic on it can run
 * away (a {@code 1e-20000000} divided by is millions of digits) and every amount fits
 * {@code numeric(38,18)}: zero, or a magnitude from 1e-18 up to (not including) 1e20,
 * written in at most {@link #MAX_LENGTH} characters. Fields narrow this further with Bean
 * Validation ({@code @Digits}, {@code @DecimalMax}).
 */
public final class Decimals {

    /** Problem code of a number outside the range. */
    public static final String OUT_OF_RANGE = "number-out-of-range";

    /** Digits before the decimal point, as {@code numeric(38,18)} stores them. */
    public static final int MAX_INTEGER_DIGITS = 20;

    /** Decimal places, as {@code numeric(38,18)} stores them. */
    public static final int MAX_FRACTION_DIGITS = 18;

    /** Characters of a number as written, sign and exponent included. */
    public static final int MAX_LENGTH = 64;

    private Decimals() {
    }

    /**
     * Whether the value's magnitude is in range (its digits past the 18th decimal may
     * still be rounded).
     */
    public static boolean inRange(BigDecimal value) {
        if (value.signum() == 0) {
            return true;
        }
        // The power of ten of the leading digit: 123.4 -> 2, 0.00123 -> -3.
        long leading = (long) value.precision() - value.scale() - 1;
        return leading < MAX_INTEGER_DIGITS && leading >= -MAX_FRACTION_DIGITS;
    }

    /**
     * A value computed from others (price × quantity, a fee, a PnL) that is about to be
     * stored: 400 if it does not fit.
     */
    public static BigDecimal requireStorable(BigDecimal value, String field) {
        if (value != null && value.signum() != 0 && (long) value.precision() - value.scale() > MAX_INTEGER_DIGITS) {
            throw ApiException.invalidField(field, OUT_OF_RANGE);
        }
        return value;
    }

}
