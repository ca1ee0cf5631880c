package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

class TradingNotificationsIntegrationTests extends TradingTestSupport {

    private static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    @Autowired
    BotRunner runner;

    @Autowired
    PaperExchange paper;

    @Test
    void putThenTheTokenIsSealedAndAnsweredMaskedAndGetShowsTheSettings() {
        String token = newUserToken();

        Map<String, Object> put = put(token, Map.of("telegram_bot_token", TOKEN, "telegram_chat_id", "-100123",
                "events", List.of("trade", "stop", "paused")));

        assertThat(put).containsEntry("telegram_bot_token", "****" + TOKEN.substring(TOKEN.length() - 4))
                .containsEntry("telegram_chat_id", "-100123").containsEntry("events", List.of("trade", "stop", "paused"));
        assertThat(get(token, "/api/trading/notifications")).isEqualTo(put);
        String stored = jdbc.sql("SELECT sealed_token FROM trading_notifications WHERE owner_id = :owner")
                .param("owner", accountIdOf(token)).query(String.class).single();
        assertThat(stored).doesNotContain(TOKEN).doesNotContain("AAHdqTcv");
        as(token).delete().uri("/api/trading/notifications").exchange().expectStatus().isNoContent();
        as(token).get().uri("/api/trading/notifications").exchange().expectStatus().isNotFound();
    }

    @Test
    void putWhenAnEventIsUnknownOrTheTokenMalformedThenBadRequestNamingTheField() {
        String token = newUserToken();
        assertThat(invalidFields(as(token).put().uri("/api/trading/notifications").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("telegram_bot_token", TOKEN, "telegram_chat_id", "1", "events", List.of("everything")))))
                .containsExactly("events");
        assertThat(invalidFields(as(token).put().uri("/api/trading/notifications").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("telegram_bot_token", "not a token", "telegram_chat_id", "1", "events", List.of("trade")))))
                .containsExactly("telegram_bot_token");
    }

    @Test
    void tickWhenTelegramCannotBeReachedThenTheBotTradesAsIfNothingHappened() {
        String token = newUserToken();
        put(token, Map.of("telegram_bot_token", TOKEN, "telegram_chat_id", "1", "events", List.of("trade", "stop")));
        String symbol = TradingRunnerIntegrationTests.uniqueSymbol();
        Instant first = Instant.parse("2031-03-01T00:00:00Z").plus(Duration.ofMinutes(
                java.util.concurrent.ThreadLocalRandom.current().nextInt(100_000)));
        paper.record(symbol, CandleInterval.M1, List.of(candle(first, "99"), candle(first.plusSeconds(60), "120")));
        long bot = id(createBot(token, simpleBot(symbol, "100", "110")));
        post(token, "/api/trading/bots/" + bot + "/start", null);

        runner.tick(first.plus(Duration.ofMinutes(1)));
        runner.tick(first.plus(Duration.ofMinutes(2)));

        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).extracting(t -> t.get("side"))
                .containsExactly("sell", "buy");
        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("error_count", 0)
                .containsEntry("last_error", null);
    }

    private Map<String, Object> put(String token, Map<String, Object> body) {
        return as(token).put().uri("/api/trading/notifications").contentType(MediaType.APPLICATION_JSON).body(body)
                .exchange().expectStatus().isOk().expectBody(JSON_OBJECT).returnResult().getResponseBody();
    }

    private static Candle candle(Instant open, String close) {
        BigDecimal price = new BigDecimal(close);
        return new Candle(open, price, price, price, price, BigDecimal.TEN);
    }
}
