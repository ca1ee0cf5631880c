package dev.kapi.trading.runner;

import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * What a bot has standing on its exchange (or, for a paper bot, its paper book) now, as
 * Kapı last recorded it: its limit orders pending or open, then the legs of its pending
 * or open stop. Read from Kapı's own tables, never from the exchange, so a chart costs no
 * request to it. A bot has at most a few; the list stops at {@link #MAX_ORDERS}.
 */
@Component
public class StandingOrders {

    /** The most orders answered for one bot (it normally has three at most). */
    public static final int MAX_ORDERS = 20;

    private final Orders orders;

    private final ProtectiveOrders stops;

    StandingOrders(Orders orders, ProtectiveOrders stops) {
        this.orders = orders;
        this.stops = stops;
    }

    /**
     * The bot's standing orders, its limit orders first (oldest first), then its stop's
     * legs.
     */
    public List<StandingOrder> of(long botId) {
        List<StandingOrder> standing = new ArrayList<>(orders.standingOf(botId, MAX_ORDERS));
        if (standing.size() < MAX_ORDERS) {
            standing.addAll(stops.standingOf(botId));
        }
        return List.copyOf(standing.subList(0, Math.min(standing.size(), MAX_ORDERS)));
    }

}
