package dev.kapi.trading;

/**
 * Inside trading: a bot paused itself ({@code paused}) or went to error ({@code error});
 * for notifications.
 */
record BotAlert(long ownerId, long botId, String kind, String detail) {
}
