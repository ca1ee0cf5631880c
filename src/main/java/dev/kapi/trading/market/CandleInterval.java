package dev.kapi.trading.market;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** The candle intervals a bot may trade on, named as Binance names them. */
public enum CandleInterval {

    M1("1m", Duration.ofMinutes(1)), M3("3m", Duration.ofMinutes(3)), M5("5m", Duration.ofMinutes(5)),
    M15("15m", Duration.ofMinutes(15)), M30("30m", Duration.ofMinutes(30)), H1("1h", Duration.ofHours(1)),
    H2("2h", Duration.ofHours(2)), H4("4h", Duration.ofHours(4)), H6("6h", Duration.ofHours(6)),
    H8("8h", Duration.ofHours(8)), H12("12h", Duration.ofHours(12)), D1("1d", Duration.ofDays(1));

    private final String code;

    private final Duration length;

    CandleInterval(String code, Duration length) {
        this.code = code;
        this.length = length;
    }

    @JsonValue
    public String code() {
        return code;
    }

    public Duration length() {
        return length;
    }

    public static Optional<CandleInterval> of(String code) {
        return Arrays.stream(values()).filter(interval -> interval.code.equals(code)).findFirst();
    }

    /**
     * The open time of the newest candle that has closed at {@code now} (closed means its
     * end is not after now).
     */
    public Instant lastClosedOpen(Instant now) {
        long size = length.toMillis();
        long boundary = Math.floorDiv(now.toEpochMilli(), size) * size;
        return Instant.ofEpochMilli(boundary - size);
    }

}
