package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Backtests: a strategy over uploaded (Binance kline CSV) or generated candles, answered like a performance report. */
@RestController
@RequestMapping("/api/trading/backtests")
@Tag(name = "trading")
class BacktestController {

    /** A year of one-minute candles and some more. */
    static final int MAX_CANDLES = 600_000;

    private final Backtester backtester;
    private final Strategies strategies;

    BacktestController(Backtester backtester, Strategies strategies) {
        this.backtester = backtester;
        this.strategies = strategies;
    }

    record Generate(@NotNull Long seed, @NotNull @Min(1) @Max(MAX_CANDLES) Integer count,
            @JsonProperty("start_price") @DecimalMin(value = "0", inclusive = false) BigDecimal startPrice,
            @Schema(format = "date-time") String start) {
    }

    record BacktestRequest(@NotBlank String strategy, @NotNull Map<String, Object> params,
            @Pattern(regexp = "[A-Z0-9]{5,20}") String symbol, String interval,
            @JsonProperty("quote_amount") @DecimalMin(value = "0", inclusive = false) @DecimalMax(BotController.MAX_AMOUNT)
            @Digits(integer = 20, fraction = 18) BigDecimal quoteAmount,
            @Schema(description = "Binance kline CSV") String candles, @Valid Generate generate) {
    }

    record BacktestTrade(String side, BigDecimal price, BigDecimal quantity, BigDecimal fee,
            @JsonProperty("realized_pnl") BigDecimal realizedPnl, @JsonProperty("executed_at") Instant executedAt) {

        static BacktestTrade from(Trade trade) {
            return new BacktestTrade(trade.side().wire(), Money.plain(trade.price()), Money.plain(trade.quantity()),
                    Money.plain(trade.fee()), Money.plain(trade.realizedPnl()), trade.executedAt());
        }
    }

    record BacktestResponse(int candles, ReportController.PerformanceResponse performance, List<BacktestTrade> trades) {
    }

    @PostMapping
    @Operation(summary = "Run a strategy over candles given as Binance kline CSV or generated from a seed")
    BacktestResponse run(@Valid @RequestBody BacktestRequest request) {
        Strategies.Configured<?> strategy = strategies.read(request.strategy(), request.params());
        CandleInterval interval = request.interval() == null ? CandleInterval.M1
                : CandleInterval.of(request.interval())
                        .orElseThrow(() -> ApiException.invalidField("interval", "interval-unknown", "1m, 5m, 1h, 1d"));
        if ((request.candles() == null) == (request.generate() == null)) {
            throw ApiException.invalidField("candles", "backtest-candles-or-generate");
        }
        List<Candle> candles = request.candles() != null ? CandleCsv.parse(request.candles(), MAX_CANDLES)
                : GeneratedPrices.walk(request.generate().seed(), request.generate().count(), interval,
                        request.generate().start() == null ? Instant.parse("2024-01-01T00:00:00Z")
                                : TradeController.instant(request.generate().start(), "generate.start"),
                        request.generate().startPrice() == null ? BigDecimal.valueOf(100) : request.generate().startPrice());
        Backtester.Result result = backtester.run(strategy, request.symbol() == null ? "BACKTEST" : request.symbol(),
                interval, request.quoteAmount() == null ? BigDecimal.valueOf(100) : request.quoteAmount(), candles);
        return new BacktestResponse(result.candles(), ReportController.PerformanceResponse.from(result.performance()),
                result.trades().stream().map(BacktestTrade::from).toList());
    }
}
