package dev.kapi.trading.sweep;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;
import dev.kapi.shared.RequestBodies;
import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.strategy.Signal;
import dev.kapi.trading.strategy.Strategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parameter sweeps: every combination of a grid of strategy parameters backtested
 * ({@link SweepKernel}) over one candle series, on a pool with a thread per core, and
 * ranked by an objective ({@code sharpe}, {@code profit} or {@code calmar}). With
 * walk-forward folds the series is cut into folds + 1 equal parts; fold f is tested on
 * part f + 1 after the parts before it (anchored), and combinations rank by their mean
 * out-of-sample objective. Bounded: combinations, candle-steps, one running sweep per
 * user, a few per instance. A running sweep beats its heart into its row; one whose heart
 * stopped for {@link #STALE} (its instance restarted or died) is marked {@code failed},
 * at startup and every minute.
 */
@Service
public class SweepManagement {

    static final Duration STALE = Duration.ofMinutes(1);
    static final int MAX_RESULTS = 100;
    static final int MAX_VALUES = 100;
    static final int MAX_FOLDS = 10;

    private static final Duration BEAT = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(SweepManagement.class);

    private final Sweeps sweeps;

    private final Strategies strategies;

    private final TradingSettings.Paper paper;

    private final SweepSettings settings;

    private final JsonMapper json;

    private final Clock clock;

    private final ExecutorService pool;

    private final ExecutorService coordinators = Executors.newVirtualThreadPerTaskExecutor();

    private final Map<Long, AtomicBoolean> cancelled = new ConcurrentHashMap<>();

    SweepManagement(Sweeps sweeps, Strategies strategies, TradingSettings trading, SweepSettings settings,
            JsonMapper json, Clock clock) {
        this.sweeps = sweeps;
        this.strategies = strategies;
        this.paper = trading.paper();
        this.settings = settings;
        this.json = json;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(settings.poolSize(), runnable -> {
            Thread thread = new Thread(runnable, "kapi-sweep-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * A sweep as asked: the grid's values by parameter, fixed params, risk settings and
     * the candles.
     */
    record Request(String strategy, Map<String, Object> params, Map<String, List<Object>> grid, Risk risk,
            List<Candle> candles, CandleInterval interval, BigDecimal quoteAmount, BigDecimal feeRate,
            BigDecimal slippage, String objective, Integer folds, Map<String, Object> asGiven) {
    }

    /** One combination's figures, in the whole series or out of sample. */
    record Result(int rank, Map<String, Object> params, Double score, SweepKernel.Stats stats,
            List<SweepKernel.Stats> folds) {
    }

    /**
     * A walk-forward fold: its ranges, the combination best in sample and how it did out
     * of sample.
     */
    record Fold(int fold, int inSampleCandles, int outOfSampleCandles, Map<String, Object> bestParams,
            Double inSampleScore, Double outOfSampleScore) {
    }

    private record Combination(Map<String, Object> params, Strategies.Configured<?> strategy) {
    }

    long start(long ownerId, Request request) {
        List<Combination> combinations = combinations(request);
        int skipped = product(request.grid()) - combinations.size();
        long steps = (long) combinations.size() * request.candles().size();
        if (steps > settings.maxCandleSteps()) {
            throw ApiException.invalidField("grid", "sweep-too-large", settings.maxCandleSteps());
        }
        if (request.folds() != null && request.candles().size() < (request.folds() + 1) * 10) {
            throw ApiException.invalidField("walk_forward.folds", "sweep-folds-too-many", request.candles().size());
        }
        if (sweeps.running() >= settings.maxRunning()) {
            throw ApiException.busy("sweeps-busy", 60);
        }
        long id;
        try {
            id = sweeps.insert(ownerId, request.strategy(), request.objective(),
                    json.writeValueAsString(request.asGiven()), combinations.size(), skipped, request.candles().size(),
                    request.folds(), clock.instant());
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("sweep-running");
        }
        AtomicBoolean cancel = new AtomicBoolean();
        cancelled.put(id, cancel);
        coordinators.submit(() -> run(id, request, combinations, cancel));
        return id;
    }

    Sweeps.Sweep get(long ownerId, long id) {
        return sweeps.byId(id, ownerId).orElseThrow(() -> ApiException.notFound("sweep-not-found"));
    }

    Page<Sweeps.Sweep> list(long ownerId, String cursor, int limit) {
        return Page.byId(sweeps.page(ownerId, Cursors.afterId(cursor), limit), limit, Sweeps.Sweep::id);
    }

    /** Cancels a running sweep (it stays, cancelled); deletes one that has ended. */
    void cancel(long ownerId, long id) {
        Sweeps.Sweep sweep = get(ownerId, id);
        if (sweep.status().equals("running") && sweeps.end(id, "cancelled", null, clock.instant())) {
            AtomicBoolean flag = cancelled.get(id);
            if (flag != null) {
                flag.set(true);
            }
            return;
        }
        sweeps.delete(id);
    }

    @EventListener(ApplicationReadyEvent.class)
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    public void recover() {
        Instant now = clock.instant();
        int failed = sweeps.failStale(now.minus(STALE), now);
        if (failed > 0) {
            log.warn("{} sweeps had stopped running (a restart?) and were marked failed", failed);
        }
    }

    @PreDestroy
    void shutdown() {
        cancelled.forEach((id, flag) -> {
            flag.set(true);
            sweeps.end(id, "failed", "interrupted", clock.instant());
        });
        pool.shutdownNow();
        coordinators.shutdownNow();
    }

    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        sweeps.deleteOf(deleted.accountId());
    }

    private void run(long id, Request request, List<Combination> combinations, AtomicBoolean cancel) {
        try {
            List<Candle> candles = request.candles();
            SweepKernel.Series series = series(candles, request.interval());
            double[] closes = series.close();
            SweepKernel.Setup setup = SweepKernel.Setup.of(request.risk(), request.quoteAmount(),
                    (request.feeRate() != null ? request.feeRate() : paper.feeRate()).doubleValue(),
                    (request.slippage() != null ? request.slippage() : paper.slippage()).doubleValue(),
                    request.interval());
            int[] bounds = bounds(candles.size(), request.folds());
            AtomicInteger done = new AtomicInteger();
            List<Future<List<SweepKernel.Stats>>> futures = new ArrayList<>();
            for (Combination combination : combinations) {
                futures.add(pool.submit(() -> {
                    if (cancel.get()) {
                        return null;
                    }
                    Signal[] signals = combination.strategy().signals(candles, closes);
                    List<SweepKernel.Stats> stats = new ArrayList<>();
                    stats.add(SweepKernel.run(series, signals, setup, 0, candles.size()));
                    for (int f = 1; f < bounds.length - 1; f++) {
                        stats.add(SweepKernel.run(series, signals, setup, 0, bounds[f]));
                        stats.add(SweepKernel.run(series, signals, setup, bounds[f], bounds[f + 1]));
                    }
                    done.incrementAndGet();
                    return stats;
                }));
            }
            List<List<SweepKernel.Stats>> all = new ArrayList<>();
            Instant nextBeat = clock.instant().plus(BEAT);
            for (Future<List<SweepKernel.Stats>> future : futures) {
                while (!future.isDone()) {
                    try {
                        future.get(200, TimeUnit.MILLISECONDS);
                    }
                    catch (java.util.concurrent.TimeoutException ex) {
                        // Beat below.
                    }
                    if (!clock.instant().isBefore(nextBeat)) {
                        nextBeat = clock.instant().plus(BEAT);
                        if (!"running".equals(sweeps.beat(id, done.get(), clock.instant()))) {
                            cancel.set(true);
                        }
                    }
                    if (cancel.get()) {
                        futures.forEach(other -> other.cancel(false));
                        return;
                    }
                }
                all.add(future.get());
            }
            if (cancel.get()) {
                return;
            }
            finish(id, request, combinations, all, bounds);
        }
        catch (Exception ex) {
            log.error("Sweep {} failed", id, ex);
            sweeps.end(id, "failed", "internal-error", clock.instant());
        }
        finally {
            cancelled.remove(id);
        }
    }

    private void finish(long id, Request request, List<Combination> combinations, List<List<SweepKernel.Stats>> all,
            int[] bounds) {
        int folds = bounds.length - 2;
        List<Result> results = new ArrayList<>();
        for (int c = 0; c < combinations.size(); c++) {
            List<SweepKernel.Stats> stats = all.get(c);
            List<SweepKernel.Stats> outOfSample = new ArrayList<>();
            for (int f = 0; f < folds; f++) {
                outOfSample.add(stats.get(2 + 2 * f));
            }
            Double score;
            if (folds > 0) {
                score = outOfSample.stream()
                    .mapToDouble(s -> orZero(objective(request.objective(), s)))
                    .average()
                    .orElse(0);
            }
            else {
                score = objective(request.objective(), stats.getFirst());
            }
            results.add(new Result(0, combinations.get(c).params(), score, stats.getFirst(),
                    folds > 0 ? outOfSample : null));
        }
        List<Result> ranked = results.stream()
            .sorted(Comparator.comparing((Result r) -> r.score() == null ? Double.NEGATIVE_INFINITY : r.score())
                .reversed())
            .limit(MAX_RESULTS)
            .toList();
        List<Result> numbered = new ArrayList<>();
        for (int i = 0; i < ranked.size(); i++) {
            Result r = ranked.get(i);
            numbered.add(new Result(i + 1, r.params(), r.score(), r.stats(), r.folds()));
        }
        List<Fold> walkForward = null;
        if (folds > 0) {
            walkForward = new ArrayList<>();
            for (int f = 0; f < folds; f++) {
                int best = -1;
                double bestScore = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < combinations.size(); c++) {
                    Double inSample = objective(request.objective(), all.get(c).get(1 + 2 * f));
                    if (inSample != null && inSample > bestScore) {
                        bestScore = inSample;
                        best = c;
                    }
                }
                walkForward.add(new Fold(f + 1, bounds[f + 1], bounds[f + 2] - bounds[f + 1],
                        best < 0 ? null : combinations.get(best).params(), best < 0 ? null : bestScore,
                        best < 0 ? null : objective(request.objective(), all.get(best).get(2 + 2 * f))));
            }
        }
        sweeps.finish(id, combinations.size(), json.writeValueAsString(SweepResults.of(numbered)),
                walkForward == null ? null : json.writeValueAsString(SweepResults.folds(walkForward)), clock.instant());
    }

    static Double objective(String objective, SweepKernel.Stats stats) {
        return switch (objective) {
            case "profit" -> stats.profit();
            case "calmar" -> stats.calmar();
            default -> stats.sharpe();
        };
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    /**
     * Where the parts of the series start: 0, the fold boundaries, the end; {0, end}
     * without folds.
     */
    static int[] bounds(int candles, Integer folds) {
        int parts = folds == null ? 1 : folds + 1;
        int[] bounds = new int[parts + 1];
        for (int i = 0; i <= parts; i++) {
            bounds[i] = (int) ((long) candles * i / parts);
        }
        return bounds;
    }

    private List<Combination> combinations(Request request) {
        Map<String, List<Object>> grid = new TreeMap<>(request.grid());
        if (grid.isEmpty()) {
            throw ApiException.invalidField("grid", "required");
        }
        for (Map.Entry<String, List<Object>> entry : grid.entrySet()) {
            if (entry.getValue() == null || entry.getValue().isEmpty() || entry.getValue().size() > MAX_VALUES) {
                throw ApiException.invalidField("grid." + entry.getKey(), "sweep-grid-values", MAX_VALUES);
            }
            if (request.params() != null && request.params().containsKey(entry.getKey())) {
                throw ApiException.invalidField("grid." + entry.getKey(), "sweep-grid-and-params");
            }
        }
        if (product(grid) > settings.maxCombinations()) {
            throw ApiException.invalidField("grid", "sweep-too-many-combinations", settings.maxCombinations());
        }
        List<Map<String, Object>> all = new ArrayList<>();
        all.add(new LinkedHashMap<>(request.params() == null ? Map.of() : request.params()));
        for (Map.Entry<String, List<Object>> entry : grid.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (Map<String, Object> partial : all) {
                for (Object value : entry.getValue()) {
                    Map<String, Object> params = new LinkedHashMap<>(partial);
                    params.put(entry.getKey(), value);
                    next.add(params);
                }
            }
            all = next;
        }
        List<Combination> valid = new ArrayList<>();
        for (Map<String, Object> params : all) {
            Strategies.Configured<?> configured;
            try {
                configured = strategies.read(request.strategy(), params);
            }
            catch (RequestBodies.InvalidBody ex) {
                throw ApiException.invalidField("grid", "sweep-grid-invalid", params.toString());
            }
            catch (ApiException ex) {
                if ("strategy".equals(ex.field())) {
                    throw ex;
                }
                // A combination the strategy's own rules refuse (a fast period not below
                // the slow one): skipped.
                continue;
            }
            valid.add(new Combination(strategies.asMap(strategies.toJson(configured)), configured));
        }
        if (valid.isEmpty()) {
            throw ApiException.invalidField("grid", "sweep-grid-no-valid-combination");
        }
        return valid;
    }

    private static int product(Map<String, List<Object>> grid) {
        long product = 1;
        for (List<Object> values : grid.values()) {
            product *= Math.max(1, values == null ? 1 : values.size());
            if (product > Integer.MAX_VALUE) {
                return Integer.MAX_VALUE;
            }
        }
        return (int) product;
    }

    public static SweepKernel.Series series(List<Candle> candles, CandleInterval interval) {
        int n = candles.size();
        double[] open = new double[n];
        double[] high = new double[n];
        double[] low = new double[n];
        double[] close = new double[n];
        for (int i = 0; i < n; i++) {
            Candle candle = candles.get(i);
            open[i] = candle.open().doubleValue();
            high[i] = candle.high().doubleValue();
            low[i] = candle.low().doubleValue();
            close[i] = candle.close().doubleValue();
        }
        return new SweepKernel.Series(open, high, low, close, interval.length().toMillis());
    }

}
