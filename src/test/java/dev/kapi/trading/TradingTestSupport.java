package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;
import dev.kapi.trading.market.Candle;

/**
 * What the trading tests share: keys, bots and trades made through the API, and readers
 * of the answers.
 */
abstract class TradingTestSupport extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    /** Binance, stood in for on {@code BINANCE}. */
    final BinanceStandIn binance = new BinanceStandIn(BINANCE);

    /** BtcTurk, stood in for on {@code BTCTURK}. */
    final BtcturkStandIn btcturk = new BtcturkStandIn(BTCTURK);

    Map<String, Object> createKey(String token, String apiKey) {
        return as(token).post()
            .uri("/api/trading/api-keys")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("exchange", "binance", "label", "Ana hesap", "api_key", apiKey, "api_secret",
                    "secret-" + apiKey))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    /** A BtcTurk key of the user (its secret in BtcTurk's base64 form). */
    Map<String, Object> createBtcturkKey(String token) {
        return as(token).post()
            .uri("/api/trading/api-keys")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("exchange", "btcturk", "label", "BtcTurk", "api_key", "btcturk-key", "api_secret",
                    "c2VjcmV0LWJ0Y3R1cmstcHJpdmF0ZQ=="))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    /** A new user who signed up in English (the language Kapı writes to them in). */
    String newEnglishUserToken() {
        String email = uniqueEmail();
        client().post()
            .uri("/auth/register")
            .header(HttpHeaders.ACCEPT_LANGUAGE, "en")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email, "password", PASSWORD, "full_name", "English User"))
            .exchange()
            .expectStatus()
            .isCreated();
        return login(email);
    }

    static Map<String, Object> simpleBot(String symbol, String buyBelow, String sellAbove) {
        Map<String, Object> bot = new HashMap<>();
        bot.put("name", "Eşik botu");
        bot.put("symbol", symbol);
        bot.put("quote_amount", new BigDecimal("100"));
        bot.put("strategy", "simple");
        bot.put("params", Map.of("buy_below", new BigDecimal(buyBelow), "sell_above", new BigDecimal(sellAbove)));
        return bot;
    }

    static Map<String, Object> emaBot(String symbol, Map<String, Object> params) {
        Map<String, Object> bot = new HashMap<>();
        bot.put("name", "EMA botu");
        bot.put("symbol", symbol);
        bot.put("quote_amount", new BigDecimal("100"));
        bot.put("strategy", "ema");
        bot.put("params", params);
        return bot;
    }

    Map<String, Object> createBot(String token, Map<String, Object> body) {
        return as(token).post()
            .uri("/api/trading/bots")
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    /** Creates the bot and starts it; its id. */
    long startedBot(String token, Map<String, Object> body) {
        long bot = id(createBot(token, body));
        post(token, "/api/trading/bots/" + bot + "/start", null);
        return bot;
    }

    Map<String, Object> post(String token, String uri, Object body) {
        RestTestClient.RequestBodySpec request = as(token).post().uri(uri);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).body(body);
        }
        return request.exchange()
            .expectStatus()
            .is2xxSuccessful()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    Map<String, Object> get(String token, String uri, Object... vars) {
        return as(token).get()
            .uri(uri, vars)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    List<Map<String, Object>> list(String token, String uri, Object... vars) {
        return as(token).get()
            .uri(uri, vars)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_ARRAY)
            .returnResult()
            .getResponseBody();
    }

    /** The bot's sell trades. */
    List<Map<String, Object>> sells(String token, long bot) {
        return list(token, "/api/trading/trades?bot_id={bot}", bot).stream()
            .filter(trade -> "sell".equals(trade.get("side")))
            .toList();
    }

    /** The id of the bot's last buy trade. */
    long lastBuyId(long bot) {
        return jdbc.sql("SELECT max(id) FROM trading_trades WHERE bot_id = :bot AND side = 'buy'")
            .param("bot", bot)
            .query(Long.class)
            .single();
    }

    List<String> invalidBotFields(String token, Map<String, Object> body) {
        return invalidFields(
                as(token).post().uri("/api/trading/bots").contentType(MediaType.APPLICATION_JSON).body(body));
    }

    /**
     * A random minute among the million after {@code from}: each test class ticks the
     * runner in a year of its own, each test at a minute of its own.
     */
    static Instant randomMinuteAfter(String from) {
        return Instant.parse(from).plus(Duration.ofMinutes(ThreadLocalRandom.current().nextInt(1_000_000)));
    }

    /**
     * Candles one a minute from {@code first}, each flat at its close (open, high, low
     * and close the same), of volume 10.
     */
    static List<Candle> flatCandles(Instant first, String... closes) {
        List<Candle> candles = new ArrayList<>();
        for (int i = 0; i < closes.length; i++) {
            BigDecimal close = new BigDecimal(closes[i]);
            candles.add(new Candle(first.plus(Duration.ofMinutes(i)), close, close, close, close, BigDecimal.TEN));
        }
        return candles;
    }

    static BigDecimal decimal(Object value) {
        return value == null ? null : new BigDecimal(value.toString());
    }

}
