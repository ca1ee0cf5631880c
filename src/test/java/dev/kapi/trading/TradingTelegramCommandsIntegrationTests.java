package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.kapi.trading.notification.TelegramPolling;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Telegram commands against a stand-in of the Bot API: the connected chat is obeyed and
 * answered in the user's language, any other chat gets nothing, and each update is
 * handled once however many instances poll.
 */
class TradingTelegramCommandsIntegrationTests extends TradingTestSupport {

    @Autowired
    TelegramPolling polling;

    @Test
    void commandsWhenTwoInstancesPollTheSameUpdatesThenTheConnectedChatIsObeyedOnceAndAnotherChatGetsNothing()
            throws Exception {
        String token = newUserToken();
        String botToken = ThreadLocalRandom.current().nextLong(1_000_000L, 9_999_999L) + ":"
                + UUID.randomUUID().toString().replace("-", "");
        String chat = String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L));
        String stranger = "-" + chat;
        as(token).put()
            .uri("/api/trading/notifications")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("telegram_bot_token", botToken, "telegram_chat_id", chat, "events", List.of("error")))
            .exchange()
            .expectStatus()
            .isOk();
        long bot = startedBot(token, simpleBot("TGM" + chat.substring(0, 6) + "USDT", "1", "1000000"));
        as(token).post()
            .uri("/api/trading/trades")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("bot_id", bot, "side", "buy", "price", new BigDecimal("100"), "quantity", BigDecimal.ONE))
            .exchange()
            .expectStatus()
            .isCreated();
        TELEGRAM.stubFor(WireMock.post(urlPathEqualTo("/bot" + botToken + "/getUpdates"))
            .willReturn(
                    okJson("""
                            {"ok": true, "result": [
                              {"update_id": 500, "message": {"message_id": 1, "chat": {"id": %1$s}, "text": "/status"}},
                              {"update_id": 501, "message": {"message_id": 2, "chat": {"id": %2$s}, "text": "/killswitch"}},
                              {"update_id": 502, "message": {"message_id": 3, "chat": {"id": %1$s}, "text": "/forceexit Eşik botu"}},
                              {"update_id": 503, "message": {"message_id": 4, "chat": {"id": %1$s}, "text": "/killswitch"}},
                              {"update_id": 504, "message": {"message_id": 5, "chat": {"id": %1$s}, "text": "/start %3$s"}}
                            ]}
                            """
                        .formatted(chat, stranger, bot))));
        TELEGRAM.stubFor(WireMock.post(urlPathEqualTo("/bot" + botToken + "/sendMessage"))
            .willReturn(okJson("{\"ok\": true, \"result\": {}}")));
        TelegramPolling other = secondInstance().getBean(TelegramPolling.class);

        for (int round = 0; round < 2; round++) {
            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<Integer>> polls = new ArrayList<>();
            for (TelegramPolling instance : List.of(polling, other)) {
                polls.add(CompletableFuture.supplyAsync(() -> {
                    await(together);
                    return instance.pollOnce();
                }));
            }
            for (CompletableFuture<Integer> poll : polls) {
                poll.get();
            }
            // The lease of whichever instance polled runs out: the other may take it.
            clock.advance(Duration.ofMinutes(2));
        }

        String sendMessage = "/bot" + botToken + "/sendMessage";
        TELEGRAM.verify(0, postRequestedFor(urlPathEqualTo(sendMessage))
            .withRequestBody(matchingJsonPath("$.chat_id", equalTo(stranger))));
        TELEGRAM.verify(4, postRequestedFor(urlPathEqualTo(sendMessage))
            .withRequestBody(matchingJsonPath("$.chat_id", equalTo(chat))));
        // In the user's language (Turkish, the default): the status, and the refusal to
        // start a bot while the kill switch is on.
        TELEGRAM.verify(1, postRequestedFor(urlPathEqualTo(sendMessage)).withRequestBody(containing("çalışıyor")));
        TELEGRAM.verify(1,
                postRequestedFor(urlPathEqualTo(sendMessage)).withRequestBody(containing("Acil durdurma açık")));
        List<Map<String, Object>> audit = jdbc.sql("""
                SELECT update_id, chat_id, command, arguments, outcome, detail FROM trading_telegram_updates
                WHERE owner_id = :owner ORDER BY update_id
                """).param("owner", accountIdOf(token)).query().listOfRows();
        assertThat(audit)
            .extracting(row -> row.get("update_id"), row -> row.get("command"), row -> row.get("outcome"),
                    row -> row.get("detail"))
            .containsExactly(org.assertj.core.groups.Tuple.tuple(500L, "/status", "ok", null),
                    org.assertj.core.groups.Tuple.tuple(501L, "/killswitch", "ignored-chat", null),
                    org.assertj.core.groups.Tuple.tuple(502L, "/forceexit", "ok", null),
                    org.assertj.core.groups.Tuple.tuple(503L, "/killswitch", "ok", null),
                    org.assertj.core.groups.Tuple.tuple(504L, "/start", "failed", "kill-switch-on"));
        List<Map<String, Object>> trades = list(token, "/api/trading/trades?bot_id={bot}", bot);
        assertThat(trades).filteredOn(trade -> "sell".equals(trade.get("side")))
            .singleElement()
            .satisfies(sell -> assertThat(sell).containsEntry("exit_reason", "force_exit"));
        assertThat(get(token, "/api/trading/kill-switch")).containsEntry("on", true);
        assertThat(get(token, "/api/trading/bots/{id}", bot)).containsEntry("active", false);
    }

    @Test
    void commandsWhenTheUserSignedUpInEnglishThenTheAnswersAreInEnglishAndAnUnknownCommandGetsTheList() {
        String token = newEnglishUserToken();
        String botToken = ThreadLocalRandom.current().nextLong(1_000_000L, 9_999_999L) + ":"
                + UUID.randomUUID().toString().replace("-", "");
        String chat = String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000L, 999_999_999L));
        as(token).put()
            .uri("/api/trading/notifications")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("telegram_bot_token", botToken, "telegram_chat_id", chat, "events", List.of("error")))
            .exchange()
            .expectStatus()
            .isOk();
        TELEGRAM.stubFor(WireMock.post(urlPathEqualTo("/bot" + botToken + "/getUpdates")).willReturn(okJson("""
                {"ok": true, "result": [
                  {"update_id": 7, "message": {"message_id": 1, "chat": {"id": %1$s}, "text": "/status"}},
                  {"update_id": 8, "message": {"message_id": 2, "chat": {"id": %1$s}, "text": "/frobnicate"}}
                ]}
                """.formatted(chat))));
        TELEGRAM.stubFor(WireMock.post(urlPathEqualTo("/bot" + botToken + "/sendMessage"))
            .willReturn(okJson("{\"ok\": true, \"result\": {}}")));

        polling.pollOnce();

        String sendMessage = "/bot" + botToken + "/sendMessage";
        TELEGRAM.verify(1,
                postRequestedFor(urlPathEqualTo(sendMessage)).withRequestBody(containing("You have no bots")));
        TELEGRAM.verify(1,
                postRequestedFor(urlPathEqualTo(sendMessage)).withRequestBody(containing("Commands: /status")));
        assertThat(jdbc.sql("SELECT outcome FROM trading_telegram_updates WHERE owner_id = :owner ORDER BY update_id")
            .param("owner", accountIdOf(token))
            .query(String.class)
            .list()).containsExactly("ok", "unknown-command");
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
