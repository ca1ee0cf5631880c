package dev.kapi.trading.exchange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.kapi.shared.ApiException;
import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;

/**
 * Fills the shared candle store with an exchange's public candles of a range, for
 * backtests ({@code source}) and replay bots. Bounded: at most
 * {@code market.max-download} candles a range and {@code market.max-download-per-day} a
 * user and UTC day, at most {@link #AT_ONCE} downloads at once on an instance, and only
 * what the store lacks is asked for, a page ({@link #PAGE} candles) at a time, newest
 * page first; a page already stored whole costs no request.
 */
@Service
public class CandleDownloads {

    /** Candles per request: Binance's klines limit. */
    static final int PAGE = 1000;

    /** Downloads running at once on one instance. */
    static final int AT_ONCE = 2;

    private final Candles store;

    private final Exchanges exchanges;

    private final Clock clock;

    private final int maxCandles;

    private final long maxPerDay;

    private final JdbcClient jdbc;

    private final Semaphore running = new Semaphore(AT_ONCE);

    CandleDownloads(Candles store, Exchanges exchanges, Clock clock, TradingSettings settings, JdbcClient jdbc) {
        this.jdbc = jdbc;
        this.maxPerDay = settings.market().maxDownloadPerDay();
        this.store = store;
        this.exchanges = exchanges;
        this.clock = clock;
        this.maxCandles = settings.market().maxDownload();
    }

    /**
     * What a download left in the store: the range's candles, how many were new, the
     * requests made.
     */
    public record Downloaded(ExchangeName exchange, String symbol, CandleInterval interval, Instant from, Instant to,
            int candles, int fetched, int requests) {
    }

    /**
     * Downloads the closed candles opened in {@code [from, to)}; {@code to} may not be
     * after the newest closed candle's end.
     */
    public Downloaded download(long ownerId, ExchangeName exchange, String symbol, CandleInterval interval,
            Instant from, Instant to) {
        Instant start = align(from, interval);
        Instant end = align(to, interval);
        if (!start.isBefore(end) || end.isAfter(interval.lastClosedOpen(clock.instant()).plus(interval.length()))) {
            throw ApiException.invalidField("to", "candles-range-invalid");
        }
        if (count(start, end, interval) > maxCandles) {
            throw ApiException.invalidField("to", "candles-span-too-long", maxCandles);
        }
        if (!exchange.offers(interval)) {
            throw ApiException.invalidField("interval", "interval-not-offered", exchange.wire(),
                    String.join(", ", exchange.intervals().stream().map(CandleInterval::code).toList()));
        }
        charge(ownerId, count(start, end, interval));
        if (!running.tryAcquire()) {
            throw ApiException.busy("exchange-busy", 10);
        }
        try {
            return fill(exchange, symbol, interval, start, end);
        }
        finally {
            running.release();
        }
    }

    private Downloaded fill(ExchangeName exchange, String symbol, CandleInterval interval, Instant start, Instant end) {
        Set<Instant> stored = new HashSet<>(store.openTimes(exchange, symbol, interval, start, end));
        Exchange data = exchanges.publicData(exchange);
        int fetched = 0;
        int requests = 0;
        Instant pageEnd = end;
        while (pageEnd.isAfter(start)) {
            Instant pageStart = later(start, pageEnd.minus(interval.length().multipliedBy(PAGE)));
            int size = (int) count(pageStart, pageEnd, interval);
            if (!whole(stored, pageStart, size, interval)) {
                List<Candle> page;
                try {
                    requests++;
                    page = data.candles(symbol, interval, pageEnd.minus(interval.length()), size);
                }
                catch (Exchange.Busy ex) {
                    long wait = Math.max(1, Duration.between(clock.instant(), ex.until()).toSeconds());
                    throw ApiException.busy("exchange-busy", wait);
                }
                catch (Exchange.UnknownSymbol ex) {
                    throw ApiException.invalidField("symbol", "symbol-unknown", symbol);
                }
                catch (Exchange.ExchangeException ex) {
                    throw new ApiException(HttpStatus.BAD_GATEWAY, "exchange-refused", ex.getMessage());
                }
                Instant until = pageEnd;
                List<Candle> inRange = page.stream()
                    .filter(candle -> !candle.openTime().isBefore(pageStart) && candle.openTime().isBefore(until))
                    .toList();
                for (Candle candle : inRange) {
                    if (stored.add(candle.openTime())) {
                        fetched++;
                    }
                }
                store.write(exchange, symbol, interval, inRange);
                if (page.isEmpty()) {
                    // Nothing older on the exchange: the symbol had not started trading.
                    break;
                }
            }
            pageEnd = pageStart;
        }
        return new Downloaded(exchange, symbol, interval, start, end, stored.size(), fetched, requests);
    }

    /**
     * Counts the range's candles against the owner's quota of the UTC day
     * ({@code market.max-download-per-day}), in one statement so that requests at once
     * cannot pass it together: a 429 {@code candles-quota-exceeded} naming the quota and
     * what remains of it, with {@code Retry-After} until the next UTC midnight. A range
     * counts whole, also where the store had it already.
     */
    private void charge(long ownerId, long candles) {
        Instant now = clock.instant();
        LocalDate day = now.atZone(ZoneOffset.UTC).toLocalDate();
        int charged = candles > maxPerDay ? 0 : jdbc.sql("""
                INSERT INTO trading_candle_downloads (owner_id, day, candles) VALUES (:owner, :day, :candles)
                ON CONFLICT (owner_id, day) DO UPDATE SET candles = trading_candle_downloads.candles + EXCLUDED.candles
                    WHERE trading_candle_downloads.candles + EXCLUDED.candles <= :max
                """)
            .param("owner", ownerId)
            .param("day", day)
            .param("candles", candles)
            .param("max", maxPerDay)
            .update();
        if (charged == 1) {
            return;
        }
        long used = jdbc.sql("SELECT candles FROM trading_candle_downloads WHERE owner_id = :owner AND day = :day")
            .param("owner", ownerId)
            .param("day", day)
            .query(Long.class)
            .optional()
            .orElse(0L);
        long wait = Math.max(1,
                Duration.between(now, day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()).toSeconds());
        throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "candles-quota-exceeded", maxPerDay,
                Math.max(0, maxPerDay - used))
            .withHeader("Retry-After", Long.toString(wait));
    }

    private static boolean whole(Set<Instant> stored, Instant from, int size, CandleInterval interval) {
        for (int i = 0; i < size; i++) {
            if (!stored.contains(from.plus(interval.length().multipliedBy(i)))) {
                return false;
            }
        }
        return true;
    }

    /** How many candles open in {@code [from, to)}. */
    static long count(Instant from, Instant to, CandleInterval interval) {
        return Duration.between(from, to).dividedBy(interval.length());
    }

    /** The open time of the candle that holds {@code at}. */
    static Instant align(Instant at, CandleInterval interval) {
        long size = interval.length().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(at.toEpochMilli(), size) * size);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

}
