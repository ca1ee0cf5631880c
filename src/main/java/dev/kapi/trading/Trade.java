package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A trade as stored. {@code botId} null: a manual trade in its owner's own book for the
 * symbol. {@code exitReason}: why a bot's sell closed its position (null for buys and
 * manual trades).
 */
record Trade(long id, long ownerId, Long botId, String symbol, Side side, BigDecimal price, BigDecimal quantity,
        BigDecimal fee, BigDecimal realizedPnl, String source, String clientOrderId, Instant executedAt,
        ExitReason exitReason) {
}
