package dev.kapi.trading.backtest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.shared.ApiException;
import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.exchange.Candles;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.strategy.Strategies;
import dev.kapi.trading.trade.Trade;
import tools.jackson.databind.json.JsonMapper;

/**
 * Backtests, bounded in what they answer: a run answers its figures over every trade and
 * at most {@link #MAX_TRADES} of the trades themselves (the oldest); all of them are
 * streamed by {@link #replay}, which runs the stored backtest again. A backtest is a
 * function of its inputs (the strategy and its params, the candles, the risk settings,
 * fee and slippage), so what is stored is those inputs, never the trades: a few hundred
 * bytes for generated candles, the CSV as given otherwise. The same inputs asked again by
 * their owner are the same backtest (same id); each owner keeps the newest {@link #KEPT}
 * asked. At most {@code kapi.trading.backtests.max-running} run at once on an instance (a
 * CSV runs one too): each holds its candles, so more are refused with 503
 * {@code backtests-busy} rather than let them exhaust the heap together.
 */
@Service
public class BacktestManagement {

    /** The most trades one answer carries. */
    static final int MAX_TRADES = 1000;

    /**
     * The backtests each owner keeps for their CSV; storing another drops the one asked
     * longest ago.
     */
    public static final int KEPT = 10;

    private final Backtester backtester;

    private final Backtests backtests;

    private final Strategies strategies;

    private final JsonMapper json;

    private final Clock clock;

    private final Candles store;

    /** A permit per backtest running on this instance. */
    private final Semaphore running;

    BacktestManagement(Backtester backtester, Backtests backtests, Strategies strategies, JsonMapper json, Clock clock,
            BacktestSettings settings, Candles store) {
        this.store = store;
        this.backtester = backtester;
        this.backtests = backtests;
        this.strategies = strategies;
        this.json = json;
        this.clock = clock;
        this.running = new Semaphore(settings.maxRunning());
    }

    /** The permits of backtests running on this instance (tests take them all). */
    public Semaphore running() {
        return running;
    }

    /**
     * Runs {@code work} with one of the instance's permits; 503 {@code backtests-busy}
     * when none is free.
     */
    <T> T bounded(Supplier<T> work) {
        if (!running.tryAcquire()) {
            throw ApiException.busy("backtests-busy", 10);
        }
        try {
            return work.get();
        }
        finally {
            running.release();
        }
    }

    /**
     * A backtest as asked: exactly one of {@code csv} (as given) and {@code generate}
     * made {@code candles}.
     */
    record Request(Strategies.Configured<?> strategy, Backtester.Setup setup, String csv,
            CandleSource.Generate generate, CandleSource.Source source, List<Candle> candles) {
    }

    /**
     * A stored backtest's id, its figures over every trade, and its first trades (at most
     * the limit asked).
     */
    record Run(long id, Backtester.Result result, List<Trade> trades) {
    }

    /**
     * The inputs stored besides the strategy and the candles, with the fee and slippage
     * the run used.
     */
    record Inputs(String symbol, String interval, @JsonProperty("quote_amount") BigDecimal quoteAmount,
            @JsonProperty("fee_rate") BigDecimal feeRate, BigDecimal slippage, Risk risk,
            CandleSource.Generate generate, CandleSource.Source source) {
    }

    /**
     * Runs the backtest, keeping only its first {@code tradesLimit} trades, and stores it
     * for its CSV.
     */
    Run run(long ownerId, Request request, int tradesLimit) {
        List<Trade> first = new ArrayList<>();
        Backtester.Result result = backtester.run(request.strategy(), request.setup(), request.candles(), trade -> {
            if (first.size() < tradesLimit) {
                first.add(trade);
            }
        });
        Backtester.Setup setup = request.setup();
        Inputs inputs = new Inputs(setup.symbol(), setup.interval().code(), setup.quoteAmount(), result.feeRate(),
                result.slippage(), setup.risk(), request.generate(), request.source());
        String strategy = request.strategy().name();
        String params = strategies.toJson(request.strategy());
        String stored = json.writeValueAsString(inputs);
        long id = backtests.store(ownerId, fingerprint(strategy, params, stored, request.csv()), strategy, params,
                stored, request.csv(), result.performance().tradeCount(), clock.instant(), KEPT);
        return new Run(id, result, first);
    }

    /**
     * SHA-256 of everything a backtest is a function of, each part ended by a NUL (which
     * no part holds).
     */
    private static byte[] fingerprint(String... parts) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
        for (String part : parts) {
            digest.update((part == null ? "" : part).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return digest.digest();
    }

    /** An owner's stored backtest; 404 for anyone else's, or one no longer kept. */
    Backtests.Stored stored(long ownerId, long id) {
        return backtests.byId(id, ownerId).orElseThrow(() -> ApiException.notFound("backtest-not-found"));
    }

    /**
     * Runs a stored backtest again, giving {@code each} every trade, oldest first, as it
     * is made.
     */
    void replay(Backtests.Stored stored, Consumer<Trade> each) {
        Inputs inputs = json.readValue(stored.inputs(), Inputs.class);
        CandleInterval interval = CandleInterval.of(inputs.interval()).orElseThrow();
        List<Candle> candles = CandleSource.candles(stored.candles(), inputs.generate(), inputs.source(), interval,
                store);
        backtester.run(strategies.stored(stored.strategy(), stored.params()), new Backtester.Setup(inputs.symbol(),
                interval, inputs.quoteAmount(), inputs.risk(), inputs.feeRate(), inputs.slippage()), candles, each);
    }

    /** A backtest's candles: exactly one of the CSV, the seed and a stored range. */
    List<Candle> candles(String csv, CandleSource.Generate generate, CandleSource.Source source,
            CandleInterval interval) {
        return CandleSource.candles(csv, generate, source, interval, store);
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        backtests.deleteOf(deleted.accountId());
    }

}
