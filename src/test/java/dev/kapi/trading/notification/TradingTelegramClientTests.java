package dev.kapi.trading.notification;

import java.net.URI;
import java.time.Duration;

import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import dev.kapi.shared.net.OutboundHttp;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Telegram client against a local stub answering as the Bot API documents
 * sendMessage.
 */
class TradingTelegramClientTests {

    private static final String TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

    @RegisterExtension
    static WireMockExtension telegram = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final TelegramClient client = new TelegramClient(URI.create(telegram.baseUrl()), Duration.ofSeconds(2),
            JsonMapper.builder().build(), new OutboundHttp(SystemDefaultDnsResolver.INSTANCE, true));

    @Test
    void sendThenSendMessageWithTheChatAndTheText() {
        telegram.stubFor(post(urlEqualTo("/bot" + TOKEN + "/sendMessage")).willReturn(okJson("""
                {"ok": true, "result": {"message_id": 42, "chat": {"id": -100123, "type": "group"}, "date": 1700000000,
                 "text": "Kapı botu 7: sell"}}""")));

        client.send(TOKEN, "-100123", "Kapı botu 7: sell");

        telegram.verify(postRequestedFor(urlEqualTo("/bot" + TOKEN + "/sendMessage"))
            .withHeader("Content-Type", equalTo("application/json"))
            .withRequestBody(equalToJson("{\"chat_id\": \"-100123\", \"text\": \"Kapı botu 7: sell\"}")));
    }

    @Test
    void sendWhenTelegramRefusesThenAnErrorWithItsAnswerButNotTheToken() {
        telegram.stubFor(post(urlEqualTo("/bot" + TOKEN + "/sendMessage")).willReturn(aResponse().withStatus(401)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"ok\": false, \"error_code\": 401, \"description\": \"Unauthorized\"}")));

        assertThatThrownBy(() -> client.send(TOKEN, "1", "x")).hasMessageContaining("401")
            .hasMessageContaining("Unauthorized")
            .hasMessageNotContaining(TOKEN);
    }

}
