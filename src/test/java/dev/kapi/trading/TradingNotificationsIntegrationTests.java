package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.modulith.events.core.EventPublicationRegistry;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;

import dev.kapi.shared.sealing.SealingSettings;
import dev.kapi.shared.sealing.SecretSealer;
import dev.kapi.trading.exchange.PaperExchange;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.notification.Notifications;
import dev.kapi.trading.runner.BotRunner;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Telegram notifications end to end: the settings, and the trades of paper bots ticked by
 * the runner reaching IntegrationTest's Bot API stub (WireMock) as sendMessage requests,
 * each test on its own chat id.
 */
class TradingNotificationsIntegrationTests extends TradingTestSupport {

    private static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    private static final String RETIRED_KEY = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    BotRunner runner;

    @Autowired
    PaperExchange paper;

    @Autowired
    EventPublicationRegistry publications;

    @Test
    void putThenTheTokenIsSealedAndAnsweredMaskedAndGetShowsTheSettings() {
        String token = newUserToken();

        Map<String, Object> put = put(token, Map.of("telegram_bot_token", TOKEN, "telegram_chat_id", "-100123",
                "events", List.of("trade", "stop", "paused")));

        assertThat(put).containsEntry("telegram_bot_token", "****" + TOKEN.substring(TOKEN.length() - 4))
            .containsEntry("telegram_chat_id", "-100123")
            .containsEntry("events", List.of("trade", "stop", "paused"));
        assertThat(get(token, "/api/trading/notifications")).isEqualTo(put);
        String stored = jdbc.sql("SELECT sealed_token FROM trading_notifications WHERE owner_id = :owner")
            .param("owner", accountIdOf(token))
            .query(String.class)
            .single();
        assertThat(stored).doesNotContain(TOKEN).doesNotContain("AAHdqTcv");
        as(token).delete().uri("/api/trading/notifications").exchange().expectStatus().isNoContent();
        as(token).get().uri("/api/trading/notifications").exchange().expectStatus().isNotFound();
    }

