package dev.kapi.messaging.sending;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * Sending accounts paused on this instance by a provider's answer (a rate limit, an
 * account failure) until their circuit breaker is written when the batch ends: no further
 * claims for them meanwhile.
 */
@Component
final class LocalPauses {

    private final Map<Long, Instant> until = new ConcurrentHashMap<>();

    void pause(long senderId, Instant until) {
        this.until.put(senderId, until);
    }

    boolean paused(long senderId, Instant now) {
        return until.getOrDefault(senderId, Instant.MIN).isAfter(now);
    }

    /** The breaker is written: the database's pause holds from now on. */
    void lift(long senderId) {
        until.remove(senderId);
    }

}
