package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Instant;

/** One closed candle (kline) of a symbol, identified by its open time. */
record Candle(Instant openTime, BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close, BigDecimal volume) {
}
