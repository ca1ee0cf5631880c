package dev.kapi.trading;

import java.util.concurrent.ThreadLocalRandom;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.client.MappingBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * BtcTurk as the trading tests stand it in on the shared WireMock stub: rules, orders and
 * trades of made-up {@code ...TRY} symbols.
 */
final class BtcturkStandIn {

    private final WireMockServer server;

    BtcturkStandIn(WireMockServer server) {
        this.server = server;
    }

    /** A {@code ...TRY} symbol no other test uses. */
    static String uniqueSymbol() {
        return "S" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L) + "TRY";
    }

    /**
     * The exchange's rules: BTCTRY and the symbol (base K), both on the 1 TRY tick and
     * 99.91 TRY at the least an order.
     */
    void rules(String symbol) {
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v2/server/exchangeinfo")).willReturn(okJson("""
                {"data": {"timeZone": "UTC", "serverTime": 1765094400000, "symbols": [
                  {"id": 1, "name": "BTCTRY", "nameNormalized": "BTC_TRY", "status": "TRADING", "numerator": "BTC",
                   "denominator": "TRY", "numeratorScale": 8, "denominatorScale": 2, "hasFraction": false,
                   "filters": [{"filterType": "PRICE_FILTER", "minPrice": "0.0000000000001", "maxPrice": "10000000",
                                "tickSize": "1", "minExchangeValue": "99.91", "minAmount": null, "maxAmount": null}],
                   "orderMethods": ["MARKET", "LIMIT", "STOP_MARKET", "STOP_LIMIT"]},
                  {"id": 2, "name": "%s", "nameNormalized": "K_TRY", "status": "TRADING", "numerator": "K",
                   "denominator": "TRY", "numeratorScale": 8, "denominatorScale": 2, "hasFraction": false,
                   "filters": [{"filterType": "PRICE_FILTER", "minPrice": "0.0000000000001", "maxPrice": "10000000",
                                "tickSize": "1", "minExchangeValue": "99.91", "minAmount": null, "maxAmount": null}],
                   "orderMethods": ["MARKET", "LIMIT", "STOP_MARKET", "STOP_LIMIT"]}]},
                 "success": true, "message": null, "code": 0}
                """.formatted(symbol))));
    }

    /**
     * The order placed for the symbol by {@code method} (market, limit, stoplimit) is
     * taken as {@code id}.
     */
    void orderTaken(String symbol, String method, long id) {
        server.stubFor(WireMock.post(urlPathEqualTo("/api/v1/order"))
            .withRequestBody(matchingJsonPath("$.pairSymbol", equalTo(symbol)))
            .withRequestBody(matchingJsonPath("$.orderMethod", equalTo(method)))
            .willReturn(okJson("""
                    {"success": true, "message": "SUCCESS", "code": 0, "data": {"id": %d}}
                    """.formatted(id))));
    }

    /** No order of the symbol stands open. */
    void noOpenOrders(String symbol) {
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v1/openOrders"))
            .withQueryParam("pairSymbol", equalTo(symbol))
            .willReturn(okJson("""
                    {"success": true, "message": null, "code": 0, "data": {"asks": [], "bids": []}}
                    """)));
    }

    /** The symbol's orders ({@code orders}, a JSON list's items) from a day before. */
    void orders(String symbol, String orders) {
        server.stubFor(allOrders(symbol, orders));
    }

    /** The symbol's orders ({@code orders}, a JSON list's items) from {@code since}. */
    void ordersSince(String symbol, String since, String orders) {
        server.stubFor(allOrders(symbol, orders).withQueryParam("startTime", equalTo(since)));
    }

    private static MappingBuilder allOrders(String symbol, String orders) {
        return WireMock.get(urlPathEqualTo("/api/v1/allOrders"))
            .withQueryParam("pairSymbol", equalTo(symbol))
            .willReturn(okJson("""
                    {"success": true, "message": null, "code": 0, "data": [%s]}
                    """.formatted(orders)));
    }

    /**
     * A stop sell of 0.00025 (stop 3,752,500, limit 3,714,975) as the order list has it
     * once filled.
     */
    static String filledStop(long id, String symbol, String clientOrderId, long time, long updateTime) {
        return """
                {"id": %d, "price": "3714975", "amount": "0.00025", "quantity": "0.00025",
                 "stopPrice": "3752500", "pairsymbol": "%s", "type": "Sell", "method": "StopLimit",
                 "orderClientId": "%s", "time": %d, "updateTime": %d,
                 "status": "Closed", "leftAmount": "0"}""".formatted(id, symbol, clientOrderId, time, updateTime);
    }

    /**
     * A limit buy of 0.00025572 at 3,910,500 (order 8812) as the order list has it, with
     * 0.00015572 left.
     */
    void limitBuyState(String symbol, String clientOrderId, String status) {
        orders(symbol, """
                {"id": 8812, "price": "3910500", "amount": "0.00015572", "quantity": "0.00025572",
                 "stopPrice": "0", "pairsymbol": "%s", "pairsymbolnormalized": "K_TRY", "type": "Buy",
                 "method": "Limit", "orderClientId": "%s", "time": 1765094465000,
                 "updateTime": 1765094500000, "status": "%s", "leftAmount": "0.00015572"}""".formatted(symbol,
                clientOrderId, status));
    }

    /** The account's trades ({@code trades}, a JSON list's items), from any time. */
    void trades(String trades) {
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v1/users/transactions/trade")).willReturn(tradeList(trades)));
    }

    /** The account's trades ({@code trades}, a JSON list's items) from {@code since}. */
    void tradesSince(String since, String trades) {
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v1/users/transactions/trade"))
            .withQueryParam("startDate", equalTo(since))
            .willReturn(tradeList(trades)));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder tradeList(String trades) {
        return okJson("""
                {"success": true, "message": "SUCCESS", "code": 0, "data": [%s]}
                """.formatted(trades));
    }

    /**
     * A trade of base K against TRY: {@code amount} (negative for a sell) at
     * {@code price}, with its fee and tax (negative).
     */
    static String trade(String orderType, long orderId, long id, long timestamp, String price, String amount,
            String fee, String tax) {
        return """
                {"price": %s, "numeratorSymbol": "K", "denominatorSymbol": "TRY", "orderType": "%s",
                 "orderId": %d, "id": %d, "timestamp": %d, "amount": %s, "fee": %s, "tax": %s}""".formatted(price,
                orderType, orderId, id, timestamp, amount, fee, tax);
    }

}
