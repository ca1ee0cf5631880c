/**
 * Exchanges behind one interface ({@code Exchange}): the paper exchange and Binance; the
 * user's exchange API keys, sealed at rest, and their routes.
 */
package dev.kapi.trading.exchange;
