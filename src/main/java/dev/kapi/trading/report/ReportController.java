package dev.kapi.trading.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.BotStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 002's reports (§36–37): one bot's performance, and a summary over all the user's
 * bots.
 */
@RestController
@RequestMapping("/api/trading/reports")
@Tag(name = "trading")
class ReportController {

    private final Reports reports;

    ReportController(Reports reports) {
        this.reports = reports;
    }

    record BotPerformanceResponse(@JsonProperty("bot_id") long botId, String name, String symbol, BotStatus status,
            boolean active, PerformanceResponse performance) {
    }

    record SummaryLine(@JsonProperty("bot_id") long botId, String name, String symbol, BotStatus status, boolean active,
            @JsonProperty("trade_count") long tradeCount, @JsonProperty("realized_pnl") BigDecimal realizedPnl,
            @JsonProperty("unrealized_pnl") BigDecimal unrealizedPnl, @JsonProperty("total_pnl") BigDecimal totalPnl,
            @JsonProperty("last_trade_at") Instant lastTradeAt) {

        static SummaryLine from(Reports.BotLine line) {
            Bot bot = line.bot();
            Reports.Figures figures = line.figures();
            return new SummaryLine(bot.id(), bot.name(), bot.symbol(), bot.status(), bot.active(), figures.tradeCount(),
                    figures.realizedPnl(), figures.unrealizedPnl(), figures.totalPnl(), figures.lastTradeAt());
        }
    }

    record Totals(int bots, @JsonProperty("active_bots") int activeBots, @JsonProperty("trade_count") long tradeCount,
            @JsonProperty("realized_pnl") BigDecimal realizedPnl,
            @JsonProperty("unrealized_pnl") BigDecimal unrealizedPnl, @JsonProperty("total_pnl") BigDecimal totalPnl,
            @JsonProperty("last_trade_at") Instant lastTradeAt) {
    }

    record SummaryResponse(List<SummaryLine> bots, Totals totals) {

        static SummaryResponse from(Reports.Summary summary) {
            Reports.Figures all = summary.totals();
            return new SummaryResponse(summary.bots().stream().map(SummaryLine::from).toList(),
                    new Totals(summary.bots().size(), summary.activeBots(), all.tradeCount(), all.realizedPnl(),
                            all.unrealizedPnl(), all.totalPnl(), all.lastTradeAt()));
        }
    }

    @GetMapping("/{bot_id:\\d+}/performance")
    @Operation(summary = "A bot's performance: trades, buys, sells, realized and total PnL, win rate, max drawdown")
    BotPerformanceResponse performance(@AuthenticationPrincipal CurrentAccount me, @PathVariable("bot_id") long botId) {
        Reports.BotPerformance found = reports.performance(me.id(), botId);
        Bot bot = found.bot();
        return new BotPerformanceResponse(bot.id(), bot.name(), bot.symbol(), bot.status(), bot.active(),
                PerformanceResponse.from(found.performance()));
    }

    @GetMapping("/summary")
    @Operation(summary = "Every bot of the user with its trades and PnL, and the totals")
    SummaryResponse summary(@AuthenticationPrincipal CurrentAccount me) {
        return SummaryResponse.from(reports.summary(me.id()));
    }

}
