package dev.kapi.trading.report;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.trading.market.Money;

/** A {@link Performance} as answered: a bot's report, a backtest's figures. */
public record PerformanceResponse(@JsonProperty("trade_count") int tradeCount, int buys, int sells, BigDecimal volume,
        BigDecimal fees, @JsonProperty("realized_pnl") BigDecimal realizedPnl,
        @JsonProperty("unrealized_pnl") BigDecimal unrealizedPnl, @JsonProperty("total_pnl") BigDecimal totalPnl,
        @JsonProperty("winning_sells") int winningSells, @JsonProperty("losing_sells") int losingSells,
        @JsonProperty("win_rate") BigDecimal winRate, @JsonProperty("max_drawdown") BigDecimal maxDrawdown,
        @JsonProperty("position_quantity") BigDecimal positionQuantity,
        @JsonProperty("last_price") BigDecimal lastPrice, @JsonProperty("last_trade_at") Instant lastTradeAt) {

    public static PerformanceResponse from(Performance p) {
        return new PerformanceResponse(p.tradeCount(), p.buys(), p.sells(), Money.plain(p.volume()),
                Money.plain(p.fees()), Money.plain(p.realizedPnl()), Money.plain(p.unrealizedPnl()),
                Money.plain(p.totalPnl()), p.winningSells(), p.losingSells(), Money.plain(p.winRate()),
                Money.plain(p.maxDrawdown()), Money.plain(p.positionQuantity()), Money.plain(p.lastPrice()),
                p.lastTradeAt());
    }
}
