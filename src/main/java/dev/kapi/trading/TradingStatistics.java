package dev.kapi.trading;

import java.util.Map;

/**
 * Figures about trading bots for the admin dashboard: one query per call, across every
 * account.
 */
public interface TradingStatistics {

    /** Active (running) bots per account; accounts without one are left out. */
    Map<Long, Long> activeBotsPerAccount();

    /**
     * How many bots there are in each status ({@code idle}, {@code in_position},
     * {@code paused}, {@code error}).
     */
    Map<String, Long> botsByStatus();

}
