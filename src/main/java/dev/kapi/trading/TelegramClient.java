package dev.kapi.trading;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * The Telegram Bot API's {@code sendMessage} ({@code POST <base>/bot<token>/sendMessage} with
 * {@code chat_id} and {@code text}), the base URL from {@code kapi.trading.telegram.base-url}, the request
 * timeout from {@code kapi.trading.telegram.timeout} (10 seconds).
 */
@Component
class TelegramClient {

    private final URI baseUrl;
    private final Duration timeout;
    private final JsonMapper json;
    private final HttpClient http;

    TelegramClient(@Value("${kapi.trading.telegram.base-url:https://api.telegram.org}") URI baseUrl,
            @Value("${kapi.trading.telegram.timeout:10s}") Duration timeout, JsonMapper json) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout.compareTo(Duration.ofSeconds(5)) < 0 ? timeout
                : Duration.ofSeconds(5)).build();
    }

    /** Sends the text; throws {@link IllegalStateException} with Telegram's answer (never the token) when it fails. */
    void send(String token, String chatId, String text) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/bot" + token + "/sendMessage"))
                .timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("chat_id", chatId, "text", text))))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            throw new IllegalStateException("Telegram unreachable: " + ex.getClass().getSimpleName());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body();
            throw new IllegalStateException("Telegram answered HTTP " + response.statusCode() + ": "
                    + body.substring(0, Math.min(200, body.length())).replace(token, "***"));
        }
    }
}
