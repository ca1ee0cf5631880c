package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import dev.kapi.trading.sweep.SweepManagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TradingSweepsIntegrationTests extends TradingTestSupport {

    @Autowired
    SweepManagement management;

    @Test
    @SuppressWarnings("unchecked")
    void sweepWhenDoneThenEveryValidCombinationRankedByTheObjectiveAndTheWinnerBacktestsTheSame() {
        String token = newUserToken();
        Map<String, Object> body = emaSweep(List.of(5, 10, 30), List.of(20, 40), 20_000);
        body.put("objective", "profit");
        body.put("risk", Map.of("stop_loss", "0.01", "take_profit", "0.02"));

        Map<String, Object> sweep = finished(token, start(token, body));

        // 30/20 is not a crossover the strategy accepts: skipped.
        assertThat(sweep).containsEntry("status", "done")
            .containsEntry("combinations", 5)
            .containsEntry("skipped", 1)
            .containsEntry("progress", Map.of("done", 5, "total", 5));
        List<Map<String, Object>> results = (List<Map<String, Object>>) sweep.get("results");
        assertThat(results).extracting(r -> r.get("rank")).containsExactly(1, 2, 3, 4, 5);
        List<BigDecimal> scores = results.stream().map(r -> decimal(r.get("score"))).toList();
        assertThat(scores).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(results)
            .allSatisfy(r -> assertThat(decimal(r.get("score"))).isEqualByComparingTo(decimal(r.get("profit"))));

        Map<String, Object> best = results.getFirst();
        Map<String, Object> backtest = new HashMap<>();
        backtest.put("strategy", "ema");
        backtest.put("params", best.get("params"));
        backtest.put("generate", body.get("generate"));
        backtest.put("stop_loss", "0.01");
        backtest.put("take_profit", "0.02");
        Map<String, Object> exact = post(token, "/api/trading/backtests", backtest);
        assertThat(((List<?>) exact.get("trades"))).hasSize((Integer) best.get("trades"));
        assertThat(decimal(best.get("total_return")).subtract(decimal(exact.get("total_return"))).abs())
            .isLessThan(new BigDecimal("0.000001"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void sweepWhenWalkForwardThenFoldsTestedOutOfSampleAndRankedByTheirMean() {
        String token = newUserToken();
        Map<String, Object> body = emaSweep(List.of(5, 8), List.of(20, 30), 8_000);
        body.put("walk_forward", Map.of("folds", 3));

        Map<String, Object> sweep = finished(token, start(token, body));

        List<Map<String, Object>> folds = (List<Map<String, Object>>) sweep.get("walk_forward");
        assertThat(folds).extracting(f -> f.get("fold")).containsExactly(1, 2, 3);
        assertThat(folds).extracting(f -> f.get("in_sample_candles")).containsExactly(2000, 4000, 6000);
        assertThat(folds).extracting(f -> f.get("out_of_sample_candles")).containsExactly(2000, 2000, 2000);
        List<Map<String, Object>> results = (List<Map<String, Object>>) sweep.get("results");
        assertThat(results).hasSize(4).allSatisfy(result -> {
            List<Map<String, Object>> outOfSample = (List<Map<String, Object>>) result.get("out_of_sample");
            assertThat(outOfSample).hasSize(3);
            double mean = outOfSample.stream()
                .mapToDouble(s -> s.get("sharpe") == null ? 0 : decimal(s.get("sharpe")).doubleValue())
                .average()
                .orElseThrow();
            assertThat(decimal(result.get("score")).doubleValue()).isCloseTo(mean,
                    org.assertj.core.data.Offset.offset(1e-6));
        });
    }

    @Test
    void sweepWhileOneRunsThenConflictAndACancelledOneStaysCancelledAndFreesTheUser() {
        String token = newUserToken();
        Map<String, Object> body = emaSweep(IntStream.rangeClosed(2, 31).boxed().toList(),
                IntStream.rangeClosed(32, 61).boxed().toList(), 300_000);
        long id = start(token, body);

        as(token).post()
            .uri("/api/trading/sweeps")
            .contentType(MediaType.APPLICATION_JSON)
            .body(emaSweep(List.of(5), List.of(20), 100))
            .exchange()
            .expectStatus()
            .isEqualTo(409);
        as(token).delete().uri("/api/trading/sweeps/{id}", id).exchange().expectStatus().isNoContent();

        assertThat(get(token, "/api/trading/sweeps/{id}", id)).containsEntry("status", "cancelled")
            .containsEntry("results", null);
        long next = start(token, emaSweep(List.of(5), List.of(20), 100));
        assertThat(finished(token, next)).containsEntry("status", "done");
        as(newUserToken()).get().uri("/api/trading/sweeps/{id}", next).exchange().expectStatus().isNotFound();
        as(token).delete().uri("/api/trading/sweeps/{id}", next).exchange().expectStatus().isNoContent();
        as(token).get().uri("/api/trading/sweeps/{id}", next).exchange().expectStatus().isNotFound();
    }

    @Test
    void sweepWhenItsInstanceStoppedBeatingThenMarkedFailedNeverHalfStored() {
        String token = newUserToken();
        long owner = accountIdOf(token);
        long id = jdbc.sql("""
                INSERT INTO trading_sweeps (owner_id, status, strategy, objective, request, combinations, skipped,
                                            candles, created_at, heartbeat_at)
                VALUES (:owner, 'running', 'ema', 'sharpe', '{}', 10, 0, 1000, now() - interval '1 hour',
                        now() - interval '1 hour')
                RETURNING id
                """).param("owner", owner).query(Long.class).single();

        management.recover();

        assertThat(get(token, "/api/trading/sweeps/{id}", id)).containsEntry("status", "failed")
            .containsEntry("error", "interrupted")
            .containsEntry("results", null);
    }

    @Test
    void sweepWhenTooManyCombinationsOrNoneValidThenBadRequestNamingTheGrid() {
        String token = newUserToken();
        Map<String, Object> big = emaSweep(IntStream.rangeClosed(2, 50).boxed().toList(),
                IntStream.rangeClosed(51, 100).boxed().toList(), 100);
        assertThat(invalidFields(
                as(token).post().uri("/api/trading/sweeps").contentType(MediaType.APPLICATION_JSON).body(big)))
            .containsExactly("grid");
        Map<String, Object> none = emaSweep(List.of(30), List.of(20), 100);
        assertThat(invalidFields(
                as(token).post().uri("/api/trading/sweeps").contentType(MediaType.APPLICATION_JSON).body(none)))
            .containsExactly("grid");
        Map<String, Object> badRisk = emaSweep(List.of(5), List.of(20), 100);
        badRisk.put("risk", Map.of("stop_loss", 2));
        assertThat(invalidFields(
                as(token).post().uri("/api/trading/sweeps").contentType(MediaType.APPLICATION_JSON).body(badRisk)))
            .containsExactly("risk.stop_loss");
    }

    private static Map<String, Object> emaSweep(List<Integer> fast, List<Integer> slow, int candles) {
        Map<String, Object> body = new HashMap<>();
        body.put("strategy", "ema");
        body.put("grid", Map.of("fast_period", fast, "slow_period", slow));
        body.put("generate", Map.of("seed", 5, "count", candles));
        return body;
    }

    private long start(String token, Map<String, Object> body) {
        Map<String, Object> accepted = as(token).post()
            .uri("/api/trading/sweeps")
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(accepted).containsEntry("status", "running");
        return id(accepted);
    }

    private Map<String, Object> finished(String token, long id) {
        await().atMost(Duration.ofSeconds(60))
            .until(() -> !"running".equals(get(token, "/api/trading/sweeps/{id}", id).get("status")));
        return get(token, "/api/trading/sweeps/{id}", id);
    }

}
