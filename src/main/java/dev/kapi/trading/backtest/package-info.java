/**
 * Backtests: a strategy with risk settings over uploaded or generated candles ({@code
 * Backtester}, {@code BacktestReport}), the newest kept per user, their routes and trades
 * CSV.
 */
package dev.kapi.trading.backtest;
