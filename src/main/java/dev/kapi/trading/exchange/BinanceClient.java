package dev.kapi.trading.exchange;

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
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Binance Spot REST, as its documentation says: signed endpoints carry {@code timestamp}
 * and {@code recvWindow}, an HMAC-SHA256 {@code signature} of the query string under the
 * API secret, and the key in {@code X-MBX-APIKEY}. Market orders carry a
 * {@code newClientOrderId}; after a 5xx or a timeout the order is looked up by it and
 * placed again only if Binance has none. The used request weight
 * ({@code X-MBX-USED-WEIGHT-1M}) is watched and requests stop for the rest of the minute
 * near the limit; a 429 or 418 stops them for its {@code Retry-After}. One instance is
 * shared, so the limits hold for every bot.
 * <p>
 * Quantities follow the symbol's rules from {@code exchangeInfo} (cached per symbol for
 * an hour; a market order's quantity rules are LOT_SIZE and MARKET_LOT_SIZE together: the
 * larger minimum, the smaller maximum, the larger non-zero step, Binance's steps being
 * powers of ten; the order value bounds are those of NOTIONAL and MIN_NOTIONAL that apply
 * to market orders): a buy's fill reports what can be sold later, the base received net
 * of base-asset commissions and rounded down to the step size, and a sell's quantity is
 * rounded down to the step before it is sent.
 */
@Component
final class BinanceClient {

    static final int ORDER_DOES_NOT_EXIST = -2013;
    static final int FILTER_FAILURE = -1013;
    static final int NEW_ORDER_REJECTED = -2010;
    static final int CANCEL_REJECTED = -2011;

    static final int INVALID_SYMBOL = -1121;

    /** The statuses of an order still on the book ({@code enums.md}). */
    static final java.util.Set<String> OPEN_STATUSES = java.util.Set.of("NEW", "PARTIALLY_FILLED", "PENDING_NEW");
    static final Duration RULES_TTL = Duration.ofHours(1);

    private final HttpClient http;

    private final JsonMapper json;

    private final TradingSettings.Binance settings;

    private final Clock clock;

    private final Cache<String, SymbolRules> cachedRules;

    private final RequestHold hold = new RequestHold();

    BinanceClient(TradingSettings settings, JsonMapper json, Clock clock) {
        this.settings = settings.binance();
        this.json = json;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(this.settings.timeout()).build();
        this.cachedRules = Caffeine.newBuilder()
            .expireAfterWrite(RULES_TTL)
            .maximumSize(10_000)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .build();
    }

    /** The exchange as one API key sees it. */
    Exchange as(ApiCredentials credentials) {
        return new Account(credentials);
    }

    /** Market data only; placing or looking up orders needs {@link #as}. */
    Exchange publicData() {
        return new Account(null);
    }

    /**
     * Until when requests are held back (a 429, a 418, or the used weight near its
     * limit).
     */
    Instant blockedUntil() {
        return hold.until();
    }

    private final class Account implements Exchange {

        private final ApiCredentials credentials;

        Account(ApiCredentials credentials) {
            this.credentials = credentials;
        }

        @Override
        public ExchangeName name() {
            return ExchangeName.BINANCE;
        }

        @Override
        public SymbolRules rules(String symbol) {
            return BinanceClient.this.rules(symbol);
        }

        /** {@code GET /api/v3/depth} (weight 5 up to 100 levels). */
        @Override
        public Optional<OrderBook> depth(String symbol, int limit) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", symbol);
            params.put("limit", Integer.toString(Math.clamp(limit, 1, 5000)));
            Answer answer = send("GET", "/api/v3/depth", query(params), null);
            if (!answer.ok() || answer.body() == null) {
                throw answer.failure("order book of " + symbol);
            }
            return Optional.of(new OrderBook(levels(answer.body().path("bids")), levels(answer.body().path("asks"))));
        }

        @Override
        public List<Balance> balances() {
            List<Balance> balances = new ArrayList<>();
            for (JsonNode balance : account().path("balances")) {
                balances.add(new Balance(balance.path("asset").asString(""), decimal(balance.get("free")),
                        decimal(balance.get("locked"))));
            }
            return balances;
        }

