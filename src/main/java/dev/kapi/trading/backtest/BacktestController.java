package dev.kapi.trading.backtest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
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

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.report.EquityPoint;
import dev.kapi.trading.report.PerformanceResponse;
import dev.kapi.trading.strategy.Strategies;
import dev.kapi.trading.trade.Trade;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Backtests: a strategy over uploaded (Binance kline CSV) or generated candles, with the
 * bot's risk settings (same names), fees and slippage, answered like a performance report
 * plus risk and return figures. The figures are over every trade; the answer carries at
 * most 1,000 trades, and {@code trades.csv} streams all.
 */
@RestController
@RequestMapping("/api/trading/backtests")
@Tag(name = "trading")
class BacktestController {

    /** The trades CSV's header: the names of an answer's trade fields. */
    static final String CSV_HEADER = "side,price,quantity,fee,realized_pnl,executed_at,exit_reason\n";

    private final BacktestManagement backtests;

    private final Strategies strategies;

    BacktestController(BacktestManagement backtests, Strategies strategies) {
        this.backtests = backtests;
        this.strategies = strategies;
    }

    record BacktestRequest(@NotBlank String strategy, @NotNull Map<String, Object> params,
            @Pattern(regexp = "[A-Z0-9]{5,20}") String symbol,
            @Schema(implementation = CandleInterval.class) String interval,
            @JsonProperty("quote_amount") @DecimalMin(value = "0",
                    inclusive = false) @DecimalMax(Money.MAX_AMOUNT) @Digits(integer = 20,
                            fraction = 18) BigDecimal quoteAmount,
            @Schema(description = "Binance kline CSV") String candles, @Valid CandleSource.Generate generate,
            @Schema(description = "stored candles of a range (POST /api/trading/candles/download); "
                    + "its symbol and interval are the backtest's") @Valid CandleSource.Source source,
            @JsonProperty("fee_rate") @DecimalMin("0") @DecimalMax(CandleSource.MAX_COST) @Digits(integer = 1,
                    fraction = 8) BigDecimal feeRate,
            @DecimalMin("0") @DecimalMax(CandleSource.MAX_COST) @Digits(integer = 1, fraction = 8) BigDecimal slippage,
            @JsonUnwrapped @Valid Risk risk, @JsonProperty("trades_limit") @Schema(
                    description = "the most trades the answer carries (default and at most 1,000)") @Min(0) @Max(BacktestManagement.MAX_TRADES) Integer tradesLimit) {

        /** The risk settings, checked against each other. */
        Risk checkedRisk() {
            return (risk == null ? Risk.NONE : risk).check();
        }
    }

    record BacktestTrade(Side side, BigDecimal price, BigDecimal quantity, BigDecimal fee,
            @JsonProperty("realized_pnl") BigDecimal realizedPnl, @JsonProperty("executed_at") Instant executedAt,
            @JsonProperty("exit_reason") ExitReason exitReason) {

        static BacktestTrade from(Trade trade) {
            return new BacktestTrade(trade.side(), Money.plain(trade.price()), Money.plain(trade.quantity()),
                    Money.plain(trade.fee()), Money.plain(trade.realizedPnl()), trade.executedAt(), trade.exitReason());
        }

        /** The trade as a line of the CSV, in {@link #CSV_HEADER}'s order. */
        String csvLine() {
            return String.join(",", side.wire(), price.toPlainString(), quantity.toPlainString(), fee.toPlainString(),
                    realizedPnl.toPlainString(), executedAt.toString(), exitReason == null ? "" : exitReason.wire())
                    + "\n";
        }
    }

