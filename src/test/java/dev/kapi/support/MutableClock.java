package dev.kapi.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A clock tests move forward instead of sleeping. It starts at the real time and never
 * goes back.
 */
public final class MutableClock extends Clock {

    // Whole microseconds, as PostgreSQL stores them, so that a stored instant compares
    // equal to its source.
    private volatile Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }

}