    @Test
    void putWhenAnEventIsUnknownOrTheTokenMalformedThenBadRequestNamingTheField() {
        String token = newUserToken();
        assertThat(invalidFields(as(token).put()
            .uri("/api/trading/notifications")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("telegram_bot_token", TOKEN, "telegram_chat_id", "1", "events", List.of("everything")))))
            .containsExactly("events");
        assertThat(invalidFields(as(token).put()
            .uri("/api/trading/notifications")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("telegram_bot_token", "not a token", "telegram_chat_id", "1", "events", List.of("trade")))))
            .containsExactly("telegram_bot_token");
    }

    @Test
    void tradeOfAPaperBotThenSendMessageReachesTheBotApiWithTheChatAndATurkishText() {
        String token = newUserToken();
        String chat = telegramChat(token, "trade");
        Instant first = firstMinute();
        String symbol = TradingRunnerIntegrationTests.uniqueSymbol();
        paper.record(symbol, CandleInterval.M1, List.of(candle(first, "99")));
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));

        runner.tick(first.plus(Duration.ofMinutes(1)));

        List<String> texts = awaitTexts(chat, 1);
        assertThat(texts.getFirst()).startsWith("Kapı botu " + bot + ": buy ")
            .contains(symbol)
            .contains("gerçekleşen K/Z");
        assertThat(TELEGRAM.findAll(postRequestedFor(urlEqualTo("/bot" + TOKEN + "/sendMessage"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(matchingJsonPath("$.chat_id", equalTo(chat))))).hasSize(1);
    }

    @Test
    void tradeWhenTheUserSignedUpInEnglishThenTheMessageIsInEnglish() {
        String token = newEnglishUserToken();
        String chat = telegramChat(token, "trade");
        Instant first = firstMinute();
        String symbol = TradingRunnerIntegrationTests.uniqueSymbol();
        paper.record(symbol, CandleInterval.M1, List.of(candle(first, "99")));
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));

        runner.tick(first.plus(Duration.ofMinutes(1)));

        assertThat(awaitTexts(chat, 1).getFirst()).startsWith("Kapı bot " + bot + ": buy ").contains("realized PnL");
    }

    @Test
    void eventsWhenOnlyStopIsWantedThenTheSignalBuyIsNotToldAndTheStopLossSellIs() {
        String token = newUserToken();
        String chat = telegramChat(token, "stop");
        Instant first = firstMinute();
        String symbol = TradingRunnerIntegrationTests.uniqueSymbol();
        paper.record(symbol, CandleInterval.M1,
                List.of(candle(first, "99"), new Candle(first.plusSeconds(60), new BigDecimal("100"),
                        new BigDecimal("101"), new BigDecimal("90"), new BigDecimal("100"), BigDecimal.TEN)));
        Map<String, Object> body = simpleBot(symbol, "100", "1000");
        body.put("stop_loss", "0.05");
        long bot = startedBot(token, body);

        runner.tick(first.plus(Duration.ofMinutes(1)));
        runner.tick(first.plus(Duration.ofMinutes(2)));

        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).extracting(t -> t.get("exit_reason"))
            .containsExactly("stop_loss", null);
        // once the listener has handled both trades, what it sent is all it will send
        await().atMost(Duration.ofSeconds(10)).until(() -> allHeard(bot));
        assertThat(texts(chat).size() == 1 && texts(chat).getFirst().contains("stop_loss")).as(texts(chat).toString())
            .isTrue();
        assertThat(texts(chat).getFirst()).startsWith("Kapı botu " + bot + ": sell ");
    }

    @ParameterizedTest
    @ValueSource(strings = { "500", "timeout" })
    void tickWhenTelegramFailsOrDoesNotAnswerThenTheBotTradesAsIfNothingHappened(String failure) {
        String token = newUserToken();
        String chat = uniqueChat();
        stubTelegram(chat,
                "500".equals(failure) ? aResponse().withStatus(500)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"ok\": false, \"error_code\": 500, \"description\": \"Internal Server Error\"}")
                        : okJson(SENT).withFixedDelay(3_000));
        put(token, Map.of("telegram_bot_token", TOKEN, "telegram_chat_id", chat, "events", List.of("trade", "stop")));
        String symbol = TradingRunnerIntegrationTests.uniqueSymbol();
        Instant first = firstMinute();
        paper.record(symbol, CandleInterval.M1, List.of(candle(first, "99"), candle(first.plusSeconds(60), "120")));
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));

        runner.tick(first.plus(Duration.ofMinutes(1)));
        awaitTexts(chat, 1);
        runner.tick(first.plus(Duration.ofMinutes(2)));

        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).extracting(t -> t.get("side"))
            .containsExactly("sell", "buy");
        assertThat(get(token, "/api/trading/bots/{id}/state", bot)).containsEntry("error_count", 0)
            .containsEntry("last_error", null)
            .containsEntry("status", "idle");
        awaitTexts(chat, 2);
    }

    @Test
    void resealWhenATokenWasSealedUnderTheRetiredMasterKeyThenSealedUnderTheCurrentOneAndStillSends() {
        String token = newUserToken();
        String chat = telegramChat(token, "trade");
        long owner = accountIdOf(token);
        SecretSealer retired = new SecretSealer(new SealingSettings(RETIRED_KEY, List.of()), null);
        jdbc.sql("UPDATE trading_notifications SET sealed_token = :sealed WHERE owner_id = :owner")
            .param("sealed", retired.seal(TOKEN, Notifications.context(owner)))
            .param("owner", owner)
            .update();
        String retiredPrefix = retired.seal("x", "y").substring(0, 12);

        Map<String, Object> answer = post(newAdminToken(), "/api/trading/admin/reseal-api-keys", null);

        @SuppressWarnings("unchecked")
        Map<String, Object> tokens = (Map<String, Object>) answer.get("telegram_tokens");
        assertThat(((Number) tokens.get("resealed")).intValue()).isGreaterThanOrEqualTo(1);
        assertThat(((Number) tokens.get("total")).intValue()).isGreaterThanOrEqualTo(1);
        String sealed = jdbc.sql("SELECT sealed_token FROM trading_notifications WHERE owner_id = :owner")
            .param("owner", owner)
            .query(String.class)
            .single();
        assertThat(sealed).doesNotStartWith(retiredPrefix).doesNotContain(TOKEN);
        Map<String, Object> again = post(newAdminToken(), "/api/trading/admin/reseal-api-keys", null);
        assertThat(again).extracting("telegram_tokens").extracting("resealed").isEqualTo(0);

        Instant first = firstMinute();
        String symbol = TradingRunnerIntegrationTests.uniqueSymbol();
        paper.record(symbol, CandleInterval.M1, List.of(candle(first, "99")));
        long bot = startedBot(token, simpleBot(symbol, "100", "110"));
        runner.tick(first.plus(Duration.ofMinutes(1)));
        assertThat(awaitTexts(chat, 1).getFirst()).startsWith("Kapı botu " + bot + ": buy ");
    }

    private static final String SENT = """
            {"ok": true, "result": {"message_id": 42, "chat": {"id": -100123, "type": "group"}, "date": 1700000000,
             "text": "Kapı botu"}}""";

    /**
     * A chat of its own, which the Telegram stub answers, set as the user's for
     * {@code events}; the chat's id.
     */
    private String telegramChat(String token, String... events) {
        String chat = uniqueChat();
        stubTelegram(chat, okJson(SENT));
        put(token, Map.of("telegram_bot_token", TOKEN, "telegram_chat_id", chat, "events", List.of(events)));
        return chat;
    }

    private static String uniqueChat() {
        return "-100" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
    }

    private static Instant firstMinute() {
        return randomMinuteAfter("2031-03-01T00:00:00Z");
    }

    private static void stubTelegram(String chat, ResponseDefinitionBuilder answer) {
        TELEGRAM.stubFor(WireMock.post(urlPathMatching("/bot[^/]+/sendMessage"))
            .withRequestBody(matchingJsonPath("$.chat_id", equalTo(chat)))
            .willReturn(answer));
    }

    /**
     * The texts of the sendMessage requests to the chat that reached the stub, in order.
     */
    private static List<String> texts(String chat) {
        return TELEGRAM
            .findAll(postRequestedFor(urlPathMatching("/bot[^/]+/sendMessage"))
                .withRequestBody(matchingJsonPath("$.chat_id", equalTo(chat))))
            .stream()
            .map(request -> JSON.readTree(request.getBodyAsString()).get("text").asString())
            .toList();
    }

    /**
     * Whether every listener (notifications among them) has handled every trade of the
     * bot: each trade's event is stored with its transaction and stays an incomplete
     * publication until its listener has run.
     */
    private boolean allHeard(long bot) {
        return publications.findIncompletePublications()
            .stream()
            .noneMatch(publication -> publication.getEvent() instanceof TradeExecuted trade && trade.botId() != null
                    && trade.botId() == bot);
    }

    private static List<String> awaitTexts(String chat, int count) {
        await().atMost(Duration.ofSeconds(10)).until(() -> texts(chat).size() >= count);
        return texts(chat);
    }

    private Map<String, Object> put(String token, Map<String, Object> body) {
        return as(token).put()
            .uri("/api/trading/notifications")
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    private static Candle candle(Instant open, String close) {
        BigDecimal price = new BigDecimal(close);
        return new Candle(open, price, price, price, price, BigDecimal.TEN);
    }

}
