package dev.kapi.trading;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.scheduling.support.CronExpression;

import dev.kapi.trading.exchange.PaperExchange;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.runner.BotRunner;
import dev.kapi.trading.runner.Orders;

import static org.assertj.core.api.Assertions.assertThat;

class TradingRunnerIntegrationTests extends TradingTestSupport {

    private static final BigDecimal FEE_RATE = new BigDecimal("0.001");

    private static final BigDecimal SLIPPAGE = new BigDecimal("0.0005");

    @Autowired
    BotRunner runner;

    @Autowired
    PaperExchange paper;

    @Autowired
    javax.sql.DataSource dataSource;

    @Autowired
    TradingSettings settings;

    /**
     * A slow tick can still be claiming batches well into the minute. Whatever a dying
     * instance claimed up to 25 seconds past the minute becomes stale (older than the
     * claim lease) and is taken over by a retry pass before the minute ends, so its bots
     * still run on their candle (with a single pass at second 35, only claims made in the
     * first 10 seconds were).
     */
    @Test
    void retrySchedulingWhenABatchIsClaimedLateInTheMinuteThenAPassTakesItOverInTheSameMinute() {
        CronExpression retries = CronExpression.parse(settings.runner().retryCron());
        LocalDateTime minute = LocalDateTime.of(2026, 12, 2, 14, 35);
        for (int second = 5; second <= 25; second++) {
            LocalDateTime stale = minute.plusSeconds(second).plus(settings.runner().claimLease());
            LocalDateTime pass = retries.next(stale.minusNanos(1));
            assertThat(pass).as("the first retry pass once a claim of second %d is stale", second)
                .isNotNull()
                .isBefore(minute.plusMinutes(1));
        }
    }

