package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Published when a trade is recorded (a bot's or a manual one), in the transaction that
 * records it; a listener that reacts after commit ({@code @ApplicationModuleListener})
 * sees only trades that stayed. Amounts are in the quote currency; {@code side} is
 * {@code buy} or {@code sell}; {@code exitReason} is why a bot's sell closed its position
 * ({@code signal}, {@code stop_loss}, {@code take_profit}, {@code trailing_stop},
 * {@code max_drawdown}), null otherwise; {@code source} is {@code bot} or {@code manual}.
 */
public record TradeExecuted(long tradeId, Long botId, long accountId, String symbol, String side, BigDecimal price,
        BigDecimal quantity, BigDecimal fee, BigDecimal realizedPnl, String exitReason, String source,
        Instant executedAt) {
}
