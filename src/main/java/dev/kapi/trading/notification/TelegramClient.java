package dev.kapi.trading.notification;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import dev.kapi.shared.net.OutboundHttp;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Telegram Bot API's {@code sendMessage} ({@code POST <base>/bot<token>/sendMessage}
 * with {@code chat_id} and {@code text}), the base URL and the request timeout from
 * {@link TelegramSettings}. Its client connects only to the address its lookup of the Bot
 * API's host checked ({@link OutboundHttp}).
 */
@Component
class TelegramClient {

    /**
     * Notifications of bots that trade at the same moment go out together, each on its
     * own connection.
     */
    private static final int MAX_CONNECTIONS = 100;

    private final URI baseUrl;

    private final JsonMapper json;

    private final CloseableHttpClient http;

    /** For long polls: its answers may take the poll's whole wait. */
    private final CloseableHttpClient polls;

    @Autowired
    TelegramClient(TelegramSettings settings, JsonMapper json, OutboundHttp outbound) {
        this(settings.baseUrl(), settings.timeout(), settings.poll().timeout(), json, outbound);
    }

    /** Outside Spring (the client's own test): the given base URL and timeout. */
    TelegramClient(URI baseUrl, Duration timeout, JsonMapper json, OutboundHttp outbound) {
        this(baseUrl, timeout, Duration.ofSeconds(25), json, outbound);
    }

    private TelegramClient(URI baseUrl, Duration timeout, Duration pollWait, JsonMapper json, OutboundHttp outbound) {
        this.baseUrl = baseUrl;
        this.json = json;
        Duration connect = timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout : Duration.ofSeconds(5);
        this.http = outbound.serviceClient(connect, timeout, MAX_CONNECTIONS);
        this.polls = outbound.serviceClient(connect, pollWait.plus(timeout), MAX_CONNECTIONS);
    }

    /** A message a chat sent to the bot. */
    record Update(long updateId, String chatId, String text) {
    }

    /**
     * {@code getUpdates} from {@code offset} (which confirms every update before it),
     * waiting up to {@code wait} for one; messages only. Throws like {@link #send}.
     */
    List<Update> updates(String token, long offset, Duration wait) {
        ClassicHttpRequest request = ClassicRequestBuilder.post(baseUrl + "/bot" + token + "/getUpdates")
            .setEntity(new ByteArrayEntity(json.writeValueAsBytes(
                    Map.of("offset", offset, "timeout", wait.toSeconds(), "allowed_updates", List.of("message"))),
                    ContentType.create("application/json")))
            .build();
        Reply response = execute(polls, request, token);
        List<Update> updates = new ArrayList<>();
        for (JsonNode update : json.readTree(response.body()).path("result")) {
            JsonNode message = update.path("message");
            if (update.has("update_id")) {
                updates.add(new Update(update.get("update_id").asLong(), message.path("chat").path("id").asString(""),
                        message.path("text").asString("")));
            }
        }
        return updates;
    }

    private Reply execute(CloseableHttpClient client, ClassicHttpRequest request, String token) {
        Reply response;
        try {
            response = client.execute(request, answer -> new Reply(answer.getCode(), answer.getEntity() == null ? ""
                    : EntityUtils.toString(answer.getEntity(), StandardCharsets.UTF_8)));
        }
        catch (IOException ex) {
            throw new IllegalStateException(Thread.currentThread().isInterrupted() ? "interrupted"
                    : "Telegram unreachable: " + ex.getClass().getSimpleName());
        }
        if (response.status() / 100 != 2) {
            String body = response.body();
            throw new IllegalStateException("Telegram answered HTTP " + response.status() + ": "
                    + body.substring(0, Math.min(200, body.length())).replace(token, "***"));
        }
        return response;
    }

    private record Reply(int status, String body) {
    }

    /**
     * Sends the text; throws {@link IllegalStateException} with Telegram's answer (never
     * the token) when it fails.
     */
    void send(String token, String chatId, String text) {
        ClassicHttpRequest request = ClassicRequestBuilder.post(baseUrl + "/bot" + token + "/sendMessage")
            .setEntity(new ByteArrayEntity(json.writeValueAsBytes(Map.of("chat_id", chatId, "text", text)),
                    ContentType.create("application/json")))
            .build();
        execute(http, request, token);
    }

}
