package dev.kapi.trading.exchange;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.kapi.support.MutableClock;
import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;
import tools.jackson.databind.json.JsonMapper;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Binance client against a local stub that answers as Binance's Spot REST
 * documentation shows.
 */
class TradingBinanceClientTests {

    private static final ApiCredentials KEY = new ApiCredentials(
            "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
            "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j");

    private static final String FILLED = """
            {"symbol": "BTCUSDT", "orderId": 28, "orderListId": -1, "clientOrderId": "kapi-7-29000000",
             "transactTime": 1507725176595, "price": "0.00000000", "origQty": "0.00200000",
             "executedQty": "0.00200000", "cummulativeQuoteQty": "100.00000000", "status": "FILLED",
             "timeInForce": "GTC", "type": "MARKET", "side": "BUY",
             "fills": [
               {"price": "49000.00000000", "qty": "0.00100000", "commission": "0.04900000", "commissionAsset": "USDT", "tradeId": 56},
               {"price": "51000.00000000", "qty": "0.00100000", "commission": "0.05100000", "commissionAsset": "USDT", "tradeId": 57}
             ]}
            """;

    private static final String SOLD = """
            {"symbol": "BTCUSDT", "orderId": 29, "orderListId": -1, "clientOrderId": "kapi-7-29000060",
             "transactTime": 1507725236595, "price": "0.00000000", "origQty": "0.00299000",
             "executedQty": "0.00299000", "cummulativeQuoteQty": "149.50000000", "status": "FILLED",
             "timeInForce": "GTC", "type": "MARKET", "side": "SELL",
             "fills": [
               {"price": "50000.00000000", "qty": "0.00299000", "commission": "0.14950000", "commissionAsset": "USDT", "tradeId": 58}
             ]}
            """;

    @RegisterExtension
    static WireMockExtension binance = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final MutableClock clock = new MutableClock();

    private BinanceClient client;

    @BeforeEach
    void client() {
        TradingSettings settings = new TradingSettings(
                new TradingSettings.Runner(false, "-", 500, 3, "-", Duration.ofSeconds(25)),
                new TradingSettings.Paper(new BigDecimal("0.001"), new BigDecimal("0.0005"), false,
                        new BigDecimal("0.05"), 100),
                new TradingSettings.Binance(URI.create(binance.baseUrl()), Duration.ofSeconds(5), Duration.ofSeconds(2),
                        1100),
                new TradingSettings.Btcturk(URI.create("http://127.0.0.1:9"), URI.create("http://127.0.0.1:9"),
                        Duration.ofSeconds(2)),
                null, null);
        client = new BinanceClient(settings, JsonMapper.builder().build(), clock);
        // BTCUSDT's lot rules as they long were: a step of 0.000001 BTC; tests of
        // rounding set today's.
        stubExchangeInfo("0.00000100", "0.00000100", "0.00000000");
        stubFreeBtc("1000.00000000");
    }