    @Test
    void tickWhenCloseCrossesTheThresholdsThenBuysAtTheCloseAndSellsWithFifoPnlNetOfFees() {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        Instant first = recordCandles(symbol, "105", "99", "104", "111", "108");
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));

        for (int minute = 1; minute <= 5; minute++) {
            runner.tick(first.plus(Duration.ofMinutes(minute)));
            if (minute == 2) {
                assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("status", "in_position")
                    .containsEntry("last_signal", "buy");
            }
        }

        List<Map<String, Object>> trades = list(token, "/api/trading/trades?bot_id={bot}", bot);
        assertThat(trades).extracting(trade -> trade.get("side")).containsExactly("sell", "buy");
        Map<String, Object> buy = trades.get(1);
        Map<String, Object> sell = trades.getFirst();
        BigDecimal buyPrice = new BigDecimal("99").multiply(BigDecimal.ONE.add(SLIPPAGE));
        BigDecimal quantity = new BigDecimal("100").divide(buyPrice, 8, RoundingMode.DOWN);
        BigDecimal buyFee = buyPrice.multiply(quantity).multiply(FEE_RATE);
        BigDecimal sellPrice = new BigDecimal("111").multiply(BigDecimal.ONE.subtract(SLIPPAGE));
        BigDecimal sellFee = sellPrice.multiply(quantity).multiply(FEE_RATE);
        assertThat(decimal(buy.get("price"))).isEqualByComparingTo(buyPrice);
        assertThat(decimal(buy.get("quantity"))).isEqualByComparingTo(quantity);
        assertThat(decimal(buy.get("fee"))).isEqualByComparingTo(buyFee.setScale(18, RoundingMode.HALF_EVEN));
        assertThat(buy).containsEntry("source", "bot")
            .containsEntry("executed_at", first.plus(Duration.ofMinutes(2)).toString())
            .containsEntry("client_order_id",
                    "kapi-" + bot + "-" + first.plus(Duration.ofMinutes(1)).getEpochSecond() / 60);
        BigDecimal realized = sellPrice.multiply(quantity)
            .subtract(sellFee)
            .subtract(buyPrice.multiply(quantity))
            .subtract(buyFee);
        assertThat(decimal(sell.get("realized_pnl")).setScale(8, RoundingMode.HALF_EVEN))
            .isEqualByComparingTo(realized.setScale(8, RoundingMode.HALF_EVEN));
        Map<String, Object> state = get(token, "/api/trading/bots/{id}/state", bot);
        assertThat(state).containsEntry("status", "idle")
            .containsEntry("last_signal", "hold")
            .containsEntry("last_candle_at", first.plus(Duration.ofMinutes(4)).toString());
        assertThat(decimal(state.get("last_price"))).isEqualByComparingTo("108");
    }

    @Test
    void tickWhenTwoRunnersRaceOnTheSameMinuteThenEveryBotRunsAndTradesExactlyOnce() throws Exception {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        Instant first = recordCandles(symbol, "90");
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long bot = startedBot(token, simpleBot(symbol, "100", "110"));
            ids.add(bot);
        }
        Instant minute = first.plus(Duration.ofMinutes(1));
        CyclicBarrier together = new CyclicBarrier(2);

        List<CompletableFuture<BotRunner.TickReport>> runners = List.of(1, 2)
            .stream()
            .map(n -> CompletableFuture.supplyAsync(() -> {
                await(together);
                return runner.tick(minute);
            }))
            .toList();
        for (CompletableFuture<BotRunner.TickReport> run : runners) {
            run.get();
        }
        runner.tick(minute.plusSeconds(30));

        Long[] bots = ids.toArray(Long[]::new);
        assertThat(jdbc.sql("SELECT count(*) FROM trading_bot_runs WHERE bot_id = ANY(:bots)")
            .param("bots", bots)
            .query(Long.class)
            .single()).isEqualTo(40);
        assertThat(jdbc.sql("SELECT count(DISTINCT bot_id) FROM trading_trades WHERE bot_id = ANY(:bots)")
            .param("bots", bots)
            .query(Long.class)
            .single()).isEqualTo(40);
        assertThat(jdbc.sql("SELECT count(*) FROM trading_trades WHERE bot_id = ANY(:bots)")
            .param("bots", bots)
            .query(Long.class)
            .single()).isEqualTo(40);
    }

    @Test
    void retryWhenAnInstanceDiedAfterClaimingThenAnotherRunsTheBotForThatCandleOnce() {
        // Another instance claimed the bot for this candle at the tick and was killed
        // before running it.
        DeadClaim claim = claimedByADeadInstance(30);

        runner.tick(claim.minute().plusSeconds(5));
        assertThat(list(claim.token(), "/api/trading/trades?bot_id={bot}", claim.bot())).isEmpty();

        runner.retry(claim.minute().plusSeconds(35));
        runner.retry(claim.minute().plusSeconds(35));
        runner.tick(claim.minute().plusSeconds(5));

        assertThat(list(claim.token(), "/api/trading/trades?bot_id={bot}", claim.bot()))
            .extracting(trade -> trade.get("side"))
            .containsExactly("buy");
        assertInPositionOnItsCandle(claim);
    }

    @Test
    void retryWhenAnInstanceDiedBetweenWritingItsOrderAndSendingItThenTheCandleStillGetsItsOrderOnce() {
        // The dead instance had claimed the bot and written its buy as pending; the
        // exchange never got it.
        DeadClaim claim = claimedByADeadInstance(30);
        String clientOrderId = Orders.clientOrderId(claim.bot(), claim.candle());
        jdbc.sql("""
                INSERT INTO trading_orders (client_order_id, bot_id, candle_open, side, status, created_at)
                VALUES (:id, :bot, :open, 'buy', 'pending', now())
                """)
            .param("id", clientOrderId)
            .param("bot", claim.bot())
            .param("open", java.time.OffsetDateTime.ofInstant(claim.candle(), java.time.ZoneOffset.UTC))
            .update();

        runner.retry(claim.minute().plusSeconds(35));
        runner.retry(claim.minute().plusSeconds(35));

        assertThat(list(claim.token(), "/api/trading/trades?bot_id={bot}", claim.bot()))
            .extracting(trade -> trade.get("side"), trade -> trade.get("client_order_id"))
            .containsExactly(org.assertj.core.groups.Tuple.tuple("buy", clientOrderId));
        assertInPositionOnItsCandle(claim);
    }

    @Test
    void retryWhenTheClaimingInstanceIsStillRunningItsBatchThenItsOldClaimsAreLeftToIt() throws Exception {
        DeadClaim claim = claimedByADeadInstance(60);
        // A live instance holds its batch's claims locked until the batch is done (a slow
        // exchange, say).
        try (java.sql.Connection live = dataSource.getConnection()) {
            live.setAutoCommit(false);
            try (var lock = live.prepareStatement("SELECT 1 FROM trading_bot_runs WHERE bot_id = ? FOR UPDATE")) {
                lock.setLong(1, claim.bot());
                lock.executeQuery().close();
            }

            BotRunner.TickReport report = runner.retry(claim.minute().plusSeconds(35));

            assertThat(report.ran()).isZero();
            live.rollback();
        }
        assertThat(list(claim.token(), "/api/trading/trades?bot_id={bot}", claim.bot())).isEmpty();
        runner.retry(claim.minute().plusSeconds(35));
        assertThat(list(claim.token(), "/api/trading/trades?bot_id={bot}", claim.bot())).hasSize(1);
    }

    @Test
    void retryWhenAClaimIsRecentThenItsInstanceIsLeftToFinishIt() {
        DeadClaim claim = claimedByADeadInstance(5);

        runner.retry(claim.minute().plusSeconds(35));

        assertThat(list(claim.token(), "/api/trading/trades?bot_id={bot}", claim.bot())).isEmpty();
        assertThat(get(claim.token(), "/api/trading/bots/{id}/state", claim.bot())).containsEntry("status", "idle")
            .containsEntry("last_candle_at", null);
    }

    @Test
    void retryWhenEveryClaimFinishedThenNothingRunsTwice() {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        Instant first = recordCandles(symbol, "90", "112");
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));
        Instant minute = first.plus(Duration.ofMinutes(1));

        runner.tick(minute.plusSeconds(5));
        jdbc.sql("UPDATE trading_bot_runs SET claimed_at = claimed_at - interval '1 hour' WHERE bot_id = :bot")
            .param("bot", bot)
            .update();
        runner.retry(minute.plusSeconds(35));

        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).hasSize(1);
        assertThat(jdbc.sql("SELECT count(*) FROM trading_bot_runs WHERE bot_id = :bot AND finished_at IS NOT NULL")
            .param("bot", bot)
            .query(Long.class)
            .single()).isEqualTo(1L);
    }

    /**
     * A user's started bot, its candle (closing at 90: a buy), and the minute that candle
     * is acted on.
     */
    private record DeadClaim(String token, long bot, Instant candle, Instant minute) {
    }

    /**
     * A started bot whose one candle a killed instance claimed {@code secondsAgo} seconds
     * ago and never ran.
     */
    private DeadClaim claimedByADeadInstance(int secondsAgo) {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        Instant candle = recordCandles(symbol, "90");
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));
        claimAsADeadInstance(bot, candle, clock.instant().minusSeconds(secondsAgo));
        return new DeadClaim(token, bot, candle, candle.plus(Duration.ofMinutes(1)));
    }

    /** The bot bought on the claimed candle, once: in position, that candle its last. */
    private void assertInPositionOnItsCandle(DeadClaim claim) {
        assertThat(get(claim.token(), "/api/trading/bots/{id}/state", claim.bot()))
            .containsEntry("status", "in_position")
            .containsEntry("last_candle_at", claim.candle().toString());
    }

    /**
     * What a claim of an instance killed in the middle of its batch leaves: the row,
     * never finished.
     */
    private void claimAsADeadInstance(long bot, Instant candleOpen, Instant claimedAt) {
        jdbc.sql("INSERT INTO trading_bot_runs (bot_id, candle_open, claimed_at) VALUES (:bot, :open, :claimed)")
            .param("bot", bot)
            .param("open", java.time.OffsetDateTime.ofInstant(candleOpen, java.time.ZoneOffset.UTC))
            .param("claimed", java.time.OffsetDateTime.ofInstant(claimedAt, java.time.ZoneOffset.UTC))
            .update();
    }

    @Test
    void tickWhenEmaHasTooFewCandlesThenWarmsUpWithoutTrading() {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        Instant first = recordCandles(symbol, "10", "11", "12");
        long bot = startedBot(token, emaBot(symbol, Map.of("ema_period", 3)));

        runner.tick(first.plus(Duration.ofMinutes(3)));

        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("last_signal", "warming_up");
        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).isEmpty();
    }

    @Test
    void tickWhenTheMinutesCandleHasNotClosedThenNoStrategySeesIt() {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        // The second candle opens at the tick's minute: at 5 s past it, it is still open.
        // Its close would buy.
        Instant first = recordCandles(symbol, "105", "50");
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));

        runner.tick(first.plus(Duration.ofMinutes(1)).plusSeconds(5));

        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("last_signal", "hold")
            .containsEntry("last_candle_at", first.toString());
        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).isEmpty();
    }

    @Test
    void tickWhenNoCandleForTheMinuteThenNoDataAndNoTrade() {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        Instant first = recordCandles(symbol, "50");
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));

        runner.tick(first.plus(Duration.ofMinutes(5)));

        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("last_signal", "no_data");
        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).isEmpty();
    }

    @Test
    void tickWhenBotStoppedPausedOrItsOwnerFrozenThenItDoesNotRun() {
        String symbol = uniqueSymbol();
        Instant first = recordCandles(symbol, "50");
        String stoppedOwner = newUserToken();
        long stopped = id(createBot(stoppedOwner, simpleBot(symbol, "100", "110")));
        String pausedOwner = newUserToken();
        long paused = id(createBot(pausedOwner, simpleBot(symbol, "100", "110")));
        post(pausedOwner, "/api/trading/bots/" + paused + "/start", null);
        as(pausedOwner).put()
            .uri("/api/trading/bots/{id}/state", paused)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("status", "paused"))
            .exchange()
            .expectStatus()
            .isOk();
        String frozenOwner = newUserToken();
        long frozen = id(createBot(frozenOwner, simpleBot(symbol, "100", "110")));
        post(frozenOwner, "/api/trading/bots/" + frozen + "/start", null);
        as(frozenOwner).post().uri("/users/me/freeze").exchange().expectStatus().is2xxSuccessful();

        runner.tick(first.plus(Duration.ofMinutes(1)));

        assertThat(get(stoppedOwner, "/api/trading/bots/{id}/state", stopped)).containsEntry("last_run_at", null);
        assertThat(get(pausedOwner, "/api/trading/bots/{id}/state", paused)).containsEntry("last_run_at", null);
        assertThat(get(frozenOwner, "/api/trading/bots/{id}/state", frozen)).containsEntry("last_run_at", null);
    }

    @Test
    void tickWhenTheExchangeFailsThreeTimesInARowThenTheBotGoesToErrorAndStopsTrading() {
        String token = newUserToken();
        long key = id(createKey(token, "unreachable-binance-key"));
        Map<String, Object> body = simpleBot("BTCUSDT", "100", "110");
        body.put("api_key_id", key);
        long bot = startedBot(token, body);
        Instant minute = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofDays(400));

        for (int i = 1; i <= 3; i++) {
            runner.tick(minute.plus(Duration.ofMinutes(i)));
            assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("error_count", i);
        }

        Map<String, Object> state = get(token, "/api/trading/bots/{id}/state", bot);
        assertThat(state).containsEntry("status", "error");
        assertThat((String) state.get("last_error")).isNotBlank();
        runner.tick(minute.plus(Duration.ofMinutes(4)));
        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("error_count", 3);
        post(token, "/api/trading/bots/" + bot + "/stop", null);
    }

    @Test
    void tickWhenASellBreaksTheMaxDailyLossThenTheBotIsStopped() {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        Instant first = recordCandles(symbol, "150");
        Map<String, Object> body = simpleBot(symbol, "100", "110");
        body.put("max_daily_loss", 20);
        long bot = startedBot(token, body);
        as(token).post()
            .uri("/api/trading/trades")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("bot_id", bot, "side", "buy", "price", 200, "quantity", 1))
            .exchange()
            .expectStatus()
            .isCreated();

        runner.tick(first.plus(Duration.ofMinutes(1)));

        Map<String, Object> state = get(token, "/api/trading/bots/{id}/state", bot);
        assertThat(state).containsEntry("active", false).containsEntry("status", "idle");
        assertThat((String) state.get("last_error")).startsWith("Max daily loss reached");
    }

    @Test
    void tickWhenAnOrderWasLeftPendingThenItIsLookedUpFirstAndDroppedWhenTheExchangeNeverGotIt() {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        Instant first = recordCandles(symbol, "105", "106");
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));
        String orphan = Orders.clientOrderId(bot, first);
        jdbc.sql("""
                INSERT INTO trading_orders (client_order_id, bot_id, candle_open, side, status, created_at)
                VALUES (:id, :bot, :open, 'buy', 'pending', now())
                """).param("id", orphan).param("bot", bot).param("open", dev.kapi.shared.SqlTime.utc(first)).update();

        runner.tick(first.plus(Duration.ofMinutes(2)));

        assertThat(jdbc.sql("SELECT status FROM trading_orders WHERE client_order_id = :id")
            .param("id", orphan)
            .query(String.class)
            .single()).isEqualTo("absent");
        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).isEmpty();
    }

    /**
     * Records one-minute candles with the given closes, the first opening at a fresh
     * minute; answers its open.
     */
    Instant recordCandles(String symbol, String... closes) {
        Instant first = randomMinuteAfter("2030-01-01T00:00:00Z");
        paper.record(symbol, CandleInterval.M1, flatCandles(first, closes));
        return first;
    }

    static String uniqueSymbol() {
        return "T" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L) + "USDT";
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

}
