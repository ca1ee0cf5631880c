/**
 * Reports: performance figures over trades ({@code Performance}), per-bot and summary
 * reports, bot charts, and the trading statistics other modules read.
 */
package dev.kapi.trading.report;
