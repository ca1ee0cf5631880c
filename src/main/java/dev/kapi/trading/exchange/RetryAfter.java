package dev.kapi.trading.exchange;

import java.net.http.HttpResponse;

/**
 * An exchange's {@code Retry-After} in seconds: a number of seconds as Binance and
 * BtcTurk send it, bounded to a day; the default when it is missing or not a number.
 */
final class RetryAfter {

    private static final long MAX_SECONDS = 86_400;

    private RetryAfter() {
    }

    static long seconds(HttpResponse<?> response, long otherwise) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Math.clamp(Long.parseLong(value.strip()), 1, MAX_SECONDS);
            }
            catch (NumberFormatException ex) {
                return otherwise;
            }
        }).orElse(otherwise);
    }

}
