package dev.kapi.trading.report;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A point of an equity curve, a bot's or a backtest's: the equity at a candle's close.
 */
public record EquityPoint(Instant at, BigDecimal equity) {
}
