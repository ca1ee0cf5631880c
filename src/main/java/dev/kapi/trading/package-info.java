/**
 * Seed 002's trading bots: exchange API keys sealed at rest, bots with pluggable
 * strategies, a runner that ticks every active bot once per closed candle across
 * instances, trades with FIFO realized PnL, reports and backtests. Exchanges sit behind
 * one interface: a paper exchange (the default) and Binance.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Trading")
package dev.kapi.trading;
