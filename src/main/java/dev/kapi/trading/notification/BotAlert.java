package dev.kapi.trading.notification;

/**
 * Inside trading: a bot paused itself ({@code paused}), went to error ({@code error}), or
 * the exchange refused its stop ({@code stop-refused}: the position is covered only by
 * Kapı's own stop while it runs); for notifications.
 */
public record BotAlert(long ownerId, long botId, String kind, String detail) {

    /** A refused stop's kind. */
    public static final String STOP_REFUSED = "stop-refused";

    /**
     * The notification event a user subscribes to for it: a refused stop is an
     * {@code error}.
     */
    String event() {
        return STOP_REFUSED.equals(kind) ? "error" : kind;
    }

}
