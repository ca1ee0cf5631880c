package dev.kapi.trading.notification;

/**
 * Inside trading: a bot paused itself ({@code paused}) or went to error ({@code error});
 * for notifications.
 */
public record BotAlert(long ownerId, long botId, String kind, String detail) {
}
