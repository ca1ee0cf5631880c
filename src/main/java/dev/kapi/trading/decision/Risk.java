package dev.kapi.trading.decision;

import java.math.BigDecimal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.shared.ApiException;
import dev.kapi.trading.market.Money;

/**
 * A bot's (or a backtest's, or a sweep's) risk settings, each optional. Fractions of the
 * entry price: {@code stop_loss} sells when the price falls that far below the entry,
 * {@code take_profit} when it rises that far above it, {@code trailing_stop} when it
 * falls that far below the highest price since the entry, once that highest price is
 * {@code trailing_offset} above the entry (from the entry when no offset).
 * {@code max_drawdown} is a fraction of equity (starting balance plus realized and open
 * PnL): falling that far below its peak sells and pauses the bot.
 * {@code cooldown_minutes}: no buy for that long after a stop. {@code position_sizing}:
 * each buy spends a fixed quote amount, or a fraction of the balance not in the position;
 * without it a buy spends the bot's {@code quote_amount}. {@code starting_balance}
 * (10,000 when not given) is the capital the balance and equity start from.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Risk(
        @JsonProperty("stop_loss") @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1",
                inclusive = false) @Digits(integer = 1, fraction = 8) BigDecimal stopLoss,
        @JsonProperty("take_profit") @DecimalMin(value = "0", inclusive = false) @DecimalMax("100") @Digits(integer = 3,
                fraction = 8) BigDecimal takeProfit,
        @JsonProperty("trailing_stop") @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1",
                inclusive = false) @Digits(integer = 1, fraction = 8) BigDecimal trailingStop,
        @JsonProperty("trailing_offset") @DecimalMin("0") @DecimalMax("100") @Digits(integer = 3,
                fraction = 8) BigDecimal trailingOffset,
        @JsonProperty("max_drawdown") @DecimalMin(value = "0", inclusive = false) @DecimalMax(value = "1",
                inclusive = false) @Digits(integer = 1, fraction = 8) BigDecimal maxDrawdown,
        @JsonProperty("cooldown_minutes") @Min(0) @Max(MAX_COOLDOWN_MINUTES) Integer cooldownMinutes,
        @JsonProperty("position_sizing") @Valid Sizing positionSizing,
        @JsonProperty("starting_balance") @DecimalMin(value = "0",
                inclusive = false) @DecimalMax(Money.MAX_AMOUNT) @Digits(integer = 20,
                        fraction = 18) BigDecimal startingBalance) {

    static final int MAX_COOLDOWN_MINUTES = 525_600;
    static final BigDecimal DEFAULT_STARTING_BALANCE = BigDecimal.valueOf(10_000);

    public static final Risk NONE = new Risk(null, null, null, null, null, null, null, null);

    /**
     * {@code fixed_quote}: {@code value} quote per buy; {@code balance_fraction}: that
     * share (at most 1) of the balance.
     */
    public record Sizing(@NotNull @Pattern(regexp = "fixed_quote|balance_fraction") String mode,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax(Money.MAX_AMOUNT) @Digits(integer = 20,
                    fraction = 18) BigDecimal value) {

        public boolean fraction() {
            return "balance_fraction".equals(mode);
        }
    }

    /** Rules between the settings; a 400 naming the field. */
    public Risk check() {
        if (trailingOffset != null && trailingStop == null) {
            throw ApiException.invalidField("trailing_offset", "trailing-offset-without-trailing-stop");
        }
        if (positionSizing != null && positionSizing.fraction()
                && positionSizing.value().compareTo(BigDecimal.ONE) > 0) {
            throw ApiException.invalidField("position_sizing.value", "balance-fraction-above-one");
        }
        return this;
    }

    public BigDecimal balance() {
        return startingBalance != null ? startingBalance : DEFAULT_STARTING_BALANCE;
    }

    public boolean exits() {
        return stopLoss != null || takeProfit != null || trailingStop != null;
    }

    public boolean none() {
        return equals(NONE);
    }
}
