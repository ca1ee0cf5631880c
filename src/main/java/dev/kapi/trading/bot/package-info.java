/**
 * Bots: their table ({@code Bots}), their status and its moves ({@code BotStatus}),
 * configuration, start, stop, pause and resume ({@code BotManagement}), their routes and
 * the admin's.
 */
package dev.kapi.trading.bot;
