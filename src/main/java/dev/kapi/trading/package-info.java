/**
 * Seed 002's trading bots: exchange API keys sealed at rest, bots with pluggable
 * strategies, a runner that ticks every active bot once per closed candle across
 * instances, trades with FIFO realized PnL, reports and backtests. Exchanges sit behind
 * one interface: a paper exchange (the default) and Binance. This package holds what
 * other modules use ({@link dev.kapi.trading.TradeExecuted},
 * {@link dev.kapi.trading.TradingStatistics}) and the settings; each feature has its
 * folder: {@code market}, {@code strategy}, {@code decision}, {@code exchange},
 * {@code bot}, {@code runner}, {@code trade}, {@code report}, {@code backtest},
 * {@code sweep}, {@code notification}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Trading")
package dev.kapi.trading;
