package dev.kapi.trading;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import dev.kapi.trading.exchange.PaperExchange;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.runner.BotRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Risk settings on crafted candles: each exit fires inside the candle at its price, and a
 * paper bot ticked candle by candle trades exactly as a backtest of the same candles with
 * the same settings.
 */
class TradingRiskIntegrationTests extends TradingTestSupport {

    private static final BigDecimal SLIP = new BigDecimal("0.0005");

    private static final BigDecimal ENTRY = new BigDecimal("99").multiply(BigDecimal.ONE.add(SLIP));

    @Autowired
    BotRunner runner;

    @Autowired
    PaperExchange paper;

    /** open, high, low, close. */
    private static String[] c(String open, String high, String low, String close) {
        return new String[] { open, high, low, close };
    }

    private static final String[] BUY = { "99", "99", "99", "99" };

    private static final String[] FLAT = { "100", "100", "100", "100" };

    @Test
    void stopLossWhenTheLowReachesItThenSellsInsideTheCandleAtTheStopPriceInPaperAndBacktest() {
        List<Map<String, Object>> trades = sameInPaperAndBacktest(Map.of("stop_loss", "0.05"), BUY,
                c("100", "101", "94", "100"), FLAT);

        BigDecimal stop = ENTRY.multiply(new BigDecimal("0.95"));
        assertThat(trades).extracting(t -> t.get("exit_reason")).containsExactly(null, "stop_loss");
        assertPrice(trades.get(1), stop.multiply(BigDecimal.ONE.subtract(SLIP)));
    }

    @Test
    void stopLossWhenTheCandleOpensBelowItThenSellsAtTheOpen() {
        List<Map<String, Object>> trades = sameInPaperAndBacktest(Map.of("stop_loss", "0.05"), BUY,
                c("90", "95", "89", "100"));

        assertThat(trades).extracting(t -> t.get("exit_reason")).containsExactly(null, "stop_loss");
        assertPrice(trades.get(1), new BigDecimal("90").multiply(BigDecimal.ONE.subtract(SLIP)));
    }

    @Test
    void takeProfitWhenTheHighReachesItThenSellsAtTheTarget() {
        List<Map<String, Object>> trades = sameInPaperAndBacktest(Map.of("take_profit", "0.1", "stop_loss", "0.5"), BUY,
                c("100", "105", "99.5", "104"), c("104", "110", "103", "105"));

        assertThat(trades).extracting(t -> t.get("exit_reason")).containsExactly(null, "take_profit");
        assertPrice(trades.get(1), ENTRY.multiply(new BigDecimal("1.1")).multiply(BigDecimal.ONE.subtract(SLIP)));
    }

    @Test
    void stopAndTakeProfitInOneCandleThenTheStopIsTaken() {
        List<Map<String, Object>> trades = sameInPaperAndBacktest(Map.of("take_profit", "0.1", "stop_loss", "0.05"),
                BUY, c("100", "120", "80", "100"));

        assertThat(trades).extracting(t -> t.get("exit_reason")).containsExactly(null, "stop_loss");
    }

    @Test
    void trailingStopWhenThePriceFallsFromItsHighAfterTheOffsetThenSellsAtTheTrailedPrice() {
        // The first candle's high (101) is below the offset (2% above the entry): nothing
        // trails from it, so
        // its fall to 97 sells nothing. The second rises to 110; the third falls 5% from
        // there.
        List<Map<String, Object>> trades = sameInPaperAndBacktest(
                Map.of("trailing_stop", "0.05", "trailing_offset", "0.02"), BUY, c("100", "101", "97", "100"),
                c("100", "110", "100", "108"), c("108", "108", "104", "105"));

        assertThat(trades).extracting(t -> t.get("exit_reason")).containsExactly(null, "trailing_stop");
        assertPrice(trades.get(1), new BigDecimal("104.5").multiply(BigDecimal.ONE.subtract(SLIP)));
    }

    @Test
    void signalSellThenExitReasonSignal() {
        Map<String, Object> bot = simpleBot(uniqueSymbol(), "100", "105");
        bot.put("stop_loss", "0.2");
        List<Map<String, Object>> trades = sameInPaperAndBacktest(bot, BUY, c("100", "107", "100", "106"));

        assertThat(trades).extracting(t -> t.get("exit_reason")).containsExactly(null, "signal");
    }

