package dev.kapi.trading.exchange;

import java.time.Instant;

/**
 * How long an exchange asked Kapı to stop sending (a 429 or 418 and its
 * {@code Retry-After}, or a used weight near the limit), shared by every bot of one
 * client. A hold runs from the instant it was set to its end: a clock read before that
 * instant (stepped back by NTP, or a test's clock moved back) is not held by it, so a
 * hold can never outlast its own length.
 */
final class RequestHold {

    private record Span(Instant from, Instant until) {
    }

    private volatile Span span = new Span(Instant.EPOCH, Instant.EPOCH);

    /** Holds requests from {@code now} until {@code until}. */
    void hold(Instant now, Instant until) {
        span = new Span(now, until);
    }

    boolean holds(Instant now) {
        Span current = span;
        return !now.isBefore(current.from()) && now.isBefore(current.until());
    }

    Instant until() {
        return span.until();
    }

}
