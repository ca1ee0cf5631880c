/**
 * Trades: the trade book that records each trade and keeps a bot's position ({@code
 * TradeBook}), FIFO lots and realized PnL ({@code FifoBook}), the trade routes and manual
 * trades.
 */
package dev.kapi.trading.trade;
