package dev.kapi.trading.trade;

import java.math.BigDecimal;
import java.time.Instant;

import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.market.Side;

/**
 * A trade as stored. {@code botId} null: a manual trade in its owner's own book for the
 * symbol. {@code exitReason}: why a bot's sell closed its position (null for buys and
 * manual trades).
 */
public record Trade(long id, long ownerId, Long botId, String symbol, Side side, BigDecimal price, BigDecimal quantity,
        BigDecimal fee, BigDecimal realizedPnl, String source, String clientOrderId, Instant executedAt,
        ExitReason exitReason, String priceSource) {

    public Trade(long id, long ownerId, Long botId, String symbol, Side side, BigDecimal price, BigDecimal quantity,
            BigDecimal fee, BigDecimal realizedPnl, String source, String clientOrderId, Instant executedAt,
            ExitReason exitReason) {
        this(id, ownerId, botId, symbol, side, price, quantity, fee, realizedPnl, source, clientOrderId, executedAt,
                exitReason, null);
    }

}
