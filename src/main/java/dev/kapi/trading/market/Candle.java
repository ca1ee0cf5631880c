package dev.kapi.trading.market;

import java.math.BigDecimal;
import java.time.Instant;

/** One closed candle (kline) of a symbol, identified by its open time. */
public record Candle(Instant openTime, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close,
        BigDecimal volume) {
}
