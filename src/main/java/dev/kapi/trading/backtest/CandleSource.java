package dev.kapi.trading.backtest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.shared.ApiException;
import dev.kapi.trading.exchange.Candles;
import dev.kapi.trading.exchange.ExchangeName;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleCsv;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.GeneratedPrices;
import dev.kapi.trading.market.Instants;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The candles a backtest or a sweep runs over: uploaded as Binance kline CSV, generated
 * from a seed ({@link Generate}), or (backtests) read from the shared candle store
 * ({@link Source}); and the bounds the requests share.
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

    /**
     * A range of stored candles, {@code [from, to)}: what {@code POST
     * /api/trading/candles/download} stored. Every candle of the range must be there.
     */
    public record Source(@NotNull @Pattern(regexp = ExchangeName.PATTERN) @Schema(allowableValues = {
            "binance", "btcturk" }) String exchange, @NotNull @Pattern(regexp = "[A-Z0-9]{5,20}") String symbol,
            @NotNull @Schema(implementation = CandleInterval.class) String interval,
            @NotBlank @Size(max = 40) @Schema(format = "date-time") String from,
            @NotBlank @Size(max = 40) @Schema(format = "date-time") String to){

        public CandleInterval candleInterval() {
            return CandleInterval.of(interval)
                .orElseThrow(() -> ApiException.invalidField("source.interval", "interval-unknown", "1m, 5m, 1h, 1d"));
        }

        /** The range's candles from the store; 400 when any is missing. */
        List<Candle> read(Candles store) {
            CandleInterval candleInterval = candleInterval();
            Instant start = Instants.parse(from, "source.from");
            Instant end = Instants.parse(to, "source.to");
            if (!start.isBefore(end)) {
                throw ApiException.invalidField("source.to", "candles-range-invalid");
            }
            long expected = java.time.Duration.between(start, end).dividedBy(candleInterval.length());
            if (expected > MAX_CANDLES) {
                throw ApiException.invalidField("source.to", "candles-span-too-long", MAX_CANDLES);
            }
            List<Candle> candles = store.range(ExchangeName.of(exchange).orElseThrow(), symbol, candleInterval, start,
                    end, MAX_CANDLES);
            if (candles.isEmpty() || candles.size() < expected) {
                throw ApiException.invalidField("source", "candles-missing");
            }
            return candles;
        }
    }

    public static CandleInterval interval(String code) {
        return code == null ? CandleInterval.M1 : CandleInterval.of(code)
            .orElseThrow(() -> ApiException.invalidField("interval", "interval-unknown", "1m, 5m, 1h, 1d"));
    }

    public static List<Candle> candles(String csv, Generate generate, CandleInterval interval) {
        if ((csv == null) == (generate == null)) {
            throw ApiException.invalidField("candles", "backtest-candles-or-generate");
        }
        return given(csv, generate, interval);
    }

    /** A backtest's candles: exactly one of the CSV, the seed and the stored range. */
    static List<Candle> candles(String csv, Generate generate, Source source, CandleInterval interval, Candles store) {
        int given = (csv == null ? 0 : 1) + (generate == null ? 0 : 1) + (source == null ? 0 : 1);
        if (given != 1) {
            throw ApiException.invalidField("candles", "backtest-candles-or-generate");
        }
        return source != null ? source.read(store) : given(csv, generate, interval);
    }

    private static List<Candle> given(String csv, Generate generate, CandleInterval interval) {
        return csv != null ? CandleCsv.parse(csv, MAX_CANDLES)
                : GeneratedPrices.walk(generate.seed(), generate.count(), interval,
                        generate.start() == null ? Instant.parse("2024-01-01T00:00:00Z")
                                : Instants.parse(generate.start(), "generate.start"),
                        generate.startPrice() == null ? BigDecimal.valueOf(100) : generate.startPrice());
    }

}