    record BacktestResponse(long id, int candles, PerformanceResponse performance, List<BacktestTrade> trades,
            @JsonProperty("trades_total") int tradesTotal, @JsonProperty("trades_truncated") boolean tradesTruncated,
            @JsonProperty("trades_csv") String tradesCsv, @JsonProperty("fee_rate") BigDecimal feeRate,
            BigDecimal slippage, @JsonProperty("starting_balance") BigDecimal startingBalance,
            @JsonProperty("total_return") BigDecimal totalReturn, @JsonProperty("max_drawdown") BigDecimal maxDrawdown,
            BigDecimal sharpe, BigDecimal sortino, @JsonProperty("profit_factor") BigDecimal profitFactor,
            @JsonProperty("win_rate") BigDecimal winRate, BigDecimal exposure,
            @JsonProperty("exit_reasons") Map<String, Integer> exitReasons,
            @JsonProperty("buy_and_hold") BigDecimal buyAndHold, boolean paused,
            @JsonProperty("equity_curve") List<EquityPoint> equityCurve) {
    }

    @PostMapping
    @Operation(
            summary = "Run a strategy with risk settings over candles given as Binance kline CSV or generated from a seed")
    BacktestResponse run(@AuthenticationPrincipal CurrentAccount me, @Valid @RequestBody BacktestRequest request) {
        Strategies.Configured<?> strategy = strategies.read(request.strategy(), request.params());
        CandleInterval interval = request.source() != null ? request.source().candleInterval()
                : CandleSource.interval(request.interval());
        String symbol = request.source() != null ? request.source().symbol() : request.symbol();
        Risk risk = request.checkedRisk();
        Backtester.Setup setup = new Backtester.Setup(symbol == null ? "BACKTEST" : symbol, interval,
                request.quoteAmount() == null ? BigDecimal.valueOf(100) : request.quoteAmount(), risk,
                request.feeRate(), request.slippage());
        int limit = request.tradesLimit() == null ? BacktestManagement.MAX_TRADES : request.tradesLimit();
        BacktestManagement.Run run = backtests.bounded(() -> backtests.run(me.id(),
                new BacktestManagement.Request(strategy, setup, request.candles(), request.generate(), request.source(),
                        backtests.candles(request.candles(), request.generate(), request.source(), interval)),
                limit));
        Backtester.Result result = run.result();
        BacktestReport report = result.report();
        Map<String, Integer> reasons = new LinkedHashMap<>();
        report.exitReasons().forEach((reason, count) -> reasons.put(reason.wire(), count));
        int total = result.performance().tradeCount();
        return new BacktestResponse(run.id(), result.candles(), PerformanceResponse.from(result.performance()),
                run.trades().stream().map(BacktestTrade::from).toList(), total, run.trades().size() < total,
                "/api/trading/backtests/" + run.id() + "/trades.csv", Money.plain(result.feeRate()),
                Money.plain(result.slippage()), Money.plain(risk.balance()),
                BacktestReport.decimal(report.totalReturn()), BacktestReport.decimal(report.maxDrawdown()),
                BacktestReport.decimal(report.sharpe()), BacktestReport.decimal(report.sortino()),
                BacktestReport.decimal(report.profitFactor()), BacktestReport.decimal(report.winRate()),
                BacktestReport.decimal(report.exposure()), reasons, BacktestReport.decimal(report.buyAndHold()),
                report.paused(),
                report.curve()
                    .stream()
                    .map(point -> new EquityPoint(point.at(), BacktestReport.decimal(point.equity())))
                    .toList());
    }

    @GetMapping("/{id:\\d+}/trades.csv")
    @Operation(summary = "Every trade of one of the user's backtests (the newest 10 are kept) as CSV, streamed as "
            + "the backtest runs again")
    void trades(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id, HttpServletResponse response) {
        Backtests.Stored stored = backtests.stored(me.id(), id);
        backtests.bounded(() -> {
            response.setContentType("text/csv;charset=UTF-8");
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                    ContentDisposition.attachment().filename("backtest-" + id + "-trades.csv").build().toString());
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            try {
                Writer out = new BufferedWriter(
                        new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
                out.write(CSV_HEADER);
                backtests.replay(stored, trade -> {
                    try {
                        out.write(BacktestTrade.from(trade).csvLine());
                    }
                    catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
                out.flush();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return null;
        });
    }

}
