package dev.kapi.trading.exchange;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.kapi.support.MutableClock;
import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Side;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The BtcTurk client against a local stub answering as BtcTurk's API documentation
 * (BTCTrader/broker-api-docs) shows: public {@code /api/v2}, the graph API's candles, and
 * signed {@code /api/v1}.
 */
class TradingBtcturkClientTests {

    private static final String SECRET = Base64.getEncoder()
        .encodeToString("a-btcturk-private-key-of-32-bytes".getBytes(StandardCharsets.UTF_8));

    private static final ApiCredentials KEY = new ApiCredentials("b6a5c1e2-5e5c-4d2b-9a1e-0f6bbd1d7a11", SECRET);

    @RegisterExtension
    static WireMockExtension btcturk = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final MutableClock clock = new MutableClock();

    private final JsonMapper json = JsonMapper.builder().build();

    private BtcturkClient client;

    @BeforeEach
    void client() {
        URI stub = URI.create(btcturk.baseUrl());
        TradingSettings settings = new TradingSettings(null, null, null,
                new TradingSettings.Btcturk(stub, stub, Duration.ofSeconds(2)), null, null);
        client = new BtcturkClient(settings, json, clock);
        btcturk
            .stubFor(get(urlPathEqualTo("/api/v2/server/exchangeinfo")).willReturn(okJson(recorded("exchangeinfo"))));
    }

    @Test
    void rulesWhenExchangeInfoReadThenScaleTickAndMinimumValueOfThePair() {
        SymbolRules rules = client.publicData().rules("BTCTRY");

        assertThat(rules.baseAsset()).isEqualTo("BTC");
        assertThat(rules.quoteAsset()).isEqualTo("TRY");
        assertThat(rules.stepSize()).isEqualByComparingTo("0.00000001");
        assertThat(rules.tickSize()).isEqualByComparingTo("1");
        assertThat(rules.minNotional()).isEqualByComparingTo("99.91");
        assertThatThrownBy(() -> client.publicData().rules("DOGEXYZ")).isInstanceOf(Exchange.ExchangeException.class)
            .hasMessageContaining("no pair DOGEXYZ");
        // BTCTRY again comes from the cache; the unknown pair reads exchange info again.
        client.publicData().rules("BTCTRY");
        btcturk.verify(2, getRequestedFor(urlPathEqualTo("/api/v2/server/exchangeinfo")));
    }

    @Test
    void candlesWhenGraphApiAnswersColumnsThenClosedCandlesUpToLastOpenOldestFirst() {
        btcturk.stubFor(get(urlPathEqualTo("/v1/klines/history")).willReturn(okJson(recorded("klines"))));
        Instant lastOpen = Instant.ofEpochSecond(1765094520);

        List<Candle> candles = client.publicData().candles("BTCTRY", CandleInterval.M1, lastOpen, 3);

        assertThat(candles).extracting(Candle::openTime)
            .containsExactly(Instant.ofEpochSecond(1765094400), Instant.ofEpochSecond(1765094460), lastOpen);
        assertThat(candles.getLast().close()).isEqualByComparingTo("3949000");
        assertThat(candles.getFirst().volume()).isEqualByComparingTo("0.52311");
        LoggedRequest request = btcturk.findAll(getRequestedFor(urlPathEqualTo("/v1/klines/history"))).getFirst();
        assertThat(request.queryParameter("symbol").firstValue()).isEqualTo("BTCTRY");
        assertThat(request.queryParameter("resolution").firstValue()).isEqualTo("1");
        assertThat(request.queryParameter("from").firstValue()).isEqualTo("1765094400");
        assertThat(request.queryParameter("to").firstValue()).isEqualTo("1765094520");
    }

    @Test
    void candlesWhenIntervalIsOneBtcturkDoesNotServeThenRefusedWithoutARequest() {
        assertThatThrownBy(() -> client.publicData().candles("BTCTRY", CandleInterval.M5, clock.instant(), 10))
            .isInstanceOf(Exchange.ExchangeException.class)
            .hasMessageContaining("no 5m candles");
        btcturk.verify(0, getRequestedFor(urlPathEqualTo("/v1/klines/history")));
    }

