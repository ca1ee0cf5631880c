/**
 * Market data and amounts every trading feature shares: closed candles ({@code Candle})
 * and their intervals, Binance kline CSV, generated price walks, order sides, and how
 * amounts are rounded and bounded ({@code Money}).
 */
package dev.kapi.trading.market;
