package dev.kapi.messaging.whatsapp;

import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.utc;

/**
 * The template and number callbacks already applied, by digest: Meta names no event and
 * retries a callback for days, so a digest seen before means the callback is a retry.
 */
@Repository
class CallbackSignals {

    /** Longer than Meta retries a callback (up to 7 days). */
    static final Duration KEPT = Duration.ofDays(30);

    private final JdbcClient jdbc;

    CallbackSignals(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records the digest; true the first time, false for a retry (inside the caller's
     * transaction, so a callback whose changes roll back is not recorded either). Digests
     * older than {@link #KEPT} go at the same time.
     */
    boolean first(byte[] digest, Instant now) {
        jdbc.sql("DELETE FROM messaging_callback_signals WHERE received_at < :cutoff")
            .param("cutoff", utc(now.minus(KEPT)))
            .update();
        return jdbc.sql("""
                INSERT INTO messaging_callback_signals (digest, received_at) VALUES (:digest, :now)
                ON CONFLICT (digest) DO NOTHING
                """).param("digest", digest).param("now", utc(now)).update() == 1;
    }

}