        @Override
        public List<Candle> candles(String symbol, CandleInterval interval, Instant lastOpen, int limit) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", symbol);
            params.put("interval", interval.code());
            params.put("endTime", Long.toString(lastOpen.plus(interval.length()).toEpochMilli() - 1));
            params.put("limit", Integer.toString(Math.min(limit, 1000)));
            Answer answer = send("GET", "/api/v3/klines", query(params), null);
            if (answer.code() == INVALID_SYMBOL) {
                throw new UnknownSymbol("Binance does not know the symbol " + symbol);
            }
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
            // The rules come first: once Binance has filled a buy, its fill must not fail
            // for want of them.
            SymbolRules symbolRules = rules(order.symbol());
            MarketOrder sent = order.side() == Side.SELL ? sellable(order, symbolRules) : buyable(order, symbolRules);
            Answer answer = sendOrder(sent);
            if (answer.uncertain()) {
                // Binance may have taken it: look before placing again, never twice.
                Optional<Fill> found = lookUpAfterNoAnswer(order.clientOrderId(), order.symbol());
                if (found.isPresent()) {
                    return found.get();
                }
                answer = sendOrder(sent);
                if (answer.uncertain()) {
                    throw new UncertainOrder("Binance gave no clear answer to order " + order.clientOrderId()
                            + " (HTTP " + answer.status() + ")");
                }
            }
            if (!answer.ok()) {
                if (answer.code() == FILTER_FAILURE) {
                    // The symbol's rules may have changed: read them again next time.
                    cachedRules.invalidate(order.symbol());
                }
                throw answer.failure("order " + order.clientOrderId());
            }
            JsonNode body = answer.body();
            if (body == null) {
                throw new UncertainOrder("Binance answered order " + order.clientOrderId() + " without a body");
            }
            BigDecimal executed = decimal(body.get("executedQty"));
            if (executed.signum() == 0) {
                throw new ExchangeException("Binance did not fill order " + order.clientOrderId() + " (status "
                        + body.path("status").asString("") + ")");
            }
            List<Commission> commissions = new ArrayList<>();
            for (JsonNode part : body.path("fills")) {
                commissions.add(new Commission(part.get("commissionAsset").asString(), decimal(part.get("commission")),
                        decimal(part.get("price"))));
            }
            Instant at = body.has("transactTime") ? Instant.ofEpochMilli(body.get("transactTime").asLong())
                    : clock.instant();
            return fill(order.clientOrderId(), order.side(), symbolRules, executed,
                    decimal(body.get("cummulativeQuoteQty")), converted(commissions, symbolRules), at);
        }

        /**
         * The lookup after an order got no clear answer: if the lookup is refused too,
         * whether the order exists is still unknown, so it stays uncertain (pending,
         * looked up again later) rather than failed.
         */
        private Optional<Fill> lookUpAfterNoAnswer(String clientOrderId, String symbol) {
            try {
                return lookUp(symbol, clientOrderId);
            }
            catch (UncertainOrder ex) {
                throw ex;
            }
            catch (ExchangeException ex) {
                throw new UncertainOrder(
                        "Order " + clientOrderId + " got no clear answer and its lookup failed: " + ex.getMessage());
            }
        }

        @Override
        public Optional<Fill> lookUp(String symbol, String clientOrderId) {
            return order(symbol, clientOrderId).map(OrderState::filled);
        }

        /**
         * {@code GET /api/v3/order} by client order id, and when anything filled the
         * order's trades ({@code GET /api/v3/myTrades}) for their commissions.
         */
        @Override
        public Optional<OrderState> order(String symbol, String clientOrderId) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", symbol);
            params.put("origClientOrderId", clientOrderId);
            Answer answer = send("GET", "/api/v3/order", signed(params), credentials());
            if (answer.status() == 400 && answer.body() != null
                    && answer.body().path("code").asInt() == ORDER_DOES_NOT_EXIST) {
                return Optional.empty();
            }
            if (answer.uncertain()) {
                throw new UncertainOrder("Binance gave no clear answer looking up " + clientOrderId);
            }
            if (!answer.ok() || answer.body() == null) {
                throw answer.failure("lookup of " + clientOrderId);
            }
            return Optional.of(state(symbol, clientOrderId, answer.body(), null));
        }

        /**
         * {@code POST /api/v3/order} of type {@code LIMIT}, {@code GTC}, with the same
         * look-before-resend as a market order after an unclear answer.
         */
        @Override
        public OrderState place(LimitOrder order) {
            SymbolRules symbolRules = rules(order.symbol());
            LimitOrder sent = limitable(order, symbolRules);
            Answer answer = send("POST", "/api/v3/order", signed(limitParams(sent)), credentials());
            if (answer.uncertain()) {
                Optional<OrderState> found;
                try {
                    found = order(order.symbol(), order.clientOrderId());
                }
                catch (UncertainOrder ex) {
                    throw ex;
                }
                catch (ExchangeException ex) {
                    throw new UncertainOrder("Order " + order.clientOrderId()
                            + " got no clear answer and its lookup failed: " + ex.getMessage());
                }
                if (found.isPresent()) {
                    return found.get();
                }
                answer = send("POST", "/api/v3/order", signed(limitParams(sent)), credentials());
                if (answer.uncertain()) {
                    throw new UncertainOrder("Binance gave no clear answer to order " + order.clientOrderId()
                            + " (HTTP " + answer.status() + ")");
                }
            }
            if (!answer.ok()) {
                if (answer.code() == FILTER_FAILURE) {
                    cachedRules.invalidate(order.symbol());
                }
                throw answer.failure("order " + order.clientOrderId());
            }
            if (answer.body() == null) {
                throw new UncertainOrder("Binance answered order " + order.clientOrderId() + " without a body");
            }
            return state(order.symbol(), order.clientOrderId(), answer.body(), answer.body().path("fills"));
        }

        /**
         * {@code DELETE /api/v3/order}; an order Binance no longer has open
         * ({@code -2011}: filled or cancelled meanwhile) is read as it stands.
         */
        @Override
        public OrderState cancel(String symbol, String clientOrderId) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", symbol);
            params.put("origClientOrderId", clientOrderId);
            Answer answer = send("DELETE", "/api/v3/order", signed(params), credentials());
            if (answer.ok() && answer.body() != null) {
                return state(symbol, clientOrderId, answer.body(), null);
            }
            if (answer.code() == CANCEL_REJECTED || answer.code() == ORDER_DOES_NOT_EXIST) {
                return order(symbol, clientOrderId).orElse(new OrderState(clientOrderId, false, true, null));
            }
            if (answer.uncertain()) {
                throw new UncertainOrder("Binance gave no clear answer cancelling " + clientOrderId);
            }
            throw answer.failure("cancel of " + clientOrderId);
        }

        /**
         * An order's state from Binance's answer about it; its commissions from
         * {@code fills} when the answer has them, else from the order's trades.
         */
        private OrderState state(String symbol, String clientOrderId, JsonNode order, JsonNode fills) {
            String status = order.path("status").asString("");
            boolean open = OPEN_STATUSES.contains(status);
            boolean canceled = !open && !"FILLED".equals(status);
            BigDecimal executed = decimal(order.get("executedQty"));
            if (executed.signum() == 0) {
                return new OrderState(clientOrderId, open, canceled, null);
            }
            SymbolRules symbolRules = rules(symbol);
            List<Commission> commissions = new ArrayList<>();
            if (fills != null && !fills.isMissingNode() && !fills.isEmpty()) {
                for (JsonNode part : fills) {
                    commissions.add(new Commission(part.get("commissionAsset").asString(),
                            decimal(part.get("commission")), decimal(part.get("price"))));
                }
            }
            else {
                Map<String, String> tradeParams = new LinkedHashMap<>();
                tradeParams.put("symbol", symbol);
                tradeParams.put("orderId", order.get("orderId").asString());
                Answer trades = send("GET", "/api/v3/myTrades", signed(tradeParams), credentials());
                if (!trades.ok() || trades.body() == null) {
                    // The order exists; without its commissions its quantity is unknown,
                    // so it stays as it was.
                    throw new UncertainOrder(trades.failure("trades of order " + clientOrderId).getMessage());
                }
                for (JsonNode trade : trades.body()) {
                    commissions.add(new Commission(trade.get("commissionAsset").asString(),
                            decimal(trade.get("commission")), decimal(trade.get("price"))));
                }
            }
            long millis = order.path("updateTime")
                .asLong(order.path("transactTime").asLong(order.path("time").asLong()));
            Instant at = millis > 0 ? Instant.ofEpochMilli(millis) : clock.instant();
            return new OrderState(clientOrderId, open, canceled,
                    fill(clientOrderId, Side.valueOf(order.get("side").asString()), symbolRules, executed,
                            decimal(order.get("cummulativeQuoteQty")), converted(commissions, symbolRules), at));
        }

        /**
         * The limit order checked against the symbol's rules before it is sent: at least
         * the minimum quantity and order value; a sell never more than the account holds
         * free.
         */
        private LimitOrder limitable(LimitOrder order, SymbolRules symbolRules) {
            BigDecimal quantity = symbolRules.floor(order.quantity());
            if (order.side() == Side.SELL) {
                quantity = symbolRules.floor(quantity.min(free(symbolRules.baseAsset())));
            }
            if (quantity.signum() <= 0 || quantity.compareTo(symbolRules.minQty()) < 0) {
                throw new ExchangeException("Cannot " + order.side().wire() + " " + plain(order.quantity()) + " "
                        + order.symbol() + " on Binance: rounded down to the step size " + plain(symbolRules.stepSize())
                        + " it is " + plain(quantity) + ", below the minimum quantity " + plain(symbolRules.minQty()));
            }
            BigDecimal value = quantity.multiply(order.price());
            if (symbolRules.minNotional().signum() > 0 && value.compareTo(symbolRules.minNotional()) < 0) {
                throw new ExchangeException(
                        "Cannot " + order.side().wire() + " " + order.symbol() + " for " + plain(value)
                                + " on Binance: below the minimum order value " + plain(symbolRules.minNotional()));
            }
            return new LimitOrder(order.clientOrderId(), order.symbol(), order.side(), order.price(), quantity,
                    order.at());
        }

        /**
         * A stop alone: {@code POST /api/v3/order} of type STOP_LOSS_LIMIT (GTC). With a
         * target: {@code POST /api/v3/orderList/oco}, the target a LIMIT_MAKER above and
         * the stop a STOP_LOSS_LIMIT below (weight 1 either way).
         */
        @Override
        public void placeStop(StopOrder order) {
            Answer answer = order.oco() ? send("POST", "/api/v3/orderList/oco", signed(ocoParams(order)), credentials())
                    : send("POST", "/api/v3/order", signed(stopParams(order)), credentials());
            if (answer.uncertain()) {
                throw new UncertainOrder("Binance gave no clear answer to stop " + order.clientOrderId() + " (HTTP "
                        + answer.status() + ")");
            }
            if (!answer.ok()) {
                if (answer.code() == NEW_ORDER_REJECTED && answer.text() != null
                        && answer.text().contains("trigger immediately")) {
                    throw new StopWouldTrigger("Binance refused stop " + order.clientOrderId()
                            + ": the price is already below its stop " + plain(order.stopPrice()));
                }
                if (answer.code() == FILTER_FAILURE) {
                    cachedRules.invalidate(order.symbol());
                }
                throw answer.failure("stop " + order.clientOrderId());
            }
        }

        /** {@code GET /api/v3/order} by client order id (weight 4). */
        @Override
        public LegState stopLeg(String symbol, String clientOrderId) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", symbol);
            params.put("origClientOrderId", clientOrderId);
            Answer answer = send("GET", "/api/v3/order", signed(params), credentials());
            if (answer.status() == 400 && answer.code() == ORDER_DOES_NOT_EXIST) {
                return new LegState(clientOrderId, LegStatus.ABSENT, BigDecimal.ZERO);
            }
            if (answer.uncertain()) {
                throw new UncertainOrder("Binance gave no clear answer looking up " + clientOrderId);
            }
            if (!answer.ok() || answer.body() == null) {
                throw answer.failure("lookup of " + clientOrderId);
            }
            LegStatus status = switch (answer.body().path("status").asString("")) {
                case "FILLED" -> LegStatus.FILLED;
                case "NEW", "PARTIALLY_FILLED", "PENDING_NEW" -> LegStatus.OPEN;
                default -> LegStatus.CANCELED;
            };
            return new LegState(clientOrderId, status, decimal(answer.body().get("executedQty")));
        }

        /**
         * {@code DELETE /api/v3/orderList} by list client order id, or
         * {@code DELETE /api/v3/order} for a stop alone; Binance's -2011 (no such open
         * order) is no failure.
         */
        @Override
        public void cancelStop(StopOrder order) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", order.symbol());
            params.put(order.oco() ? "listClientOrderId" : "origClientOrderId", order.clientOrderId());
            Answer answer = send("DELETE", order.oco() ? "/api/v3/orderList" : "/api/v3/order", signed(params),
                    credentials());
            if (answer.uncertain()) {
                throw new UncertainOrder("Binance gave no clear answer cancelling stop " + order.clientOrderId());
            }
            if (!answer.ok() && answer.code() != CANCEL_REJECTED) {
                throw answer.failure("cancel of stop " + order.clientOrderId());
            }
        }

        /**
         * A stop alone moves in one request, {@code POST /api/v3/order/cancelReplace}
         * with {@code STOP_ON_FAILURE}: when the cancel fails (the stop filled), nothing
         * new is placed. An OCO list is cancelled and placed anew.
         */
        @Override
        public void replaceStop(StopOrder current, StopOrder next) {
            if (current.oco() || next.oco()) {
                Exchange.super.replaceStop(current, next);
                return;
            }
            Map<String, String> params = stopParams(next);
            params.remove("newClientOrderId");
            params.put("cancelReplaceMode", "STOP_ON_FAILURE");
            params.put("cancelOrigClientOrderId", current.clientOrderId());
            params.put("newClientOrderId", next.clientOrderId());
            Answer answer = send("POST", "/api/v3/order/cancelReplace", signed(params), credentials());
            if (answer.uncertain()) {
                throw new UncertainOrder("Binance gave no clear answer moving stop " + current.clientOrderId());
            }
            if (!answer.ok()) {
                JsonNode data = answer.body() == null ? null : answer.body().path("data");
                if (data != null && "FAILURE".equals(data.path("cancelResult").asString(""))) {
                    throw new StopGone("Binance could not cancel stop " + current.clientOrderId()
                            + " to move it: it filled or went meanwhile");
                }
                if (data != null && data.path("newOrderResponse").path("code").asInt() == NEW_ORDER_REJECTED
                        && answer.text() != null && answer.text().contains("trigger immediately")) {
                    throw new StopWouldTrigger("Binance cancelled stop " + current.clientOrderId()
                            + " but refused its move: the price is already below the new stop "
                            + plain(next.stopPrice()));
                }
                throw answer.failure("move of stop " + current.clientOrderId());
            }
        }

        private Map<String, String> stopParams(StopOrder order) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", order.symbol());
            params.put("side", "SELL");
            params.put("type", "STOP_LOSS_LIMIT");
            params.put("timeInForce", "GTC");
            params.put("quantity", plain(order.quantity()));
            params.put("price", plain(order.limitPrice()));
            params.put("stopPrice", plain(order.stopPrice()));
            params.put("newClientOrderId", order.clientOrderId());
            params.put("newOrderRespType", "RESULT");
            return params;
        }

        private Map<String, String> ocoParams(StopOrder order) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", order.symbol());
            params.put("side", "SELL");
            params.put("quantity", plain(order.quantity()));
            params.put("listClientOrderId", order.clientOrderId());
            params.put("aboveType", "LIMIT_MAKER");
            params.put("abovePrice", plain(order.targetPrice()));
            params.put("aboveClientOrderId", order.targetClientOrderId());
            params.put("belowType", "STOP_LOSS_LIMIT");
            params.put("belowStopPrice", plain(order.stopPrice()));
            params.put("belowPrice", plain(order.limitPrice()));
            params.put("belowTimeInForce", "GTC");
            params.put("belowClientOrderId", order.stopClientOrderId());
            return params;
        }

        /**
         * {@code POST /api/v3/order/test}: checks an order (and the key's rights) without
         * placing it.
         */
        void test(MarketOrder order) {
            Answer answer = send("POST", "/api/v3/order/test", signed(orderParams(order)), credentials());
            if (!answer.ok()) {
                throw answer.failure("test order");
            }
        }

        /**
         * The buy, refused here when what it would get at the reference price is below
         * the minimum quantity: a position too small to sell.
         */
        private MarketOrder buyable(MarketOrder order, SymbolRules symbolRules) {
            if (order.referencePrice() == null || order.referencePrice().signum() <= 0) {
                return order;
            }
            BigDecimal expected = symbolRules.floor(order.quoteAmount().divide(order.referencePrice(), Money.MATH));
            if (expected.signum() == 0 || expected.compareTo(symbolRules.minQty()) < 0) {
                throw new ExchangeException("Cannot buy " + order.symbol() + " for " + plain(order.quoteAmount())
                        + " on Binance: at about " + plain(order.referencePrice()) + " that is " + plain(expected)
                        + ", below the minimum quantity " + plain(symbolRules.minQty()));
            }
            notional(order, order.quoteAmount(), symbolRules);
            return order;
        }

        /**
         * The sell with its quantity rounded down to the step; refused here when that is
         * below the minimum.
         */
        private MarketOrder sellable(MarketOrder order, SymbolRules symbolRules) {
            BigDecimal wanted = order.quantity() == null ? BigDecimal.ZERO : order.quantity();
            // Never more than the account holds free: fees or a manual sale may have
            // taken some.
            BigDecimal free = free(symbolRules.baseAsset());
            BigDecimal quantity = symbolRules.floor(wanted.min(free));
            if (quantity.signum() <= 0 || quantity.compareTo(symbolRules.minQty()) < 0) {
                throw new ExchangeException("Cannot sell " + plain(order.quantity()) + " " + order.symbol()
                        + " on Binance: rounded down to the step size " + plain(symbolRules.stepSize()) + " it is "
                        + plain(quantity) + ", below the minimum quantity " + plain(symbolRules.minQty()));
            }
            if (symbolRules.maxQty().signum() > 0 && quantity.compareTo(symbolRules.maxQty()) > 0) {
                throw new ExchangeException("Cannot sell " + plain(quantity) + " " + order.symbol()
                        + " on Binance in one market order: the maximum quantity is " + plain(symbolRules.maxQty()));
            }
            if (order.referencePrice() != null) {
                notional(order, quantity.multiply(order.referencePrice()), symbolRules);
            }
            return new MarketOrder(order.clientOrderId(), order.symbol(), order.side(), order.quoteAmount(), quantity,
                    order.referencePrice(), order.at());
        }

        /** The NOTIONAL / MIN_NOTIONAL checks, before anything is sent. */
        private void notional(MarketOrder order, BigDecimal value, SymbolRules symbolRules) {
            if (symbolRules.minNotional().signum() > 0 && value.compareTo(symbolRules.minNotional()) < 0) {
                throw new ExchangeException(
                        "Cannot " + order.side().wire() + " " + order.symbol() + " for about " + plain(value)
                                + " on Binance: below the minimum order value " + plain(symbolRules.minNotional()));
            }
            if (symbolRules.maxNotional().signum() > 0 && value.compareTo(symbolRules.maxNotional()) > 0) {
                throw new ExchangeException(
                        "Cannot " + order.side().wire() + " " + order.symbol() + " for about " + plain(value)
                                + " on Binance: above the maximum order value " + plain(symbolRules.maxNotional()));
            }
        }

        /**
         * {@code GET /api/v3/account}: the free balance of an asset (zero when the
         * account has none).
         */
        private BigDecimal free(String asset) {
            for (JsonNode balance : account().path("balances")) {
                if (asset.equals(balance.path("asset").asString(""))) {
                    return decimal(balance.get("free"));
                }
            }
            return BigDecimal.ZERO;
        }

        private JsonNode account() {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("omitZeroBalances", "true");
            Answer answer = send("GET", "/api/v3/account", signed(params), credentials());
            if (!answer.ok() || answer.body() == null) {
                throw answer.failure("account balances");
            }
            return answer.body();
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

        /**
         * The query string with {@code recvWindow}, {@code timestamp} and the signature
         * over all of it.
         */
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

    static Map<String, String> limitParams(Exchange.LimitOrder order) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("symbol", order.symbol());
        params.put("side", order.side().name());
        params.put("type", "LIMIT");
        params.put("timeInForce", "GTC");
        params.put("quantity", Money.plain(order.quantity()).toPlainString());
        params.put("price", Money.plain(order.price()).toPlainString());
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

    /**
     * Commissions in a third asset (BNB discounts) converted to the quote asset at the
     * last price of {@code <asset><quote>} ({@code GET /api/v3/ticker/price}); one whose
     * price cannot be read is logged and not counted (the fill stands: Binance has filled
     * it).
     */
    private List<Commission> converted(List<Commission> commissions, SymbolRules symbolRules) {
        List<Commission> converted = new ArrayList<>();
        Map<String, BigDecimal> prices = new java.util.HashMap<>();
        for (Commission commission : commissions) {
            String asset = commission.asset();
            if (asset.equals(symbolRules.baseAsset()) || asset.equals(symbolRules.quoteAsset())
                    || commission.amount().signum() == 0) {
                converted.add(commission);
                continue;
            }
            BigDecimal price = prices.computeIfAbsent(asset, a -> tickerPrice(a + symbolRules.quoteAsset()));
            if (price == null) {
                org.slf4j.LoggerFactory.getLogger(BinanceClient.class)
                    .warn("A commission of {} {} is not counted: no price for {}{}", commission.amount(), asset, asset,
                            symbolRules.quoteAsset());
                continue;
            }
            converted.add(new Commission(symbolRules.quoteAsset(), Money.round(commission.amount().multiply(price)),
                    commission.price()));
        }
        return converted;
    }

    private BigDecimal tickerPrice(String symbol) {
        try {
            Answer answer = send("GET", "/api/v3/ticker/price", query(Map.of("symbol", symbol)), null);
            return answer.ok() && answer.body() != null && answer.body().has("price")
                    ? decimal(answer.body().get("price")) : null;
        }
        catch (RuntimeException ex) {
            return null;
        }
    }

    /** One trade's commission, and the price of that trade. */
    private record Commission(String asset, BigDecimal amount, BigDecimal price) {
    }

    /**
     * The fill of an order that executed {@code executed} of the base asset for
     * {@code quote} of the quote asset, at the average price. Commissions in the quote
     * asset count as they are. Those in the base asset count at their trade's price on a
     * sell; on a buy they never reached the wallet, so the quantity is what was received
     * net of them, rounded down to the step size (what a later sell can sell), and the
     * fee is what the rest cost at the average price: {@code price * quantity + fee} is
     * the quote spent (plus any quote commissions). Commissions in a third asset (BNB
     * discounts) come converted to the quote asset.
     */
    private static Exchange.Fill fill(String clientOrderId, Side side, SymbolRules symbolRules, BigDecimal executed,
            BigDecimal quote, List<Commission> commissions, Instant at) {
        BigDecimal price = quote.divide(executed, Money.MATH);
        BigDecimal fee = BigDecimal.ZERO;
        BigDecimal baseCommission = BigDecimal.ZERO;
        for (Commission commission : commissions) {
            if (commission.asset().equals(symbolRules.quoteAsset())) {
                fee = fee.add(commission.amount());
            }
            else if (commission.asset().equals(symbolRules.baseAsset())) {
                if (side == Side.BUY) {
                    baseCommission = baseCommission.add(commission.amount());
                }
                else {
                    fee = fee.add(Money.round(commission.amount().multiply(commission.price())));
                }
            }
        }
        if (side == Side.SELL) {
            return new Exchange.Fill(clientOrderId, price, executed, fee, at);
        }
        BigDecimal quantity = symbolRules.floor(executed.subtract(baseCommission).max(BigDecimal.ZERO));
        if (quantity.signum() == 0) {
            // Nothing sellable came of it: no trade can record that, so the order stays
            // pending for a person to see.
            throw new Exchange.UncertainOrder("Binance filled order " + clientOrderId + " but its commission left less "
                    + "than one step (" + plain(symbolRules.stepSize()) + ") of " + symbolRules.baseAsset());
        }
        fee = Money.round(fee.add(quote.subtract(price.multiply(quantity))));
        return new Exchange.Fill(clientOrderId, price, quantity, fee, at);
    }

    private record Answer(int status, JsonNode body, String text) {

        boolean ok() {
            return status / 100 == 2;
        }

        /** Binance's error code, or 0 when it gave none. */
        int code() {
            return body != null ? body.path("code").asInt(0) : 0;
        }

        /** No answer, a 5xx, or a timeout: the exchange may have acted. */
        boolean uncertain() {
            return status == 0 || status >= 500;
        }

        Exchange.ExchangeException failure(String what) {
            String detail = body != null && body.has("msg")
                    ? body.path("code").asInt() + " " + body.path("msg").asString() : "HTTP " + status;
            return new Exchange.ExchangeException("Binance refused the " + what + ": " + detail);
        }
    }

    /** The symbol's rules, from the cache or from {@code GET /api/v3/exchangeInfo}. */
    SymbolRules rules(String symbol) {
        return cachedRules.get(symbol, this::fetchRules);
    }

    private SymbolRules fetchRules(String symbol) {
        Answer answer = send("GET", "/api/v3/exchangeInfo", query(Map.of("symbol", symbol)), null);
        if (!answer.ok() || answer.body() == null) {
            throw answer.failure("exchange info of " + symbol);
        }
        JsonNode info = answer.body().path("symbols").path(0);
        if (!symbol.equals(info.path("symbol").asString(""))) {
            throw new Exchange.ExchangeException("Binance has no symbol " + symbol);
        }
        BigDecimal minQty = BigDecimal.ZERO;
        BigDecimal maxQty = BigDecimal.ZERO;
        BigDecimal stepSize = BigDecimal.ZERO;
        BigDecimal minNotional = BigDecimal.ZERO;
        BigDecimal maxNotional = BigDecimal.ZERO;
        BigDecimal tickSize = BigDecimal.ZERO;
        for (JsonNode filter : info.path("filters")) {
            String type = filter.path("filterType").asString("");
            if (type.equals("PRICE_FILTER") && filter.has("tickSize")) {
                tickSize = decimal(filter.get("tickSize"));
            }
            if (type.equals("MIN_NOTIONAL") && filter.path("applyToMarket").asBoolean(true)) {
                minNotional = minNotional.max(decimal(filter.get("minNotional")));
            }
            if (type.equals("NOTIONAL")) {
                if (filter.path("applyMinToMarket").asBoolean(true) && filter.has("minNotional")) {
                    minNotional = minNotional.max(decimal(filter.get("minNotional")));
                }
                if (filter.path("applyMaxToMarket").asBoolean(false) && filter.has("maxNotional")) {
                    maxNotional = decimal(filter.get("maxNotional"));
                }
            }
            if (!type.equals("LOT_SIZE") && !type.equals("MARKET_LOT_SIZE")) {
                continue;
            }
            minQty = minQty.max(decimal(filter.get("minQty")));
            BigDecimal max = decimal(filter.get("maxQty"));
            if (max.signum() > 0 && (maxQty.signum() == 0 || max.compareTo(maxQty) < 0)) {
                maxQty = max;
            }
            stepSize = stepSize.max(decimal(filter.get("stepSize")));
        }
        return new SymbolRules(info.path("baseAsset").asString(""), info.path("quoteAsset").asString(""), minQty,
                maxQty, stepSize, tickSize, minNotional, maxNotional);
    }

    private Answer send(String method, String path, String query, ApiCredentials credentials) {
        Instant now = clock.instant();
        if (hold.holds(now)) {
            throw new Exchange.Busy("Binance request limit: requests wait until " + hold.until(), hold.until());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.baseUrl() + path + "?" + query))
            .timeout(settings.timeout())
            .method(method, HttpRequest.BodyPublishers.noBody());
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
        if (response.statusCode() == 429 || response.statusCode() == 418) {
            throw new Exchange.Busy("Binance asked to wait (HTTP " + response.statusCode() + ") until " + hold.until(),
                    hold.until());
        }
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
            hold.hold(now, now.plusSeconds(RetryAfter.seconds(response, 60)));
            return;
        }
        response.headers()
            .firstValue("X-MBX-USED-WEIGHT-1M")
            .map(Integer::parseInt)
            .filter(used -> used >= settings.maxUsedWeight())
            .ifPresent(used -> hold.hold(now, now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES)));
    }

    private static String query(Map<String, String> params) {
        return params.entrySet()
            .stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    }

    private static List<Exchange.Level> levels(JsonNode side) {
        List<Exchange.Level> levels = new ArrayList<>();
        for (JsonNode level : side) {
            levels.add(new Exchange.Level(decimal(level.get(0)), decimal(level.get(1))));
        }
        return levels;
    }

    private static BigDecimal decimal(JsonNode node) {
        return new BigDecimal(node.asString());
    }

    private static String plain(BigDecimal value) {
        return value == null ? "none" : Money.plain(value).toPlainString();
    }

}