    @Test
    void cooldownAfterAStopThenNoBuyUntilItEnds() {
        List<Map<String, Object>> trades = sameInPaperAndBacktest(Map.of("stop_loss", "0.05", "cooldown_minutes", 3),
                BUY, c("100", "100", "90", "100"), BUY, BUY, BUY);

        assertThat(trades).extracting(t -> t.get("side")).containsExactly("buy", "sell", "buy");
        assertThat(trades.get(2)).containsEntry("executed_at",
                trades.get(1)
                    .get("executed_at")
                    .toString()
                    .transform(Instant::parse)
                    .plus(Duration.ofMinutes(3))
                    .toString());
    }

    @Test
    void maxDrawdownWhenEquityFallsThatFarThenSellsAndThePaperBotPausesItselfWithTheReason() {
        Map<String, Object> bot = simpleBot(uniqueSymbol(), "100", "1000");
        bot.put("max_drawdown", "0.2");
        bot.put("starting_balance", 1000);
        bot.put("position_sizing", Map.of("mode", "balance_fraction", "value", 1));
        String token = newUserToken();

        Run run = run(token, bot, BUY, c("99", "99", "85", "90"), c("90", "90", "78", "79"), BUY);

        assertThat(run.trades()).extracting(t -> t.get("exit_reason")).containsExactly(null, "max_drawdown");
        assertThat(run.trades()).isEqualTo(run.backtest());
        Map<String, Object> state = get(token, "/api/trading/bots/{id}/state", run.botId());
        assertThat(state).containsEntry("status", "paused").containsEntry("status_reason", "max-drawdown");
        as(token).put()
            .uri("/api/trading/bots/{id}/state", run.botId())
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("status", "idle"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.status_reason")
            .isEmpty();
    }

    @Test
    void positionSizingWhenFixedQuoteOrBalanceFractionThenTheBuySpendsThat() {
        Map<String, Object> fixed = sameInPaperAndBacktest(
                Map.of("position_sizing", Map.of("mode", "fixed_quote", "value", 250)), BUY)
            .getFirst();
        Map<String, Object> fraction = sameInPaperAndBacktest(
                Map.of("position_sizing", Map.of("mode", "balance_fraction", "value", "0.5"), "starting_balance", 1000),
                BUY)
            .getFirst();

        assertThat(decimal(fixed.get("quantity")))
            .isEqualByComparingTo(new BigDecimal("250").divide(ENTRY, 8, RoundingMode.DOWN));
        assertThat(decimal(fraction.get("quantity")))
            .isEqualByComparingTo(new BigDecimal("500").divide(ENTRY, 8, RoundingMode.DOWN));
    }

    @Test
    void riskSettingsWhenOutOfRangeOrInconsistentThenBadRequestNamingTheField() {
        String token = newUserToken();
        Map<String, Object> bot = simpleBot(uniqueSymbol(), "100", "110");
        bot.put("stop_loss", 1);
        assertThat(invalidBotFields(token, bot)).containsExactly("stop_loss");
        bot.remove("stop_loss");
        bot.put("trailing_offset", "0.01");
        assertThat(invalidBotFields(token, bot)).containsExactly("trailing_offset");
        bot.remove("trailing_offset");
        bot.put("position_sizing", Map.of("mode", "balance_fraction", "value", 2));
        assertThat(invalidBotFields(token, bot)).containsExactly("position_sizing.value");
        bot.put("position_sizing", Map.of("mode", "all_in", "value", 1));
        assertThat(invalidBotFields(token, bot)).containsExactly("position_sizing.mode");
    }

    /**
     * One out-of-range value per risk field, as a bot's body and a backtest's take them
     * (flat).
     */
    private static final Map<String, Object> OUT_OF_RANGE = Map.of("stop_loss", 1, "take_profit", 101, "trailing_stop",
            0, "trailing_offset", -1, "max_drawdown", "1.5", "cooldown_minutes", 525_601, "starting_balance", 0,
            "position_sizing", Map.of("mode", "fixed_quote", "value", -1));

    @Test
    void riskSettingsWhenEachIsOutOfRangeOrNotANumberThenBotsAndBacktestsBothAnswer400NamingIt() {
        String token = newUserToken();
        Map<String, Object> bot = simpleBot(uniqueSymbol(), "100", "110");
        Map<String, Object> backtest = new HashMap<>(Map.of("strategy", "simple", "params",
                Map.of("buy_below", 100, "sell_above", 110), "generate", Map.of("seed", 1, "count", 10)));
        OUT_OF_RANGE.forEach((field, value) -> {
            String named = "position_sizing".equals(field) ? "position_sizing.value" : field;
            Map<String, Object> badBot = new HashMap<>(bot);
            badBot.put(field, value);
            assertThat(invalidBotFields(token, badBot)).as(field).containsExactly(named);
            Map<String, Object> badBacktest = new HashMap<>(backtest);
            badBacktest.put(field, value);
            assertThat(invalidFields(as(token).post()
                .uri("/api/trading/backtests")
                .contentType(MediaType.APPLICATION_JSON)
                .body(badBacktest))).as(field).containsExactly(named);
        });
        Map<String, Object> notANumber = new HashMap<>(bot);
        notANumber.put("stop_loss", "five percent");
        assertThat(invalidBotFields(token, notANumber)).containsExactly("stop_loss");
        Map<String, Object> backtestNotANumber = new HashMap<>(backtest);
        backtestNotANumber.put("cooldown_minutes", "soon");
        assertThat(invalidFields(as(token).post()
            .uri("/api/trading/backtests")
            .contentType(MediaType.APPLICATION_JSON)
            .body(backtestNotANumber))).containsExactly("cooldown_minutes");
    }

    @Test
    @SuppressWarnings("unchecked")
    void riskSettingsWhenFlatInABotOrABacktestBodyThenBothTakeThem() {
        String token = newUserToken();
        Map<String, Object> risk = Map.of("stop_loss", "0.05", "take_profit", "0.2", "trailing_stop", "0.03",
                "trailing_offset", "0.01", "max_drawdown", "0.3", "cooldown_minutes", 15, "position_sizing",
                Map.of("mode", "balance_fraction", "value", "0.25"), "starting_balance", 5000);
        Map<String, Object> bot = simpleBot(uniqueSymbol(), "100", "110");
        bot.putAll(risk);

        Map<String, Object> created = createBot(token, bot);

        assertThat(created).containsEntry("stop_loss", 0.05)
            .containsEntry("take_profit", 0.2)
            .containsEntry("trailing_stop", 0.03)
            .containsEntry("trailing_offset", 0.01)
            .containsEntry("max_drawdown", 0.3)
            .containsEntry("cooldown_minutes", 15)
            .containsEntry("position_sizing", Map.of("mode", "balance_fraction", "value", 0.25))
            .containsEntry("starting_balance", 5000);
        Map<String, Object> backtest = new HashMap<>(risk);
        backtest.putAll(Map.of("strategy", "simple", "params", Map.of("buy_below", 100, "sell_above", 110), "generate",
                Map.of("seed", 7, "count", 500)));
        Map<String, Object> result = post(token, "/api/trading/backtests", backtest);
        assertThat(result).containsEntry("starting_balance", 5000);
        List<Map<String, Object>> buys = ((List<Map<String, Object>>) result.get("trades")).stream()
            .filter(trade -> "buy".equals(trade.get("side")))
            .toList();
        assertThat(buys).isNotEmpty();
        BigDecimal first = decimal(buys.getFirst().get("price")).multiply(decimal(buys.getFirst().get("quantity")));
        assertThat(first).isCloseTo(new BigDecimal("1250"),
                org.assertj.core.api.Assertions.within(new BigDecimal("0.01")));
    }

    @Test
    void botWhenRiskSettingsGivenThenAnsweredBackAndSeed002ShapeStillWorks() {
        String token = newUserToken();
        Map<String, Object> bot = simpleBot(uniqueSymbol(), "100", "110");
        bot.put("stop_loss", "0.05");
        bot.put("position_sizing", Map.of("mode", "fixed_quote", "value", 50));
        Map<String, Object> created = createBot(token, bot);
        assertThat(created).containsEntry("stop_loss", 0.05)
            .containsEntry("take_profit", null)
            .containsEntry("position_sizing", Map.of("mode", "fixed_quote", "value", 50))
            .containsEntry("starting_balance", 10000);

        Map<String, Object> seed = new HashMap<>(
                Map.of("name", "EMA", "symbol", "BTCUSDT", "quote_amount", 100, "strategy", "ema", "ema_period", 20));
        assertThat(createBot(token, seed)).containsEntry("params", Map.of("ema_period", 20))
            .containsEntry("stop_loss", null);
    }

    private record Run(long botId, List<Map<String, Object>> trades, List<Map<String, Object>> backtest) {
    }

    /**
     * The trades (oldest first) a paper bot with a threshold strategy and these risk
     * settings makes.
     */
    private List<Map<String, Object>> sameInPaperAndBacktest(Map<String, Object> risk, String[]... candles) {
        Map<String, Object> bot = simpleBot(uniqueSymbol(), "100", "1000");
        bot.putAll(risk);
        Run run = run(newUserToken(), bot, candles);
        assertThat(run.trades()).isEqualTo(run.backtest());
        return run.trades();
    }

    @SuppressWarnings("unchecked")
    private Run run(String token, Map<String, Object> bot, String[]... candles) {
        String symbol = (String) bot.get("symbol");
        Instant first = randomMinuteAfter("2030-01-01T00:00:00Z");
        List<Candle> series = new ArrayList<>();
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < candles.length; i++) {
            String[] v = candles[i];
            Instant open = first.plus(Duration.ofMinutes(i));
            series.add(new Candle(open, new BigDecimal(v[0]), new BigDecimal(v[1]), new BigDecimal(v[2]),
                    new BigDecimal(v[3]), BigDecimal.TEN));
            csv.append(open.toEpochMilli()).append(',').append(String.join(",", v)).append(",10\n");
        }
        paper.record(symbol, CandleInterval.M1, series);
        long id = id(createBot(token, bot));
        post(token, "/api/trading/bots/" + id + "/start", null);
        for (int minute = 1; minute <= candles.length; minute++) {
            runner.tick(first.plus(Duration.ofMinutes(minute)));
        }
        List<Map<String, Object>> trades = new ArrayList<>(list(token, "/api/trading/trades?bot_id={bot}", id).stream()
            .map(TradingRiskIntegrationTests::essentials)
            .toList()).reversed();

        Map<String, Object> backtest = new HashMap<>(bot);
        backtest.remove("name");
        backtest.put("candles", csv.toString());
        Map<String, Object> result = post(token, "/api/trading/backtests", backtest);
        List<Map<String, Object>> simulated = ((List<Map<String, Object>>) result.get("trades")).stream()
            .map(TradingRiskIntegrationTests::essentials)
            .toList();
        return new Run(id, trades, simulated);
    }

    /**
     * What paper and backtest must agree on; prices to 12 decimals (the paper exchange
     * stores 18).
     */
    private static Map<String, Object> essentials(Map<String, Object> trade) {
        Map<String, Object> kept = new HashMap<>();
        kept.put("side", trade.get("side"));
        kept.put("price", decimal(trade.get("price")).setScale(12, RoundingMode.HALF_EVEN));
        kept.put("quantity", decimal(trade.get("quantity")).stripTrailingZeros());
        kept.put("realized_pnl", decimal(trade.get("realized_pnl")).setScale(8, RoundingMode.HALF_EVEN));
        kept.put("executed_at", trade.get("executed_at"));
        kept.put("exit_reason", trade.get("exit_reason"));
        return kept;
    }

    private static void assertPrice(Map<String, Object> trade, BigDecimal expected) {
        assertThat((BigDecimal) trade.get("price")).isEqualByComparingTo(expected.setScale(12, RoundingMode.HALF_EVEN));
    }

    static String uniqueSymbol() {
        return TradingRunnerIntegrationTests.uniqueSymbol();
    }

}
