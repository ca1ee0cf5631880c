package dev.kapi.trading.exchange;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;

/**
 * The live price feed: an exchange's public closed candles through the shared store, so
 * that each (exchange, symbol, interval) is fetched once per tick however many bots and
 * instances want it. The store answers when it holds the candle asked for and enough
 * history; otherwise one transaction takes a PostgreSQL advisory lock on the key (waiting
 * at most {@code market.lock-timeout} for an instance fetching it), reads the store again
 * (the instance it waited for has usually filled it), fetches only what is missing (the
 * new candle and the one before it in steady state, the whole history on a cold start),
 * stores it and commits, which frees the lock. A dead holder's lock ends with its
 * connection.
 */
@Component
public class CandleFeed {

    private final Candles store;

    private final Exchanges exchanges;

    private final JdbcClient jdbc;

    private final TransactionTemplate fetching;

    private final Duration lockTimeout;

    private final AtomicLong requests = new AtomicLong();

    CandleFeed(Candles store, Exchanges exchanges, JdbcClient jdbc, PlatformTransactionManager transactions,
            TradingSettings settings) {
        this.store = store;
        this.exchanges = exchanges;
        this.jdbc = jdbc;
        this.fetching = new TransactionTemplate(transactions);
        this.fetching.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.lockTimeout = settings.market().lockTimeout();
    }

    /**
     * Up to {@code history} candles of the key, oldest first, the newest opened at
     * {@code lastOpen} or before (before when the exchange has not got it).
     */
    public List<Candle> candles(ExchangeName exchange, String symbol, CandleInterval interval, Instant lastOpen,
            int history) {
        List<Candle> stored = store.read(exchange, symbol, interval, lastOpen, history);
        if (complete(stored, lastOpen, history)) {
            return stored;
        }
        return fetching.execute(status -> {
            jdbc.sql("SELECT set_config('lock_timeout', :timeout, true)")
                .param("timeout", lockTimeout.toMillis() + "ms")
                .query((rs, row) -> 1)
                .single();
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "trading-candles:" + exchange.wire() + ":" + symbol + ":" + interval.code())
                .query((rs, row) -> 1)
                .single();
            List<Candle> now = store.read(exchange, symbol, interval, lastOpen, history);
            if (complete(now, lastOpen, history)) {
                return now;
            }
            int wanted = history;
            if (now.size() >= history) {
                long missing = Duration.between(now.getLast().openTime(), lastOpen).dividedBy(interval.length());
                // The newest stored one again too, in case the exchange revised it.
                wanted = (int) Math.min(Math.max(history, 2), missing + 1);
            }
            requests.incrementAndGet();
            List<Candle> fetched = exchanges.publicData(exchange).candles(symbol, interval, lastOpen, wanted);
            if (fetched.isEmpty()) {
                return now;
            }
            store.write(exchange, symbol, interval, fetched);
            return store.read(exchange, symbol, interval, lastOpen, history);
        });
    }

    /** How many fetches this instance made since it started (for the benchmark). */
    public long requests() {
        return requests.get();
    }

    private static boolean complete(List<Candle> stored, Instant lastOpen, int history) {
        return stored.size() >= history && stored.getLast().openTime().equals(lastOpen);
    }

}