    @Test
    void depthWhenOrderBookReadThenBidsAndAsksBestFirst() {
        btcturk.stubFor(get(urlPathEqualTo("/api/v2/orderbook")).withQueryParam("pairSymbol", equalTo("BTCTRY"))
            .willReturn(okJson(recorded("orderbook"))));

        Exchange.OrderBook book = client.publicData().depth("BTCTRY", 100).orElseThrow();

        assertThat(book.bids().getFirst().price()).isEqualByComparingTo("3949000");
        assertThat(book.asks().getFirst().price()).isEqualByComparingTo("3950000");
        assertThat(book.asks().get(1).quantity()).isEqualByComparingTo("2");
    }

    @Test
    void balancesWhenSignedThenKeyStampAndSignatureOfKeyAndStampUnderTheDecodedSecret() throws Exception {
        btcturk.stubFor(get(urlPathEqualTo("/api/v1/users/balances")).willReturn(okJson(recorded("balances"))));

        List<Exchange.Balance> balances = client.as(KEY).balances();

        assertThat(balances).extracting(Exchange.Balance::asset).containsExactly("TRY", "BTC");
        LoggedRequest request = btcturk.findAll(getRequestedFor(urlPathEqualTo("/api/v1/users/balances"))).getFirst();
        assertThat(request.getHeader("X-PCK")).isEqualTo(KEY.apiKey());
        assertThat(request.getHeader("X-Stamp")).isEqualTo(Long.toString(clock.millis()));
        // BtcTurk's own sample: HMAC-SHA256 over key + stamp, keyed by the base64-decoded
        // secret, sent base64.
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET), "HmacSHA256"));
        String expected = Base64.getEncoder()
            .encodeToString(mac.doFinal((KEY.apiKey() + clock.millis()).getBytes(StandardCharsets.UTF_8)));
        assertThat(request.getHeader("X-Signature")).isEqualTo(expected);
        assertThat(request.getAllHeaderKeys()).noneMatch(header -> request.getHeader(header).contains(SECRET));
    }

    @Test
    void placeWhenMarketBuyThenQuoteAmountSentWithClientIdAndFillFromTheOrdersTrades() {
        btcturk.stubFor(post(urlPathEqualTo("/api/v1/order")).willReturn(okJson(recorded("order"))));
        btcturk.stubFor(get(urlPathEqualTo("/api/v1/users/transactions/trade")).willReturn(okJson(recorded("trades"))));

        Exchange.Fill fill = client.as(KEY).place(buy("kapi-7-29421574", "1000"));

        JsonNode body = json
            .readTree(btcturk.findAll(postRequestedFor(urlPathEqualTo("/api/v1/order"))).getFirst().getBodyAsString());
        assertThat(body.path("quantity").asString()).isEqualTo("1000");
        assertThat(body.path("orderMethod").asString()).isEqualTo("market");
        assertThat(body.path("orderType").asString()).isEqualTo("buy");
        assertThat(body.path("pairSymbol").asString()).isEqualTo("BTCTRY");
        assertThat(body.path("newOrderClientId").asString()).isEqualTo("kapi-7-29421574");
        // Two trades of order 9932534: 0.0001 at 3,950,000 and 0.00015 at 4,000,000; the
        // other trade is another order's.
        assertThat(fill.quantity()).isEqualByComparingTo("0.00025");
        assertThat(fill.price()).isEqualByComparingTo("3980000");
        assertThat(fill.fee()).isEqualByComparingTo("1.1741");
        assertThat(fill.executedAt()).isEqualTo(Instant.ofEpochMilli(1765094465200L));
    }

    @Test
    void placeWhenBelowTheMinimumOrderValueThenRefusedAndNoOrderSent() {
        assertThatThrownBy(() -> client.as(KEY).place(buy("kapi-7-1", "50")))
            .isInstanceOf(Exchange.ExchangeException.class)
            .hasMessageContaining("minimum order value 99.91");
        btcturk.verify(0, postRequestedFor(urlPathEqualTo("/api/v1/order")));
    }

    @Test
    void placeWhenTheOrderGetsA5xxAndBtcturkHasItThenLookedUpByClientIdAndNotSentAgain() {
        btcturk.stubFor(post(urlPathEqualTo("/api/v1/order")).willReturn(aResponse().withStatus(503)));
        btcturk.stubFor(get(urlPathEqualTo("/api/v1/allOrders")).willReturn(okJson(recorded("allorders"))));
        btcturk.stubFor(get(urlPathEqualTo("/api/v1/users/transactions/trade")).willReturn(okJson(recorded("trades"))));

        Exchange.Fill fill = client.as(KEY).place(buy("kapi-7-29421574", "1000"));

        assertThat(fill.quantity()).isEqualByComparingTo("0.00025");
        btcturk.verify(1, postRequestedFor(urlPathEqualTo("/api/v1/order")));
        btcturk.verify(
                getRequestedFor(urlPathEqualTo("/api/v1/allOrders")).withQueryParam("pairSymbol", equalTo("BTCTRY")));
    }

    @Test
    void lookUpWhenNoOrderHasTheClientIdThenEmpty() {
        btcturk.stubFor(get(urlPathEqualTo("/api/v1/allOrders")).willReturn(okJson(recorded("allorders"))));

        assertThat(client.as(KEY).lookUp("BTCTRY", "kapi-7-1")).isEmpty();
    }

    @Test
    void lookUpWhenTheOrderWasPlacedDaysAgoBehindFullPagesThenOrdersAndTradesAreReadFromItsPlacementPageByPage() {
        // Placed four days ago; since then the pair saw more than a page of the account's
        // orders and trades, so the stop is on the second page of each.
        Instant placed = clock.instant().minus(Duration.ofDays(4));
        String since = Long.toString(placed.minus(BtcturkClient.SINCE_MARGIN).toEpochMilli());
        StringBuilder orders = new StringBuilder();
        StringBuilder trades = new StringBuilder();
        long newest = clock.millis();
        for (int i = 0; i < BtcturkClient.PAGE_LIMIT; i++) {
            orders.append(i == 0 ? "" : ",").append("""
                    {"id": %d, "price": "3900000", "amount": "0.001", "quantity": "0.001", "pairsymbol": "BTCTRY",
                     "type": "Buy", "method": "Limit", "orderClientId": "other-%d", "time": %d, "status": "Closed"}
                    """.formatted(20_000 + i, i, newest - i));
            trades.append(i == 0 ? "" : ",").append("""
                    {"price": 3900000, "numeratorSymbol": "BTC", "denominatorSymbol": "TRY", "orderType": "buy",
                     "orderId": %d, "id": %d, "timestamp": %d, "amount": 0.001, "fee": -1, "tax": -0.18}
                    """.formatted(20_000 + i, 50_000 + i, newest - i));
        }
        btcturk.stubFor(get(urlPathEqualTo("/api/v1/allOrders")).withQueryParam("startTime", equalTo(since))
            .withQueryParam("page", equalTo("1"))
            .withQueryParam("limit", equalTo("1000"))
            .willReturn(okJson("{\"success\": true, \"code\": 0, \"data\": [" + orders + "]}")));
        btcturk.stubFor(get(urlPathEqualTo("/api/v1/allOrders")).withQueryParam("startTime", equalTo(since))
            .withQueryParam("page", equalTo("2"))
            .willReturn(
                    okJson("""
                            {"success": true, "code": 0, "data": [
                              {"id": 9102, "price": "3714975", "amount": "0.00025", "quantity": "0.00025", "pairsymbol": "BTCTRY",
                               "type": "Sell", "method": "StopLimit", "orderClientId": "kapi-7-p3-s0", "time": %d,
                               "status": "Closed", "leftAmount": "0"}]}
                            """
                        .formatted(placed.toEpochMilli()))));
        btcturk
            .stubFor(get(urlPathEqualTo("/api/v1/users/transactions/trade")).withQueryParam("startDate", equalTo(since))
                .willReturn(okJson("{\"success\": true, \"code\": 0, \"data\": [" + trades + "]}")));
        long oldest = newest - BtcturkClient.PAGE_LIMIT + 1;
        btcturk.stubFor(get(urlPathEqualTo("/api/v1/users/transactions/trade"))
            .withQueryParam("startDate", equalTo(since))
            .withQueryParam("endDate", equalTo(Long.toString(oldest)))
            .willReturn(okJson("""
                    {"success": true, "code": 0, "data": [
                      {"price": 3730000, "numeratorSymbol": "BTC", "denominatorSymbol": "TRY", "orderType": "sell",
                       "orderId": 9102, "id": 7202, "timestamp": %d, "amount": -0.00025, "fee": -0.93, "tax": -0.17}]}
                    """.formatted(placed.plus(Duration.ofMinutes(10)).toEpochMilli()))));

        btcturk.stubFor(get(urlPathEqualTo("/api/v1/openOrders"))
            .willReturn(okJson("{\"success\": true, \"code\": 0, \"data\": {\"asks\": [], \"bids\": []}}")));

        Exchange.LegState leg = client.as(KEY).stopLeg("BTCTRY", "kapi-7-p3-s0", placed);
        Exchange.Fill fill = client.as(KEY).lookUp("BTCTRY", "kapi-7-p3-s0", placed).orElseThrow();

        assertThat(leg.status()).isEqualTo(Exchange.LegStatus.FILLED);
        assertThat(fill.price()).isEqualByComparingTo("3730000");
        assertThat(fill.quantity()).isEqualByComparingTo("0.00025");
        assertThat(fill.executedAt()).isEqualTo(placed.plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS));
        btcturk.verify(0,
                getRequestedFor(urlPathEqualTo("/api/v1/allOrders")).withQueryParam("startTime", notMatching(since)));
        btcturk.verify(2, getRequestedFor(urlPathEqualTo("/api/v1/users/transactions/trade")));
    }

    @Test
    void placeStopWhenBtcturkAnswersStopPriceLessThanMarketThenStopWouldTrigger() {
        btcturk.stubFor(post(urlPathEqualTo("/api/v1/order"))
            .willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody("""
                    {"success": false, "message": "STOP_PRICE_LESS_THAN_MARKET", "code": 1131}""")));
        Exchange.StopOrder stop = new Exchange.StopOrder("kapi-7-p3-s0", "kapi-7-p3-s0", null, "BTCTRY",
                new BigDecimal("0.00025"), new BigDecimal("3752500"), new BigDecimal("3714975"), null);

        assertThatThrownBy(() -> client.as(KEY).placeStop(stop)).isInstanceOf(Exchange.StopWouldTrigger.class)
            .hasMessageContaining("already below its stop 3752500");
    }

    @Test
    void requestsWhen429WithRetryAfterThenHeldBackUntilItPasses() {
        btcturk.stubFor(get(urlPathEqualTo("/api/v2/orderbook"))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "20")));

        assertThatThrownBy(() -> client.publicData().depth("BTCTRY", 100)).isInstanceOf(Exchange.Busy.class);
        assertThatThrownBy(() -> client.publicData().depth("BTCTRY", 100)).isInstanceOf(Exchange.Busy.class)
            .hasMessageContaining("wait");
        btcturk.verify(1, getRequestedFor(urlPathEqualTo("/api/v2/orderbook")));
        assertThat(client.blockedUntil()).isEqualTo(clock.instant().plusSeconds(20));

        clock.advance(Duration.ofSeconds(21));
        btcturk.stubFor(get(urlPathEqualTo("/api/v2/orderbook")).willReturn(okJson(recorded("orderbook"))));
        assertThat(client.publicData().depth("BTCTRY", 100)).isPresent();
        btcturk.verify(2, getRequestedFor(urlPathEqualTo("/api/v2/orderbook")));
    }

    private Exchange.MarketOrder buy(String clientOrderId, String quote) {
        return new Exchange.MarketOrder(clientOrderId, "BTCTRY", Side.BUY, new BigDecimal(quote), null,
                new BigDecimal("3950000"), clock.instant());
    }

    static String recorded(String name) {
        try (InputStream in = TradingBtcturkClientTests.class
            .getResourceAsStream("/trading/btcturk/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
