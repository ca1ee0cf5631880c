package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.kapi.trading.exchange.PaperExchange;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.runner.BotRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A bot's chart (its own route and the admin's): candles down-sampled, its trades among
 * them, its equity curve.
 */
class TradingChartsIntegrationTests extends TradingTestSupport {

    @Autowired
    BotRunner runner;

    @Autowired
    PaperExchange paper;

    @Test
    @SuppressWarnings("unchecked")
    void chartWhenABotBoughtAndSoldThenItsCandlesTradesAndEquityAgreeWithItsTrades() {
        String token = newUserToken();
        String symbol = TradingRunnerIntegrationTests.uniqueSymbol();
        Instant first = record(symbol, "105", "99", "104", "111", "108");
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));
        for (int minute = 1; minute <= 5; minute++) {
            runner.tick(first.plus(Duration.ofMinutes(minute)));
        }

        Map<String, Object> chart = get(token, "/api/trading/bots/{id}/chart", bot);

        assertThat(chart).containsEntry("bot_id", (int) bot)
            .containsEntry("symbol", symbol)
            .containsEntry("interval", "1m")
            .containsEntry("paper", true)
            .containsEntry("candles_unavailable", false)
            .containsEntry("from", first.toString())
            .containsEntry("to", first.plus(Duration.ofMinutes(5)).toString());
        List<Map<String, Object>> candles = (List<Map<String, Object>>) chart.get("candles");
        assertThat(candles).extracting(candle -> decimal(candle.get("close")).stripTrailingZeros().toPlainString())
            .containsExactly("105", "99", "104", "111", "108");
        assertThat(candles.getFirst()).containsOnlyKeys("open_time", "open", "high", "low", "close")
            .containsEntry("open_time", first.toString());
        List<Map<String, Object>> trades = (List<Map<String, Object>>) chart.get("trades");
        assertThat(trades).extracting(trade -> trade.get("side")).containsExactly("buy", "sell");
        assertThat(trades.get(1)).containsEntry("exit_reason", "signal")
            .containsEntry("executed_at", first.plus(Duration.ofMinutes(4)).toString());
        List<Map<String, Object>> equity = (List<Map<String, Object>>) chart.get("equity_curve");
        assertThat(equity).hasSize(5);
        assertThat(decimal(equity.getFirst().get("equity"))).isEqualByComparingTo("10000");
        BigDecimal realized = decimal(trades.get(1).get("realized_pnl"));
        assertThat(decimal(equity.getLast().get("equity"))).isCloseTo(new BigDecimal("10000").add(realized),
                within(new BigDecimal("0.00000001")));
        assertThat(equity.getLast()).containsEntry("at", first.plus(Duration.ofMinutes(5)).toString());
        assertThat(get(newAdminToken(), "/api/admin/trading/bots/{id}/chart", bot)).isEqualTo(chart);
    }

    @Test
    @SuppressWarnings("unchecked")
    void chartWhenMoreCandlesThanPointsThenMergedIntoGroupsKeepingTheirHighsAndLows() {
        String token = newUserToken();
        String symbol = TradingRunnerIntegrationTests.uniqueSymbol();
        String[] closes = new String[30];
        for (int i = 0; i < closes.length; i++) {
            closes[i] = String.valueOf(100 + i);
        }
        Instant first = record(symbol, closes);
        long bot = startedBot(token, simpleBot(symbol, "1", "1000"));
        runner.tick(first.plus(Duration.ofMinutes(30)));

        List<Map<String, Object>> candles = (List<Map<String, Object>>) get(token,
                "/api/trading/bots/{id}/chart?points=10", bot)
            .get("candles");

        assertThat(candles).hasSize(10);
        assertThat(decimal(candles.getFirst().get("open"))).isEqualByComparingTo("100");
        assertThat(decimal(candles.getFirst().get("high"))).isEqualByComparingTo("102");
        assertThat(decimal(candles.getFirst().get("close"))).isEqualByComparingTo("102");
        assertThat(decimal(candles.getLast().get("close"))).isEqualByComparingTo("129");
    }

    @Test
    @SuppressWarnings("unchecked")
    void chartWhenAPaperBotHoldsAPositionWithATrailingStopThenItsStopLevelIsKapisStopAndNoOrderStands() {
        // given: bought at 99; the highest price since is 111, so the 5% trailing stop
        // (105.45) is above the 10% stop loss (89.1)
        String token = newUserToken();
        String symbol = TradingRunnerIntegrationTests.uniqueSymbol();
        Instant first = record(symbol, "99", "111", "108");
        Map<String, Object> body = simpleBot(symbol, "100", "1000");
        body.put("stop_loss", new BigDecimal("0.1"));
        body.put("trailing_stop", new BigDecimal("0.05"));
        long bot = startedBot(token, body);
        Map<String, Object> flat = get(token, "/api/trading/bots/{id}/chart", bot);
        runner.tick(first.plus(Duration.ofMinutes(1)));
        runner.tick(first.plus(Duration.ofMinutes(2)));
        runner.tick(first.plus(Duration.ofMinutes(3)));

        // when
        Map<String, Object> chart = get(token, "/api/trading/bots/{id}/chart", bot);

        // then
        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("status", "in_position");
        assertThat(decimal(chart.get("stop_level"))).isEqualByComparingTo("105.45");
        assertThat((List<Object>) chart.get("orders")).isEmpty();
        assertThat((List<Object>) flat.get("orders")).isEmpty();
        assertThat(flat).containsEntry("stop_level", null);
    }

    @Test
    void chartWhenAnotherUsersBotOrPointsOutOfRangeThenNotFoundOrBadRequest() {
        String owner = newUserToken();
        long bot = id(createBot(owner, simpleBot("BTCUSDT", "60000", "65000")));
        String other = newUserToken();

        as(other).get().uri("/api/trading/bots/{id}/chart", bot).exchange().expectStatus().isNotFound();
        as(other).get().uri("/api/admin/trading/bots/{id}/chart", bot).exchange().expectStatus().isForbidden();
        as(newAdminToken()).get()
            .uri("/api/admin/trading/bots/{id}/chart", Long.MAX_VALUE)
            .exchange()
            .expectStatus()
            .isNotFound();
        assertThat(invalidFields(as(owner).get().uri("/api/trading/bots/{id}/chart?points=5", bot)))
            .containsExactly("points");
        assertThat(invalidFields(as(owner).get().uri("/api/trading/bots/{id}/chart?points=1001", bot)))
            .containsExactly("points");
    }

    private Instant record(String symbol, String... closes) {
        Instant first = randomMinuteAfter("2032-01-01T00:00:00Z");
        paper.record(symbol, CandleInterval.M1, flatCandles(first, closes));
        return first;
    }

}
