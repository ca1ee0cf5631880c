package dev.kapi.trading.backtest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.shared.ApiException;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleCsv;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.GeneratedPrices;
import dev.kapi.trading.market.Instants;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The candles a backtest or a sweep runs over: uploaded as Binance kline CSV, or
 * generated from a seed ({@link Generate}); and the bounds both requests share.
 */
public final class CandleSource {

    /** A year of one-minute candles and some more. */
    static final int MAX_CANDLES = 600_000;

    /** The highest fee rate or slippage a backtest takes: 10% of the traded amount. */
    public static final String MAX_COST = "0.1";

    private CandleSource() {
    }

    public record Generate(@NotNull Long seed, @NotNull @Min(1) @Max(MAX_CANDLES) Integer count,
            @JsonProperty("start_price") @DecimalMin(value = "0", inclusive = false) BigDecimal startPrice,
            @Schema(format = "date-time") String start) {
    }

    public static CandleInterval interval(String code) {
        return code == null ? CandleInterval.M1 : CandleInterval.of(code)
            .orElseThrow(() -> ApiException.invalidField("interval", "interval-unknown", "1m, 5m, 1h, 1d"));
    }

    public static List<Candle> candles(String csv, Generate generate, CandleInterval interval) {
        if ((csv == null) == (generate == null)) {
            throw ApiException.invalidField("candles", "backtest-candles-or-generate");
        }
        return csv != null ? CandleCsv.parse(csv, MAX_CANDLES)
                : GeneratedPrices.walk(generate.seed(), generate.count(), interval,
                        generate.start() == null ? Instant.parse("2024-01-01T00:00:00Z")
                                : Instants.parse(generate.start(), "generate.start"),
                        generate.startPrice() == null ? BigDecimal.valueOf(100) : generate.startPrice());
    }

}