    @Test
    void placeWhenTheAccountHoldsLessFreeThanThePositionThenTheSellIsCappedAtTheFreeBalance() {
        stubExchangeInfo("0.00001000", "0.00001000", "0.00000000");
        stubFreeBtc("0.00150000");
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).willReturn(okJson(SOLD)));

        client.as(KEY).place(sell("kapi-7-29000060", "0.00299"));

        LoggedRequest account = binance.findAll(getRequestedFor(urlPathEqualTo("/api/v3/account"))).getFirst();
        assertThat(account.getHeader("X-MBX-APIKEY")).isEqualTo(KEY.apiKey());
        assertThat(account.queryParameter("signature").isPresent()).isTrue();
        binance.verify(postRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("quantity", equalTo("0.0015")));
    }

    @Test
    void placeWhenTheOrderValueIsBelowTheNotionalMinimumThenRefusedAndNoOrderSent() {
        stubExchangeInfo("0.00000001", "0.00000001", "0.00000000");

        assertThatThrownBy(() -> client.as(KEY).place(buy("kapi-7-8", "4")))
            .isInstanceOf(Exchange.ExchangeException.class)
            .hasMessageContaining("minimum order value 5");
        // 0.00009 BTC at 50000 is 4.5 USDT.
        assertThatThrownBy(() -> client.as(KEY).place(sell("kapi-7-9", "0.00009")))
            .isInstanceOf(Exchange.ExchangeException.class)
            .hasMessageContaining("minimum order value 5");
        binance.verify(0, postRequestedFor(urlPathEqualTo("/api/v3/order")));
    }

    @Test
    void placeWhenACommissionIsPaidInBnbThenItIsConvertedAtBnbsPriceAndCounted() {
        binance.stubFor(get(urlPathEqualTo("/api/v3/ticker/price")).withQueryParam("symbol", equalTo("BNBUSDT"))
            .willReturn(okJson("{\"symbol\": \"BNBUSDT\", \"price\": \"600.00000000\"}")));
        binance.stubFor(post(urlPathEqualTo("/api/v3/order"))
            .willReturn(okJson(SOLD.replace("\"commission\": \"0.14950000\", \"commissionAsset\": \"USDT\"",
                    "\"commission\": \"0.00018000\", \"commissionAsset\": \"BNB\""))));

        Exchange.Fill fill = client.as(KEY).place(sell("kapi-7-29000060", "0.00299"));

        assertThat(fill.fee()).isEqualByComparingTo("0.108");
    }

    @Test
    void placeWhenABuyPaysItsCommissionInBtcThenItsQuantityIsNetAndRoundedDownAndTheFeeMakesUpTheQuoteSpent() {
        stubExchangeInfo("0.00001000", "0.00001000", "0.00000000");
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).willReturn(
                okJson("""
                        {"symbol": "BTCUSDT", "orderId": 30, "orderListId": -1, "clientOrderId": "kapi-7-5",
                         "transactTime": 1507725176595, "price": "0.00000000", "origQty": "0.00300000",
                         "executedQty": "0.00300000", "cummulativeQuoteQty": "150.01000000", "status": "FILLED",
                         "timeInForce": "GTC", "type": "MARKET", "side": "BUY",
                         "fills": [
                           {"price": "50000.00000000", "qty": "0.00100000", "commission": "0.00000100", "commissionAsset": "BTC", "tradeId": 60},
                           {"price": "50005.00000000", "qty": "0.00200000", "commission": "0.00000200", "commissionAsset": "BTC", "tradeId": 61}
                         ]}
                        """)));

        Exchange.Fill fill = client.as(KEY).place(buy("kapi-7-5", "150.01"));

        // 0.003 bought, 0.000003 of it taken as commission: 0.002997 held, 0.00299
        // sellable.
        assertThat(fill.quantity()).isEqualByComparingTo("0.00299");
        assertThat(fill.price())
            .isEqualByComparingTo(new BigDecimal("150.01").divide(new BigDecimal("0.003"), Money.MATH));
        assertThat(fill.fee()).isEqualByComparingTo("0.500033333333333333");
        assertThat(Money.round(fill.price().multiply(fill.quantity()).add(fill.fee()))).isEqualByComparingTo("150.01");
    }

    @Test
    void placeWhenASellQuantityIsOffTheStepThenTheOrderSellsItRoundedDown() {
        stubExchangeInfo("0.00001000", "0.00001000", "0.00000000");
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).willReturn(okJson(SOLD)));

        Exchange.Fill fill = client.as(KEY).place(sell("kapi-7-29000060", "0.0029987"));

        LoggedRequest request = binance.findAll(postRequestedFor(urlPathEqualTo("/api/v3/order"))).getFirst();
        assertThat(request.queryParameter("side").firstValue()).isEqualTo("SELL");
        assertThat(request.queryParameter("quantity").firstValue()).isEqualTo("0.00299");
        assertThat(fill.quantity()).isEqualByComparingTo("0.00299");
        assertThat(fill.fee()).isEqualByComparingTo("0.1495");
    }

    @Test
    void placeWhenMarketLotSizeHasAStepThenASellIsRoundedDownToIt() {
        stubExchangeInfo("0.00001000", "0.00001000", "0.00100000");
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).willReturn(okJson(SOLD)));

        client.as(KEY).place(sell("kapi-7-29000060", "0.0029987"));

        binance.verify(postRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("quantity", equalTo("0.002")));
    }

    @Test
    void placeWhenASellIsBelowTheMinimumQuantityThenRefusedAndNoOrderSent() {
        stubExchangeInfo("0.00001000", "0.00001000", "0.00000000");
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).willReturn(okJson(SOLD)));

        assertThatThrownBy(() -> client.as(KEY).place(sell("kapi-7-29000060", "0.0000099")))
            .isInstanceOf(Exchange.ExchangeException.class)
            .isNotInstanceOf(Exchange.UncertainOrder.class)
            .hasMessageContaining("0.0000099")
            .hasMessageContaining("minimum quantity 0.00001");
        binance.verify(0, postRequestedFor(urlPathEqualTo("/api/v3/order")));
    }

    @Test
    void placeWhenABuyWouldGetLessThanTheMinimumQuantityThenRefusedAndNoOrderSent() {
        stubExchangeInfo("0.00001000", "0.00001000", "0.00000000");

        assertThatThrownBy(() -> client.as(KEY).place(buy("kapi-7-6", "0.4")))
            .isInstanceOf(Exchange.ExchangeException.class)
            .hasMessageContaining("minimum quantity 0.00001");
        binance.verify(0, postRequestedFor(urlPathEqualTo("/api/v3/order")));
    }

    @Test
    void placeWhenTwoOrdersOnOneSymbolThenItsExchangeInfoIsFetchedOnceUntilItExpires() {
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).willReturn(okJson(FILLED)));

        client.as(KEY).place(buy("kapi-7-7"));
        client.as(KEY).place(buy("kapi-7-8"));

        binance.verify(1,
                getRequestedFor(urlPathEqualTo("/api/v3/exchangeInfo")).withQueryParam("symbol", equalTo("BTCUSDT")));
        binance.verify(2, postRequestedFor(urlPathEqualTo("/api/v3/order")));

        clock.advance(BinanceClient.RULES_TTL.plusSeconds(1));
        client.as(KEY).place(buy("kapi-7-9"));

        binance.verify(2, getRequestedFor(urlPathEqualTo("/api/v3/exchangeInfo")));
    }

    @Test
    void placeWhenExchangeInfoFailsThenNoOrderSent() {
        binance.stubFor(get(urlPathEqualTo("/api/v3/exchangeInfo")).willReturn(aResponse().withStatus(400)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"code\": -1121, \"msg\": \"Invalid symbol.\"}")));

        assertThatThrownBy(() -> client.as(KEY).place(buy("kapi-7-10"))).isInstanceOf(Exchange.ExchangeException.class)
            .isNotInstanceOf(Exchange.UncertainOrder.class)
            .hasMessageContaining("-1121");
        binance.verify(0, postRequestedFor(urlPathEqualTo("/api/v3/order")));
    }

    @Test
    void signWhenBinanceDocumentationExampleThenItsSignature() {
        String query = "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000"
                + "&timestamp=1499827319559";

        assertThat(BinanceClient.sign(query, KEY.secret()))
            .isEqualTo("c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71");
    }

    @Test
    void placeWhenMarketBuyThenSignedRequestWithKeyHeaderTimestampAndRecvWindowAndTheFillAveraged() {
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).willReturn(okJson(FILLED)));

        Exchange.Fill fill = client.as(KEY).place(buy("kapi-7-29000000"));

        assertThat(fill.price()).isEqualByComparingTo("50000");
        assertThat(fill.quantity()).isEqualByComparingTo("0.002");
        assertThat(fill.fee()).isEqualByComparingTo("0.1");
        assertThat(fill.executedAt()).isEqualTo(Instant.ofEpochMilli(1507725176595L));
        LoggedRequest request = binance.findAll(postRequestedFor(urlPathEqualTo("/api/v3/order"))).getFirst();
        assertThat(request.getHeader("X-MBX-APIKEY")).isEqualTo(KEY.apiKey());
        String url = request.getUrl();
        String query = url.substring(url.indexOf('?') + 1, url.indexOf("&signature="));
        assertThat(query)
            .isEqualTo("symbol=BTCUSDT&side=BUY&type=MARKET&quoteOrderQty=100&newClientOrderId=kapi-7-29000000"
                    + "&newOrderRespType=FULL&recvWindow=5000&timestamp=" + clock.millis());
        assertThat(url.substring(url.indexOf("&signature=") + 11)).isEqualTo(BinanceClient.sign(query, KEY.secret()));
    }

    @Test
    void placeWhenA5xxAndBinanceHasTheOrderThenItIsLookedUpAndNotPlacedAgain() {
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).willReturn(aResponse().withStatus(503)));
        binance.stubFor(get(urlPathEqualTo("/api/v3/order")).withQueryParam("origClientOrderId", equalTo("kapi-7-1"))
            .willReturn(okJson("""
                    {"symbol": "BTCUSDT", "orderId": 28, "clientOrderId": "kapi-7-1", "executedQty": "0.002",
                     "cummulativeQuoteQty": "100", "status": "FILLED", "type": "MARKET", "side": "BUY",
                     "time": 1507725176595, "updateTime": 1507725176600}
                    """)));
        binance.stubFor(
                get(urlPathEqualTo("/api/v3/myTrades")).withQueryParam("orderId", equalTo("28")).willReturn(okJson("""
                        [{"symbol": "BTCUSDT", "id": 56, "orderId": 28, "price": "50000", "qty": "0.002",
                          "quoteQty": "100", "commission": "0.000002", "commissionAsset": "BTC", "time": 1507725176600}]
                        """)));

        Exchange.Fill fill = client.as(KEY).place(buy("kapi-7-1"));

        assertThat(fill.price()).isEqualByComparingTo("50000");
        assertThat(fill.quantity()).isEqualByComparingTo("0.001998");
        assertThat(fill.fee()).isEqualByComparingTo("0.1");
        binance.verify(1, postRequestedFor(urlPathEqualTo("/api/v3/order")));
        LoggedRequest lookup = binance.findAll(getRequestedFor(urlPathEqualTo("/api/v3/order"))).getFirst();
        assertThat(lookup.getHeader("X-MBX-APIKEY")).isEqualTo(KEY.apiKey());
        assertThat(lookup.getUrl()).contains("signature=").contains("timestamp=").contains("recvWindow=5000");
    }

    @Test
    void placeWhenA5xxAndBinanceHasNoSuchOrderThenPlacedAgainWithTheSameClientOrderId() {
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).inScenario("retry")
            .whenScenarioStateIs(STARTED)
            .willReturn(aResponse().withStatus(502))
            .willSetStateTo("failed once"));
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).inScenario("retry")
            .whenScenarioStateIs("failed once")
            .willReturn(okJson(FILLED)));
        binance.stubFor(get(urlPathEqualTo("/api/v3/order")).willReturn(aResponse().withStatus(400)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"code\": -2013, \"msg\": \"Order does not exist.\"}")));

        Exchange.Fill fill = client.as(KEY).place(buy("kapi-7-29000000"));

        assertThat(fill.quantity()).isEqualByComparingTo("0.002");
        binance.verify(2, postRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("newClientOrderId",
                equalTo("kapi-7-29000000")));
        binance.verify(1, getRequestedFor(urlPathEqualTo("/api/v3/order")));
    }

    @Test
    void placeWhenA5xxAndTheLookupIsRefusedThenUncertainSoTheOrderStaysPendingAndIsNotPlacedAgain() {
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).willReturn(aResponse().withStatus(504)));
        binance.stubFor(get(urlPathEqualTo("/api/v3/order")).willReturn(aResponse().withStatus(401)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"code\": -2015, \"msg\": \"Invalid API-key, IP, or permissions for action.\"}")));

        assertThatThrownBy(() -> client.as(KEY).place(buy("kapi-7-2"))).isInstanceOf(Exchange.UncertainOrder.class)
            .hasMessageContaining("kapi-7-2")
            .hasMessageContaining("Invalid API-key");
        binance.verify(1, postRequestedFor(urlPathEqualTo("/api/v3/order")));
    }

    @Test
    void placeWhenBinanceRefusesThenAnErrorThatSaysWhyAndNoRetry() {
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).willReturn(aResponse().withStatus(400)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"code\": -2010, \"msg\": \"Account has insufficient balance for requested action.\"}")));

        assertThatThrownBy(() -> client.as(KEY).place(buy("kapi-7-2"))).isInstanceOf(Exchange.ExchangeException.class)
            .isNotInstanceOf(Exchange.UncertainOrder.class)
            .hasMessageContaining("-2010")
            .hasMessageNotContaining(KEY.secret());
        binance.verify(1, postRequestedFor(urlPathEqualTo("/api/v3/order")));
    }

    @Test
    void requestsWhen429WithRetryAfterThenHeldBackUntilItPasses() {
        binance.stubFor(get(urlPathEqualTo("/api/v3/klines"))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));

        assertThatThrownBy(() -> client.publicData().candles("BTCUSDT", CandleInterval.M1, clock.instant(), 3))
            .isInstanceOf(Exchange.ExchangeException.class);
        assertThatThrownBy(() -> client.publicData().candles("BTCUSDT", CandleInterval.M1, clock.instant(), 3))
            .hasMessageContaining("wait");
        binance.verify(1, getRequestedFor(urlPathEqualTo("/api/v3/klines")));

        clock.advance(Duration.ofSeconds(31));
        binance.stubFor(get(urlPathEqualTo("/api/v3/klines")).willReturn(okJson("[]")));
        assertThat(client.publicData().candles("BTCUSDT", CandleInterval.M1, clock.instant(), 3)).isEmpty();
        binance.verify(2, getRequestedFor(urlPathEqualTo("/api/v3/klines")));
    }

    @Test
    void placeStopWhenBinanceAnswersWouldTriggerImmediatelyThenStopWouldTriggerAlsoWhenMovingIt() {
        binance.stubFor(post(urlPathEqualTo("/api/v3/order")).willReturn(aResponse().withStatus(400)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"code\": -2010, \"msg\": \"Stop price would trigger immediately.\"}")));
        // cancelReplace (STOP_ON_FAILURE): the old stop was cancelled, the new one
        // refused.
        binance.stubFor(post(urlPathEqualTo("/api/v3/order/cancelReplace"))
            .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/json").withBody("""
                    {"code": -2021, "msg": "Order cancel-replace partially failed.",
                     "data": {"cancelResult": "SUCCESS", "newOrderResult": "FAILURE",
                              "cancelResponse": {"symbol": "BTCUSDT", "origClientOrderId": "kapi-7-p3-s0",
                                                 "status": "CANCELED"},
                              "newOrderResponse": {"code": -2010, "msg": "Stop price would trigger immediately."}}}
                    """)));
        Exchange.StopOrder stop = stop("kapi-7-p3-s0", "47500");
        Exchange.StopOrder moved = stop("kapi-7-p3-s1", "49000");

        assertThatThrownBy(() -> client.as(KEY).placeStop(stop)).isInstanceOf(Exchange.StopWouldTrigger.class)
            .hasMessageContaining("already below its stop 47500");
        assertThatThrownBy(() -> client.as(KEY).replaceStop(stop, moved)).isInstanceOf(Exchange.StopWouldTrigger.class)
            .hasMessageContaining("49000");
    }

    private static Exchange.StopOrder stop(String clientOrderId, String stopPrice) {
        BigDecimal price = new BigDecimal(stopPrice);
        return new Exchange.StopOrder(clientOrderId, clientOrderId, null, "BTCUSDT", new BigDecimal("0.002"), price,
                price.multiply(new BigDecimal("0.99")), null);
    }

    @Test
    void requestsWhen418IpBanWithRetryAfterThenEveryRequestIsHeldBackUntilItPasses() {
        // Binance's 418: the IP is banned for having ignored 429s; Retry-After says for
        // how long (seconds). Nothing, public or signed, may reach Binance meanwhile.
        binance.stubFor(get(urlPathEqualTo("/api/v3/klines"))
            .willReturn(aResponse().withStatus(418).withHeader("Retry-After", "120")));
        Instant banned = clock.instant();

        assertThatThrownBy(() -> client.publicData().candles("BTCUSDT", CandleInterval.M1, clock.instant(), 3))
            .isInstanceOf(Exchange.Busy.class)
            .hasMessageContaining("418");
        assertThat(client.blockedUntil()).isEqualTo(banned.plusSeconds(120));

        clock.advance(Duration.ofSeconds(119));
        assertThatThrownBy(() -> client.publicData().candles("BTCUSDT", CandleInterval.M1, clock.instant(), 3))
            .isInstanceOf(Exchange.Busy.class)
            .satisfies(ex -> assertThat(((Exchange.Busy) ex).until()).isEqualTo(banned.plusSeconds(120)));
        assertThatThrownBy(() -> client.as(KEY).balances()).isInstanceOf(Exchange.Busy.class);
        binance.verify(1, getRequestedFor(urlPathEqualTo("/api/v3/klines")));
        binance.verify(0, getRequestedFor(urlPathEqualTo("/api/v3/account")));

        clock.advance(Duration.ofSeconds(1));
        binance.stubFor(get(urlPathEqualTo("/api/v3/klines")).willReturn(okJson("[]")));
        assertThat(client.publicData().candles("BTCUSDT", CandleInterval.M1, clock.instant(), 3)).isEmpty();
        assertThat(client.as(KEY).balances()).isNotEmpty();
        binance.verify(2, getRequestedFor(urlPathEqualTo("/api/v3/klines")));
        binance.verify(1, getRequestedFor(urlPathEqualTo("/api/v3/account")));
    }

    @Test
    void requestsWhenTheClockIsSetBackBeforeA429ThenTheHoldDoesNotOutliveItsLength() {
        clock.advance(Duration.ofDays(3650));
        binance.stubFor(get(urlPathEqualTo("/api/v3/klines"))
            .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")));
        assertThatThrownBy(() -> client.publicData().candles("BTCUSDT", CandleInterval.M1, clock.instant(), 3))
            .isInstanceOf(Exchange.ExchangeException.class);

        clock.advance(Duration.ofDays(-3650));
        binance.stubFor(get(urlPathEqualTo("/api/v3/klines")).willReturn(okJson("[]")));

        assertThat(client.publicData().candles("BTCUSDT", CandleInterval.M1, clock.instant(), 3)).isEmpty();
        binance.verify(2, getRequestedFor(urlPathEqualTo("/api/v3/klines")));
    }

    @Test
    void requestsWhenUsedWeightReachesTheLimitThenHeldBackUntilTheNextMinute() {
        binance.stubFor(get(urlPathEqualTo("/api/v3/klines"))
            .willReturn(okJson("[]").withHeader("X-MBX-USED-WEIGHT-1M", "1150")));

        client.publicData().candles("BTCUSDT", CandleInterval.M1, clock.instant(), 3);

        assertThat(client.blockedUntil()).isAfter(clock.instant()).isBeforeOrEqualTo(clock.instant().plusSeconds(60));
        assertThatThrownBy(() -> client.publicData().candles("BTCUSDT", CandleInterval.M1, clock.instant(), 3))
            .isInstanceOf(Exchange.ExchangeException.class);
        binance.verify(1, getRequestedFor(urlPathEqualTo("/api/v3/klines")));
    }

    @Test
    void candlesWhenKlinesThenClosedCandlesEndingAtTheAskedOpen() {
        binance.stubFor(get(urlPathEqualTo("/api/v3/klines")).willReturn(okJson("""
                [[1499040000000, "0.01634790", "0.80000000", "0.01575800", "0.01577100", "148976.11427815",
                  1499040059999, "2434.19055334", 308, "1756.87402397", "28.46694368", "0"],
                 [1499040060000, "0.01577100", "0.01600000", "0.01570000", "0.01590000", "1000.5",
                  1499040119999, "16", 10, "500", "8", "0"]]
                """)));

        List<Candle> candles = client.publicData()
            .candles("LTCBTC", CandleInterval.M1, Instant.ofEpochMilli(1499040060000L), 2);

        assertThat(candles).hasSize(2);
        assertThat(candles.getFirst().openTime()).isEqualTo(Instant.ofEpochMilli(1499040000000L));
        assertThat(candles.getFirst().high()).isEqualByComparingTo("0.8");
        assertThat(candles.getLast().close()).isEqualByComparingTo("0.0159");
        binance.verify(getRequestedFor(urlPathEqualTo("/api/v3/klines")).withQueryParam("symbol", equalTo("LTCBTC"))
            .withQueryParam("interval", equalTo("1m"))
            .withQueryParam("endTime", equalTo("1499040119999"))
            .withQueryParam("limit", equalTo("2")));
    }

    @Test
    void testOrderWhenAcceptedThenSignedAndNothingPlaced() {
        binance.stubFor(post(urlPathEqualTo("/api/v3/order/test")).willReturn(okJson("{}")));

        client.testOrder(KEY, buy("kapi-7-3"));

        binance.verify(1, postRequestedFor(urlPathEqualTo("/api/v3/order/test")).withHeader("X-MBX-APIKEY",
                equalTo(KEY.apiKey())));
        binance.verify(0, postRequestedFor(urlPathEqualTo("/api/v3/order")));
    }

    @Test
    void lookUpWhenBinanceHasNoSuchOrderThenEmpty() {
        binance.stubFor(get(urlPathEqualTo("/api/v3/order")).willReturn(aResponse().withStatus(400)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"code\": -2013, \"msg\": \"Order does not exist.\"}")));

        assertThat(client.as(KEY).lookUp("BTCUSDT", "kapi-7-4")).isEqualTo(Optional.empty());
    }

    @Test
    void lookUpWhenTheOrderFilledButItsTradesCannotBeReadThenUncertainSoItStaysPending() {
        binance.stubFor(get(urlPathEqualTo("/api/v3/order")).willReturn(okJson("""
                {"symbol": "BTCUSDT", "orderId": 28, "clientOrderId": "kapi-7-11", "executedQty": "0.002",
                 "cummulativeQuoteQty": "100", "status": "FILLED", "type": "MARKET", "side": "BUY",
                 "time": 1507725176595, "updateTime": 1507725176600}
                """)));
        binance.stubFor(get(urlPathEqualTo("/api/v3/myTrades")).willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> client.as(KEY).lookUp("BTCUSDT", "kapi-7-11"))
            .isInstanceOf(Exchange.UncertainOrder.class)
            .hasMessageContaining("kapi-7-11");
    }

    private Exchange.MarketOrder buy(String clientOrderId) {
        return buy(clientOrderId, "100");
    }

    private Exchange.MarketOrder buy(String clientOrderId, String quoteAmount) {
        return new Exchange.MarketOrder(clientOrderId, "BTCUSDT", Side.BUY, new BigDecimal(quoteAmount), null,
                new BigDecimal("50000"), clock.instant());
    }

    private Exchange.MarketOrder sell(String clientOrderId, String quantity) {
        return new Exchange.MarketOrder(clientOrderId, "BTCUSDT", Side.SELL, null, new BigDecimal(quantity),
                new BigDecimal("50000"), clock.instant());
    }

    /**
     * {@code GET /api/v3/exchangeInfo?symbol=BTCUSDT} as Binance answers it, with these
     * lot rules.
     */
    private static void stubExchangeInfo(String minQty, String stepSize, String marketStepSize) {
        binance.stubFor(get(urlPathEqualTo("/api/v3/exchangeInfo")).withQueryParam("symbol", equalTo("BTCUSDT"))
            .willReturn(
                    okJson("""
                            {"timezone": "UTC", "serverTime": 1565246363776, "rateLimits": [], "exchangeFilters": [],
                             "symbols": [{"symbol": "BTCUSDT", "status": "TRADING", "baseAsset": "BTC",
                               "baseAssetPrecision": 8, "quoteAsset": "USDT", "quotePrecision": 8, "quoteAssetPrecision": 8,
                               "orderTypes": ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"],
                               "isSpotTradingAllowed": true, "permissionSets": [["SPOT"]],
                               "filters": [
                                 {"filterType": "PRICE_FILTER", "minPrice": "0.01000000", "maxPrice": "1000000.00000000", "tickSize": "0.01000000"},
                                 {"filterType": "LOT_SIZE", "minQty": "%s", "maxQty": "9000.00000000", "stepSize": "%s"},
                                 {"filterType": "NOTIONAL", "minNotional": "5.00000000", "applyMinToMarket": true,
                                  "maxNotional": "9000000.00000000", "applyMaxToMarket": false, "avgPriceMins": 5},
                                 {"filterType": "MARKET_LOT_SIZE", "minQty": "0.00000000", "maxQty": "123.45678900", "stepSize": "%s"}
                               ]}]}
                            """
                        .formatted(minQty, stepSize, marketStepSize))));
    }

    /** {@code GET /api/v3/account} with this free BTC balance. */
    private static void stubFreeBtc(String free) {
        binance.stubFor(get(urlPathEqualTo("/api/v3/account")).willReturn(okJson("""
                {"makerCommission": 15, "takerCommission": 15, "canTrade": true, "accountType": "SPOT",
                 "balances": [{"asset": "BTC", "free": "%s", "locked": "0.00000000"},
                              {"asset": "USDT", "free": "1000.00000000", "locked": "0.00000000"}],
                 "permissions": ["SPOT"]}
                """.formatted(free))));
    }

}
