package dev.kapi.trading;

import java.math.BigDecimal;
import java.util.concurrent.ThreadLocalRandom;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

/**
 * Binance Spot as the trading tests stand it in on the shared WireMock stub: each answer
 * is stubbed for one made-up symbol, so that tests running side by side do not see each
 * other's orders.
 */
final class BinanceStandIn {

    private final WireMockServer server;

    BinanceStandIn(WireMockServer server) {
        this.server = server;
    }

    /**
     * A symbol no other test uses, of the {@code T<digits>USDT} shape whose klines the
     * stub answers with an empty list.
     */
    static String uniqueSymbol() {
        return "T" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L) + "USDT";
    }

    /** The base asset of a {@code ...USDT} symbol. */
    static String base(String symbol) {
        return symbol.substring(0, symbol.length() - 4);
    }

    /**
     * The orders of {@code type} (MARKET, LIMIT, STOP_LOSS_LIMIT) placed for the symbol.
     */
    static RequestPatternBuilder ordersPlaced(String symbol, String type) {
        return postRequestedFor(urlPathEqualTo("/api/v3/order")).withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("type", equalTo(type));
    }

    /** The market sells placed for the symbol. */
    static RequestPatternBuilder marketSells(String symbol) {
        return ordersPlaced(symbol, "MARKET").withQueryParam("side", equalTo("SELL"));
    }

    /** The symbol's price (0.01) and lot (0.00001) steps. */
    void rules(String symbol, String base) {
        rules(symbol, base, "");
    }

    /** The symbol's price and lot steps and an order value of 5 USDT at the least. */
    void rulesWithMinimumValue(String symbol, String base) {
        rules(symbol, base, """
                ,
                  {"filterType": "NOTIONAL", "minNotional": "5", "applyMinToMarket": true, "maxNotional": "9000000",
                   "applyMaxToMarket": false, "avgPriceMins": 5}""");
    }

    private void rules(String symbol, String base, String moreFilters) {
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v3/exchangeInfo"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson("""
                    {"symbols": [{"symbol": "%s", "baseAsset": "%s", "quoteAsset": "USDT", "filters": [
                      {"filterType": "PRICE_FILTER", "minPrice": "0.01", "maxPrice": "1000000", "tickSize": "0.01"},
                      {"filterType": "LOT_SIZE", "minQty": "0.00001", "maxQty": "9000", "stepSize": "0.00001"}%s]}]}
                    """.formatted(symbol, base, moreFilters))));
    }

    /** The account holds {@code quantity} of {@code base}, free. */
    void free(String base, String quantity) {
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v3/account"))
            .withQueryParam("omitZeroBalances", equalTo("true"))
            .willReturn(okJson("""
                    {"balances": [{"asset": "%s", "free": "%s", "locked": "0"}]}
                    """.formatted(base, quantity))));
    }

    /** A market buy fills at once: {@code quantity} at 99 for {@code quote}. */
    void marketBuy(String symbol, String quantity, String quote) {
        server.stubFor(WireMock.post(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("side", equalTo("BUY"))
            .willReturn(okJson("""
                    {"symbol": "%s", "orderId": 90, "orderListId": -1, "clientOrderId": "kapi-buy",
                     "transactTime": 1700000000000, "price": "0", "origQty": "%s", "executedQty": "%s",
                     "cummulativeQuoteQty": "%s", "status": "FILLED", "type": "MARKET", "side": "BUY",
                     "fills": [{"price": "99", "qty": "%s", "commission": "0.09999", "commissionAsset": "USDT"}]}
                    """.formatted(symbol, quantity, quantity, quote, quantity))));
    }

    /**
     * A market sell fills at once: order {@code orderId}, {@code quantity} at
     * {@code price} for {@code quote}, less {@code commission} USDT.
     */
    void marketSell(String symbol, long orderId, long transactTime, String quantity, String price, String quote,
            String commission) {
        server.stubFor(WireMock.post(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("side", equalTo("SELL"))
            .withQueryParam("type", equalTo("MARKET"))
            .willReturn(okJson("""
                    {"symbol": "%s", "orderId": %d, "orderListId": -1, "clientOrderId": "kapi-sell",
                     "transactTime": %d, "price": "0", "origQty": "%s", "executedQty": "%s",
                     "cummulativeQuoteQty": "%s", "status": "FILLED", "type": "MARKET", "side": "SELL",
                     "fills": [{"price": "%s", "qty": "%s", "commission": "%s", "commissionAsset": "USDT"}]}
                    """.formatted(symbol, orderId, transactTime, quantity, quantity, quote, price, quantity,
                    commission))));
    }

    /** A stop (STOP_LOSS_LIMIT) order is taken as order {@code orderId}. */
    void stopTaken(String symbol, long orderId) {
        server.stubFor(WireMock.post(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("type", equalTo("STOP_LOSS_LIMIT"))
            .willReturn(okJson("{\"orderId\": %d, \"status\": \"NEW\"}".formatted(orderId))));
    }

    /** A stop (STOP_LOSS_LIMIT) order is refused with error -2010 and {@code message}. */
    void stopRefused(String symbol, String message) {
        server.stubFor(WireMock.post(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("type", equalTo("STOP_LOSS_LIMIT"))
            .willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\": -2010, \"msg\": \"%s\"}".formatted(message))));
    }

    /** A cancelReplace of a stop succeeds. */
    void stopMoves(String symbol) {
        server.stubFor(WireMock.post(urlPathEqualTo("/api/v3/order/cancelReplace"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson("{\"cancelResult\": \"SUCCESS\", \"newOrderResult\": \"SUCCESS\"}")));
    }

    /**
     * Cancelling the order {@code clientOrderId} ({@code orderId}) finds nothing of it
     * filled.
     */
    void cancelled(String symbol, String clientOrderId, long orderId) {
        server.stubFor(WireMock.delete(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("origClientOrderId", equalTo(clientOrderId))
            .willReturn(
                    okJson("{\"orderId\": %d, \"status\": \"CANCELED\", \"executedQty\": \"0\"}".formatted(orderId))));
    }

    /** An OCO list (stop and take-profit) is taken as list {@code orderListId}. */
    void ocoTaken(String symbol, long orderListId) {
        server.stubFor(WireMock.post(urlPathEqualTo("/api/v3/orderList/oco"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson("{\"orderListId\": %d, \"contingencyType\": \"OCO\", \"listOrderStatus\": \"EXECUTING\"}"
                .formatted(orderListId))));
    }

    /** A leg of a stop as {@code GET /api/v3/order} answers it by client order id. */
    void stopLeg(String symbol, String clientOrderId, long orderId, String status, String executed, String quote,
            long updateTime) {
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("origClientOrderId", equalTo(clientOrderId))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                    {"symbol": "%s", "orderId": %d, "orderListId": 5, "clientOrderId": "%s", "price": "93.1",
                     "origQty": "1.01", "executedQty": "%s", "cummulativeQuoteQty": "%s", "status": "%s",
                     "type": "STOP_LOSS_LIMIT", "side": "SELL", "time": %d, "updateTime": %d}
                    """.formatted(symbol, orderId, clientOrderId, executed, quote, status, updateTime, updateTime))));
    }

    /** The one trade of a filled stop sell: {@code quantity} at {@code price}. */
    void stopTrade(String symbol, long orderId, String price, String quantity, String commission) {
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v3/myTrades"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("orderId", equalTo(Long.toString(orderId)))
            .willReturn(okJson("""
                    [{"symbol": "%s", "orderId": %d, "price": "%s", "qty": "%s", "commission": "%s",
                      "commissionAsset": "USDT"}]
                    """.formatted(symbol, orderId, price, quantity, commission))));
    }

    /** The limit buy at 98.01 (order 4411) as Binance answers it. */
    static String limitBuy(String symbol, String clientOrderId, String status, String executed, String quote) {
        return """
                {"symbol": "%s", "orderId": 4411, "orderListId": -1, "clientOrderId": "%s", "transactTime": 1700000000000,
                 "price": "98.01", "origQty": "1.0203", "executedQty": "%s", "cummulativeQuoteQty": "%s",
                 "status": "%s", "timeInForce": "GTC", "type": "LIMIT", "side": "BUY", "time": 1700000000000,
                 "updateTime": 1700000060000, "fills": []}
                """
            .formatted(symbol, clientOrderId, executed, quote, status);
    }

    /** The symbol's rules, and a limit buy that is taken and rests unfilled. */
    void rulesAndARestingLimitBuy(String symbol) {
        rules(symbol, base(symbol));
        limitBuyRests(symbol);
    }

    /** A limit buy is taken and rests unfilled. */
    void limitBuyRests(String symbol) {
        server.stubFor(WireMock.post(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("type", equalTo("LIMIT"))
            .willReturn(okJson(limitBuy(symbol, "kapi-limit", "NEW", "0", "0"))));
    }

    /** Cancelling the limit buy finds {@code executed} of it filled for {@code quote}. */
    void limitBuyCancelled(String symbol, String clientOrderId, String executed, String quote) {
        server.stubFor(WireMock.delete(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("origClientOrderId", equalTo(clientOrderId))
            .willReturn(okJson(limitBuy(symbol, "kapi-limit", "CANCELED", executed, quote))));
    }

    /**
     * The limit buy as Binance answers it by client order id, with its one trade of
     * {@code executed} at 98.01.
     */
    void limitBuyState(String symbol, String clientOrderId, String status, String executed) {
        BigDecimal quote = new BigDecimal(executed).multiply(new BigDecimal("98.01"));
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("origClientOrderId", equalTo(clientOrderId))
            .willReturn(okJson(limitBuy(symbol, "kapi-limit", status, executed, quote.toPlainString()))));
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v3/myTrades"))
            .withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("orderId", equalTo("4411"))
            .willReturn(okJson("""
                    [{"symbol": "%s", "id": 1, "orderId": 4411, "price": "98.01", "qty": "%s", "quoteQty": "%s",
                      "commission": "0", "commissionAsset": "USDT", "time": 1700000030000}]
                    """.formatted(symbol, executed, quote.toPlainString()))));
    }

    /**
     * Any order of the symbol as Binance answers it: the limit buy with
     * {@code clientOrderId}, and {@code trades} (a JSON array) as its trades.
     */
    void limitBuyState(String symbol, String clientOrderId, String status, String executed, String quote,
            String trades) {
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v3/order"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson(limitBuy(symbol, clientOrderId, status, executed, quote))));
        server.stubFor(WireMock.get(urlPathEqualTo("/api/v3/myTrades"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson(trades)));
    }

    /** A trade of the limit buy: {@code quantity} at 98.01, less 0.1% commission. */
    static String limitBuyTrade(String symbol, String quantity) {
        BigDecimal quote = new BigDecimal(quantity).multiply(new BigDecimal("98.01"));
        return """
                {"symbol": "%s", "id": %d, "orderId": 4411, "orderListId": -1, "price": "98.01", "qty": "%s",
                 "quoteQty": "%s", "commission": "%s", "commissionAsset": "USDT", "time": 1700000030000,
                 "isBuyer": true, "isMaker": true, "isBestMatch": true}
                """.formatted(symbol, ThreadLocalRandom.current().nextInt(1_000_000), quantity, quote.toPlainString(),
                quote.multiply(new BigDecimal("0.001")).toPlainString());
    }

}
