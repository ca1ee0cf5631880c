package dev.kapi.messaging;

import java.time.Instant;
import java.util.Map;

/**
 * Figures about messaging for the admin dashboard: one query per call, across every
 * account.
 */
public interface MessagingStatistics {

    /**
     * Messages each account sent (handed to a provider) in {@code [from, to)}; accounts
     * that sent none are left out.
     */
    Map<Long, Long> sentPerAccount(Instant from, Instant to);

    /** How many queues there are in each status; every status is a key. */
    Map<String, Long> queuesByStatus();

}
