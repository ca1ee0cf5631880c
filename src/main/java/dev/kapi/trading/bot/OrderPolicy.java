package dev.kapi.trading.bot;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.shared.ApiException;

/**
 * How a bot's signal orders go to the exchange. {@code market} (the default) fills at
 * once. {@code limit} rests at {@code limit_offset} (a fraction of the last close) below
 * it for a buy and above it for a sell; after {@code unfilled_timeout_minutes} what has
 * not filled is cancelled, or with {@code on_unfilled: reprice} cancelled and placed
 * again at the new last close, up to {@link #MAX_REPRICES} times. Exits for risk (stops,
 * take-profit, drawdown) and ways out stay market orders.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OrderPolicy(@JsonProperty("order_type") @Pattern(regexp = "market|limit") String orderType,
        @JsonProperty("limit_offset") @DecimalMin("0") @DecimalMax(MAX_OFFSET) @Digits(integer = 1,
                fraction = 8) BigDecimal limitOffset,
        @JsonProperty("unfilled_timeout_minutes") @Min(1) @Max(MAX_TIMEOUT_MINUTES) Integer unfilledTimeoutMinutes,
        @JsonProperty("on_unfilled") @Pattern(regexp = "reprice|cancel") String onUnfilled) {

    /** The largest offset: 10% from the last close. */
    public static final String MAX_OFFSET = "0.1";

    /** A week. */
    public static final int MAX_TIMEOUT_MINUTES = 10_080;

    /** How many times an unfilled order is placed again before it is cancelled. */
    public static final int MAX_REPRICES = 3;

    static final int DEFAULT_TIMEOUT_MINUTES = 10;

    public static final OrderPolicy MARKET = new OrderPolicy("market", null, null, null);

    public boolean limit() {
        return "limit".equals(orderType);
    }

    public boolean reprice() {
        return "reprice".equals(onUnfilled);
    }

    /**
     * The policy as stored: a market bot has no limit fields (a 400 naming the first one
     * given); a limit bot gets the defaults of those not given (offset 0, 10 minutes,
     * cancel).
     */
    OrderPolicy check() {
        if (!limit()) {
            if (limitOffset != null) {
                throw ApiException.invalidField("limit_offset", "limit-field-without-limit-order");
            }
            if (unfilledTimeoutMinutes != null) {
                throw ApiException.invalidField("unfilled_timeout_minutes", "limit-field-without-limit-order");
            }
            if (onUnfilled != null) {
                throw ApiException.invalidField("on_unfilled", "limit-field-without-limit-order");
            }
            return MARKET;
        }
        return new OrderPolicy("limit", limitOffset == null ? BigDecimal.ZERO : limitOffset,
                unfilledTimeoutMinutes == null ? DEFAULT_TIMEOUT_MINUTES : unfilledTimeoutMinutes,
                onUnfilled == null ? "cancel" : onUnfilled);
    }

}
