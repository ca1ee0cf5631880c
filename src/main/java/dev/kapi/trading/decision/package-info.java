/**
 * The per-candle decision of bots, backtests and sweeps ({@code CandleRule}): the risk
 * settings ({@code Risk}), the exits and sizing ({@code Exits}) and why a sell sold
 * ({@code ExitReason}).
 */
package dev.kapi.trading.decision;
