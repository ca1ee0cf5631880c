/**
 * Notifications: the bot alerts the runner publishes ({@code BotAlert}) sent to a user's
 * Telegram chat, and the routes that link it.
 */
package dev.kapi.trading.notification;
