package dev.kapi.trading.bot;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.AccountDirectory;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.report.BotCharts;
import dev.kapi.trading.report.ChartResponse;
import dev.kapi.trading.report.Reports;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The admin's view of trading: every user's bots with their owner's public id (seed 004's
 * {@code userId}) and the PnL figures of the owner's summary report. A plain array; the
 * next page's cursor is in {@code X-Next-Cursor}.
 */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "trading")
class AdminTradingController {

    private final Reports reports;

    private final AccountDirectory accounts;

    private final BotCharts charts;

    AdminTradingController(Reports reports, AccountDirectory accounts, BotCharts charts) {
        this.reports = reports;
        this.accounts = accounts;
        this.charts = charts;
    }

    record AdminBotResponse(long id, @JsonProperty("user_id") String userId, String name, String symbol,
            CandleInterval interval, String strategy, boolean paper, boolean active, BotStatus status,
            @JsonProperty("trade_count") long tradeCount, @JsonProperty("realized_pnl") BigDecimal realizedPnl,
            @JsonProperty("unrealized_pnl") BigDecimal unrealizedPnl, @JsonProperty("total_pnl") BigDecimal totalPnl,
            @JsonProperty("last_trade_at") Instant lastTradeAt, @JsonProperty("created_at") Instant createdAt) {

        static AdminBotResponse from(Reports.BotLine line, String userId) {
            Bot bot = line.bot();
            Reports.Figures figures = line.figures();
            return new AdminBotResponse(bot.id(), userId, bot.name(), bot.symbol(), bot.interval(), bot.strategy(),
                    bot.paper(), bot.active(), bot.status(), figures.tradeCount(), figures.realizedPnl(),
                    figures.unrealizedPnl(), figures.totalPnl(), figures.lastTradeAt(), bot.createdAt());
        }
    }

    @GetMapping("/api/admin/trading/bots")
    @Operation(summary = "Every user's bots with their owner, status and PnL, newest first (admin)")
    ResponseEntity<List<AdminBotResponse>> bots(
            @RequestParam(required = false) @Parameter(
                    schema = @Schema(implementation = BotStatus.class)) String status,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        Page<Reports.BotLine> page = reports.allBots(status, cursor, limit);
        Map<Long, String> owners = accounts
            .publicIds(page.rows().stream().map(line -> line.bot().ownerId()).distinct().toList());
        return page.asArray(line -> AdminBotResponse.from(line, owners.get(line.bot().ownerId())));
    }

    @GetMapping("/api/admin/trading/bots/{id:\\d+}/chart")
    @Operation(summary = "Any user's bot's chart: its last 1,000 candles down-sampled to at most `points`, its "
            + "trades among them and its equity curve (admin)")
    ChartResponse chart(@PathVariable long id,
            @RequestParam(defaultValue = "500") @Min(ChartResponse.MIN_POINTS) @Max(BotCharts.MAX_CANDLES) int points) {
        return ChartResponse.from(charts.ofAny(id, points));
    }

}
