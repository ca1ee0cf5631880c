package dev.kapi.trading.strategy;

import java.math.BigDecimal;
import java.util.List;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.shared.ApiException;
import dev.kapi.trading.market.Candle;

/**
 * Seed 002's threshold strategy: buy when the close is below {@code buy_below}, sell when
 * above {@code sell_above}.
 */
@Component
public final class SimpleStrategy implements Strategy<SimpleStrategy.Params> {

    /** Seed 002's default strategy. */
    public static final String NAME = "simple";

    record Params(@JsonProperty("buy_below") @NotNull @DecimalMin(value = "0", inclusive = false) BigDecimal buyBelow,
            @JsonProperty("sell_above") @NotNull @DecimalMin(value = "0", inclusive = false) BigDecimal sellAbove) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(Params params) {
        if (params.sellAbove().compareTo(params.buyBelow()) <= 0) {
            throw ApiException.invalidField("sell_above", "sell-above-not-above-buy-below");
        }
    }

    @Override
    public int candlesNeeded(Params params) {
        return 1;
    }

    @Override
    public Signal[] signals(Params params, List<Candle> candles) {
        Signal[] signals = new Signal[candles.size()];
        for (int i = 0; i < signals.length; i++) {
            BigDecimal close = candles.get(i).close();
            signals[i] = close.compareTo(params.buyBelow()) < 0 ? Signal.BUY
                    : close.compareTo(params.sellAbove()) > 0 ? Signal.SELL : Signal.HOLD;
        }
        return signals;
    }

}
