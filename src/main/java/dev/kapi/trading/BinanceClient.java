package dev.kapi.trading;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binance Spot REST, as its documentation says: signed endpoints carry {@code timestamp} and
 * {@code recvWindow}, an HMAC-SHA256 {@code signature} of the query string under the API secret, and the
 * key in {@code X-MBX-APIKEY}. Market orders carry a {@code newClientOrderId}; after a 5xx or a timeout
 * the order is looked up by it and placed again only if Binance has none. The used request weight
 * ({@code X-MBX-USED-WEIGHT-1M}) is watched and requests stop for the rest of the minute near the limit;
 * a 429 or 418 stops them for its {@code Retry-After}. One instance is shared, so the limits hold for every bot.
 */
@Component
final class BinanceClient {

    static final int ORDER_DOES_NOT_EXIST = -2013;
    private static final List<String> QUOTE_ASSETS = List.of("USDT", "FDUSD", "USDC", "TUSD", "BUSD", "TRY", "EUR",
            "BTC", "ETH", "BNB");

    private final HttpClient http;
    private final JsonMapper json;
    private final TradingSettings.Binance settings;
    private final Clock clock;
    private volatile Instant blockedUntil = Instant.EPOCH;

    BinanceClient(TradingSettings settings, JsonMapper json, Clock clock) {
        this.settings = settings.binance();
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(this.settings.timeout()).build();
    }

    /** The exchange as one API key sees it. */
    Exchange as(ApiCredentials credentials) {
        return new Account(credentials);
    }

    /** Market data only; placing or looking up orders needs {@link #as}. */
    Exchange publicData() {
        return new Account(null);
    }

    /** Until when requests are held back (a 429, a 418, or the used weight near its limit). */
    Instant blockedUntil() {
        return blockedUntil;
    }

    private final class Account implements Exchange {

        private final ApiCredentials credentials;

        Account(ApiCredentials credentials) {
            this.credentials = credentials;
        }

        @Override
        public List<Candle> candles(String symbol, CandleInterval interval, Instant lastOpen, int limit) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", symbol);
            params.put("interval", interval.code());
            params.put("endTime", Long.toString(lastOpen.plus(interval.length()).toEpochMilli() - 1));
            params.put("limit", Integer.toString(Math.min(limit, 1000)));
            Answer answer = send("GET", "/api/v3/klines", query(params), null);
            if (!answer.ok()) {
                throw answer.failure("klines");
            }
            List<Candle> candles = new ArrayList<>();
            for (JsonNode k : answer.body()) {
                candles.add(new Candle(Instant.ofEpochMilli(k.get(0).asLong()), decimal(k.get(1)), decimal(k.get(2)),
                        decimal(k.get(3)), decimal(k.get(4)), decimal(k.get(5))));
            }
            return candles;
        }

        @Override
        public Fill place(MarketOrder order) {
            Answer answer = sendOrder(order);
            if (answer.uncertain()) {
                // Binance may have taken it: look before placing again, never twice.
                Optional<Fill> found = lookUp(order.symbol(), order.clientOrderId());
                if (found.isPresent()) {
                    return found.get();
                }
                answer = sendOrder(order);
                if (answer.uncertain()) {
                    throw new UncertainOrder("Binance gave no clear answer to order " + order.clientOrderId()
                            + " (HTTP " + answer.status() + ")");
                }
            }
            if (!answer.ok()) {
                throw answer.failure("order " + order.clientOrderId());
            }
            return fill(order.clientOrderId(), order.symbol(), answer.body());
        }

