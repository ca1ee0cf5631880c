/**
 * Strategies: what a strategy is ({@code Strategy}, its {@code Signal}s), the simple,
 * EMA, RSI and Bollinger strategies, and {@code Strategies}, which reads a bot's or a
 * request's {@code strategy} and {@code params}.
 */
package dev.kapi.trading.strategy;
