package dev.kapi.trading.backtest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Backtests: how many (and trades CSVs, which run one again) of all users may run at once
 * on this instance. Each holds its candles in memory (up to 600,000), so this is what
 * bounds the memory they take together.
 */
@ConfigurationProperties("kapi.trading.backtests")
record BacktestSettings(@DefaultValue("4") int maxRunning) {
}