        @Override
        public Optional<Fill> lookUp(String symbol, String clientOrderId) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", symbol);
            params.put("origClientOrderId", clientOrderId);
            Answer answer = send("GET", "/api/v3/order", signed(params), credentials());
            if (answer.status() == 400 && answer.body() != null && answer.body().path("code").asInt() == ORDER_DOES_NOT_EXIST) {
                return Optional.empty();
            }
            if (answer.uncertain()) {
                throw new UncertainOrder("Binance gave no clear answer looking up " + clientOrderId);
            }
            if (!answer.ok()) {
                throw answer.failure("lookup of " + clientOrderId);
            }
            JsonNode order = answer.body();
            BigDecimal executed = decimal(order.get("executedQty"));
            if (executed.signum() == 0) {
                return Optional.empty();
            }
            BigDecimal quote = decimal(order.get("cummulativeQuoteQty"));
            BigDecimal price = quote.divide(executed, Money.MATH);
            Map<String, String> tradeParams = new LinkedHashMap<>();
            tradeParams.put("symbol", symbol);
            tradeParams.put("orderId", order.get("orderId").asString());
            Answer trades = send("GET", "/api/v3/myTrades", signed(tradeParams), credentials());
            BigDecimal fee = BigDecimal.ZERO;
            if (trades.ok()) {
                for (JsonNode trade : trades.body()) {
                    fee = fee.add(feeInQuote(symbol, trade.get("commissionAsset").asString(),
                            decimal(trade.get("commission")), decimal(trade.get("price"))));
                }
            }
            return Optional.of(new Fill(clientOrderId, price, executed, fee,
                    Instant.ofEpochMilli(order.path("updateTime").asLong(order.path("time").asLong()))));
        }

        /** {@code POST /api/v3/order/test}: checks an order (and the key's rights) without placing it. */
        void test(MarketOrder order) {
            Answer answer = send("POST", "/api/v3/order/test", signed(orderParams(order)), credentials());
            if (!answer.ok()) {
                throw answer.failure("test order");
            }
        }

        private Answer sendOrder(MarketOrder order) {
            return send("POST", "/api/v3/order", signed(orderParams(order)), credentials());
        }

        private ApiCredentials credentials() {
            if (credentials == null) {
                throw new IllegalStateException("Orders need an API key");
            }
            return credentials;
        }

        /** The query string with {@code recvWindow}, {@code timestamp} and the signature over all of it. */
        private String signed(Map<String, String> params) {
            Map<String, String> all = new LinkedHashMap<>(params);
            all.put("recvWindow", Long.toString(settings.recvWindow().toMillis()));
            all.put("timestamp", Long.toString(clock.millis()));
            String query = query(all);
            return query + "&signature=" + sign(query, credentials().secret());
        }
    }

    /** Runs a test order for the key: whether Binance would accept it. */
    void testOrder(ApiCredentials credentials, Exchange.MarketOrder order) {
        ((Account) as(credentials)).test(order);
    }

    static Map<String, String> orderParams(Exchange.MarketOrder order) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("symbol", order.symbol());
        params.put("side", order.side().name());
        params.put("type", "MARKET");
        if (order.side() == Side.BUY) {
            params.put("quoteOrderQty", Money.plain(order.quoteAmount()).toPlainString());
        }
        else {
            params.put("quantity", Money.plain(order.quantity()).toPlainString());
        }
        params.put("newClientOrderId", order.clientOrderId());
        params.put("newOrderRespType", "FULL");
        return params;
    }

    static String sign(String payload, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private Exchange.Fill fill(String clientOrderId, String symbol, JsonNode order) {
        BigDecimal executed = decimal(order.get("executedQty"));
        BigDecimal quote = decimal(order.get("cummulativeQuoteQty"));
        BigDecimal price = executed.signum() == 0 ? BigDecimal.ZERO : quote.divide(executed, Money.MATH);
        BigDecimal fee = BigDecimal.ZERO;
        for (JsonNode part : order.path("fills")) {
            fee = fee.add(feeInQuote(symbol, part.get("commissionAsset").asString(), decimal(part.get("commission")),
                    decimal(part.get("price"))));
        }
        Instant at = order.has("transactTime") ? Instant.ofEpochMilli(order.get("transactTime").asLong()) : clock.instant();
        if (executed.signum() == 0) {
            throw new Exchange.ExchangeException("Binance did not fill order " + clientOrderId + " (status "
                    + order.path("status").asString() + ")");
        }
        return new Exchange.Fill(clientOrderId, price, executed, fee, at);
    }

    /**
     * A commission in the quote currency: as is when charged in it, at the fill price when charged in the
     * base asset; commissions in a third asset (BNB discounts) are not counted.
     */
    static BigDecimal feeInQuote(String symbol, String asset, BigDecimal commission, BigDecimal price) {
        String quote = QUOTE_ASSETS.stream().filter(symbol::endsWith).findFirst().orElse("");
        if (asset.equals(quote)) {
            return commission;
        }
        if (asset.equals(symbol.substring(0, symbol.length() - quote.length()))) {
            return commission.multiply(price).setScale(Money.SCALE, RoundingMode.HALF_EVEN);
        }
        return BigDecimal.ZERO;
    }

    private record Answer(int status, JsonNode body, String text) {

        boolean ok() {
            return status / 100 == 2;
        }

        /** No answer, a 5xx, or a timeout: the exchange may have acted. */
        boolean uncertain() {
            return status == 0 || status >= 500;
        }

        Exchange.ExchangeException failure(String what) {
            String detail = body != null && body.has("msg") ? body.path("code").asInt() + " " + body.path("msg").asString()
                    : "HTTP " + status;
            return new Exchange.ExchangeException("Binance refused the " + what + ": " + detail);
        }
    }

    private Answer send(String method, String path, String query, ApiCredentials credentials) {
        Instant now = clock.instant();
        if (now.isBefore(blockedUntil)) {
            throw new Exchange.ExchangeException("Binance request limit: requests wait until " + blockedUntil);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path + "?" + query))
                .timeout(settings.timeout()).method(method, HttpRequest.BodyPublishers.noBody());
        if (credentials != null) {
            request.header("X-MBX-APIKEY", credentials.apiKey());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            return new Answer(0, null, ex.getClass().getSimpleName());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Answer(0, null, "interrupted");
        }
        watchLimits(response, now);
        JsonNode body = null;
        try {
            body = response.body().isBlank() ? null : json.readTree(response.body());
        }
        catch (RuntimeException ex) {
            // Not JSON (a proxy's error page): the status says enough.
        }
        return new Answer(response.statusCode(), body, response.body());
    }

    private void watchLimits(HttpResponse<String> response, Instant now) {
        int status = response.statusCode();
        if (status == 429 || status == 418) {
            long seconds = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(60L);
            blockedUntil = now.plusSeconds(seconds);
            return;
        }
        response.headers().firstValue("X-MBX-USED-WEIGHT-1M").map(Integer::parseInt)
                .filter(used -> used >= settings.maxUsedWeight())
                .ifPresent(used -> blockedUntil = now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES));
    }

    private static String query(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static BigDecimal decimal(JsonNode node) {
        return new BigDecimal(node.asString());
    }
}
