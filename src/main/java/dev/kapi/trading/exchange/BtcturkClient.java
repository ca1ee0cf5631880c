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
import java.util.ArrayList;
import java.util.Base64;
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
 * BtcTurk's REST API, written by hand rather than through XChange's
 * {@code xchange-btcturk}: that module stops at 5.2.1 on Maven Central, calls BtcTurk's
 * legacy v1 routes of 2019, sends no client order id (so an order without a clear answer
 * could not be looked up before it is sent again) and brings about 6 MB of Jackson 2,
 * rescu and Guava beside Boot's Jackson 3. This client is shaped like
 * {@link BinanceClient}: public data from {@code /api/v2} (exchange info, order book) and
 * the graph API (candles, {@code /v1/klines/history}); signed requests to {@code /api/v1}
 * with {@code X-PCK} (the key), {@code X-Stamp} (milliseconds) and {@code X-Signature},
 * the base64 HMAC-SHA256 of key and stamp under the base64-decoded secret. A 429 stops
 * every request for its {@code Retry-After}.
 * <p>
 * A market order carries {@code newOrderClientId}; BtcTurk answers only its id, so its
 * fill is read from the account's trades of that order
 * ({@code users/transactions/trade}), fee and tax counted in the quote currency. A market
 * buy's {@code quantity} is the quote amount to spend (BtcTurk's market buy is by total);
 * a sell's is the base quantity rounded down to the pair's scale. After a 5xx or a
 * timeout the order is looked up by its client id among the pair's orders of the last day
 * ({@code allOrders}), BtcTurk having no lookup by client id, and sent again only if it
 * is not there. An order Kapı stored earlier (a stop, a limit order, a pending order) is
 * looked up from when it was placed, less {@link #SINCE_MARGIN}, however long ago, in
 * pages of {@link #PAGE_LIMIT} up to {@link #MAX_PAGES}: a stop that filled over a
 * weekend while every instance was down is still found.
 */
@Component
final class BtcturkClient {

    static final Duration RULES_TTL = Duration.ofHours(1);

    static final Duration LOOKUP_WINDOW = Duration.ofDays(1);

    /** How far before an order's stored creation time its lookup starts (clock skew). */
    static final Duration SINCE_MARGIN = Duration.ofMinutes(5);

    /** BtcTurk's largest page of orders, and the size of a trades answer that is full. */
    static final int PAGE_LIMIT = 1000;

    /** The most pages one lookup reads of orders, and of trades. */
    static final int MAX_PAGES = 10;

    private static final long DEFAULT_WAIT_SECONDS = 10;

    /**
     * BtcTurk's refusal of a stop sell whose stop is not below the market price
     * (Binance's "would trigger immediately").
     */
    static final String STOP_BELOW_MARKET = "STOP_PRICE_LESS_THAN_MARKET";

    /** The statuses of an order still on the book. */
    private static final java.util.Set<String> OPEN_STATUSES = java.util.Set.of("Untouched", "Partial");

    private final HttpClient http;

    private final JsonMapper json;

    private final TradingSettings.Btcturk settings;

    private final Clock clock;

    private final Cache<String, SymbolRules> cachedRules;

    private final RequestHold hold = new RequestHold();

    BtcturkClient(TradingSettings settings, JsonMapper json, Clock clock) {
        this.settings = settings.btcturk();
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

    /** Market data only; balances and orders need {@link #as}. */
    Exchange publicData() {
        return new Account(null);
    }

    /** Until when requests are held back (a 429). */
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
            return ExchangeName.BTCTURK;
        }

        @Override
        public SymbolRules rules(String symbol) {
            return BtcturkClient.this.rules(symbol);
        }

        /**
         * The graph API's candles between the first wanted and {@code lastOpen}, in
         * seconds; BtcTurk answers columns ({@code t, o, h, l, c, v}).
         */
        @Override
        public List<Candle> candles(String symbol, CandleInterval interval, Instant lastOpen, int limit) {
            int resolution = resolution(interval);
            Instant from = lastOpen.minus(interval.length().multipliedBy(Math.max(0, limit - 1)));
            Map<String, String> params = new LinkedHashMap<>();
            params.put("symbol", symbol);
            params.put("resolution", Integer.toString(resolution));
            params.put("from", Long.toString(from.getEpochSecond()));
            params.put("to", Long.toString(lastOpen.getEpochSecond()));
            Answer answer = send("GET", settings.graphUrl(), "/v1/klines/history", query(params), null, null);
            if (!answer.ok() || answer.body() == null) {
                throw answer.failure("candles of " + symbol);
            }
            JsonNode body = answer.body();
            List<Candle> candles = new ArrayList<>();
            if (!"ok".equals(body.path("s").asString(""))) {
                return candles;
            }
            JsonNode times = body.path("t");
            for (int i = 0; i < times.size(); i++) {
                Instant open = Instant.ofEpochSecond(times.get(i).asLong());
                if (open.isAfter(lastOpen) || open.isBefore(from)) {
                    continue;
                }
                candles.add(new Candle(open, decimal(body.path("o").get(i)), decimal(body.path("h").get(i)),
                        decimal(body.path("l").get(i)), decimal(body.path("c").get(i)),
                        decimal(body.path("v").get(i))));
            }
            return candles.size() <= limit ? candles : candles.subList(candles.size() - limit, candles.size());
        }

        @Override
        public Optional<OrderBook> depth(String symbol, int limit) {
            Map<String, String> params = new LinkedHashMap<>();
            params.put("pairSymbol", symbol);
            params.put("limit", Integer.toString(Math.clamp(limit, 1, 1000)));
            Answer answer = send("GET", settings.baseUrl(), "/api/v2/orderbook", query(params), null, null);
            if (!answer.ok() || answer.body() == null) {
                throw answer.failure("order book of " + symbol);
            }
            JsonNode data = answer.body().path("data");
            return Optional.of(new OrderBook(levels(data.path("bids")), levels(data.path("asks"))));
        }

        @Override
        public List<Balance> balances() {
            Answer answer = send("GET", settings.baseUrl(), "/api/v1/users/balances", "", null, credentials());
            if (!answer.ok() || answer.body() == null) {
                throw answer.failure("account balances");
            }
            List<Balance> balances = new ArrayList<>();
            for (JsonNode balance : answer.body().path("data")) {
                BigDecimal free = decimal(balance.get("free"));
                BigDecimal locked = decimal(balance.get("locked"));
                if (free.signum() != 0 || locked.signum() != 0) {
                    balances.add(new Balance(balance.path("asset").asString(""), free, locked));
                }
            }
            return balances;
        }

        @Override
        public Fill place(MarketOrder order) {
            SymbolRules symbolRules = rules(order.symbol());
            Map<String, Object> body = order.side() == Side.SELL ? sellable(order, symbolRules)
                    : buyable(order, symbolRules);
            Answer answer = send("POST", settings.baseUrl(), "/api/v1/order", "", body, credentials());
            if (answer.uncertain()) {
                Optional<Long> found = orderIdAfterNoAnswer(order.symbol(), order.clientOrderId());
                if (found.isPresent()) {
                    return fillOf(found.get(), order.clientOrderId(), order.side(), symbolRules, recent())
                        .orElseThrow(() -> new UncertainOrder(
                                "BtcTurk has order " + order.clientOrderId() + " but no trade of it yet"));
                }
                answer = send("POST", settings.baseUrl(), "/api/v1/order", "", body, credentials());
                if (answer.uncertain()) {
                    throw new UncertainOrder("BtcTurk gave no clear answer to order " + order.clientOrderId()
                            + " (HTTP " + answer.status() + ")");
                }
            }
            if (!answer.ok() || answer.body() == null || !answer.body().path("success").asBoolean(false)) {
                throw answer.failure("order " + order.clientOrderId());
            }
            long id = answer.body().path("data").path("id").asLong();
            // A market order fills at once; until its trades can be read, it stays
            // pending
            // and the next run looks it up.
            return fillOf(id, order.clientOrderId(), order.side(), symbolRules, recent())
                .orElseThrow(() -> new UncertainOrder(
                        "BtcTurk took order " + order.clientOrderId() + " but shows no trade of it yet"));
        }

        @Override
        public Optional<Fill> lookUp(String symbol, String clientOrderId) {
            return lookUp(symbol, clientOrderId, recent());
        }

        @Override
        public Optional<Fill> lookUp(String symbol, String clientOrderId, Instant since) {
            Optional<Long> id = find(symbol, clientOrderId, since).map(order -> order.path("id").asLong());
            if (id.isEmpty()) {
                return Optional.empty();
            }
            SymbolRules symbolRules = rules(symbol);
            return fillOf(id.get(), clientOrderId, null, symbolRules, since);
        }

        private Optional<Long> orderIdAfterNoAnswer(String symbol, String clientOrderId) {
            try {
                return orderId(symbol, clientOrderId);
            }
            catch (UncertainOrder ex) {
                throw ex;
            }
            catch (ExchangeException ex) {
                throw new UncertainOrder(
                        "Order " + clientOrderId + " got no clear answer and its lookup failed: " + ex.getMessage());
            }
        }

        /** {@code GET /api/v1/allOrders} of the pair over the last day, by client id. */
        private Optional<Long> orderId(String symbol, String clientOrderId) {
            return find(symbol, clientOrderId, recent()).map(order -> order.path("id").asLong());
        }

        /**
         * The order with this client id among the pair's orders from {@code since} less
         * the margin ({@code GET /api/v1/allOrders}), page after page while a page is
         * full, at most {@link #MAX_PAGES}.
         */
        private Optional<JsonNode> find(String symbol, String clientOrderId, Instant since) {
            for (int page = 1; page <= MAX_PAGES; page++) {
                Map<String, String> params = new LinkedHashMap<>();
                params.put("pairSymbol", symbol);
                params.put("startTime", Long.toString(since.minus(SINCE_MARGIN).toEpochMilli()));
                params.put("page", Integer.toString(page));
                params.put("limit", Integer.toString(PAGE_LIMIT));
                Answer answer = send("GET", settings.baseUrl(), "/api/v1/allOrders", query(params), null,
                        credentials());
                if (answer.uncertain()) {
                    throw new UncertainOrder("BtcTurk gave no clear answer looking up " + clientOrderId);
                }
                if (!answer.ok() || answer.body() == null) {
                    throw answer.failure("lookup of " + clientOrderId);
                }
                JsonNode data = answer.body().path("data");
                for (JsonNode order : data) {
                    if (clientOrderId.equals(order.path("orderClientId").asString(""))) {
                        return Optional.of(order);
                    }
                }
                if (data.size() < PAGE_LIMIT) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }

        /** Where a lookup starts without a stored placement time: the last day. */
        private Instant recent() {
            return clock.instant().minus(LOOKUP_WINDOW).plus(SINCE_MARGIN);
        }

        /**
         * The order among the pair's orders of the last day ({@code allOrders}); its
         * fills from the account's trades of it unless it is {@code Untouched}.
         */
        @Override
        public Optional<OrderState> order(String symbol, String clientOrderId) {
            return order(symbol, clientOrderId, recent());
        }

        @Override
        public Optional<OrderState> order(String symbol, String clientOrderId, Instant since) {
            Optional<JsonNode> found = find(symbol, clientOrderId, since);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            String status = found.get().path("status").asString("");
            boolean open = OPEN_STATUSES.contains(status);
            Fill filled = "Untouched".equals(status) ? null
                    : fillOf(found.get().path("id").asLong(), clientOrderId, null, rules(symbol), since).orElse(null);
            return Optional.of(new OrderState(clientOrderId, open, "Canceled".equals(status), filled));
        }

        /**
         * {@code POST /api/v1/order} with {@code orderMethod: limit}. BtcTurk answers
         * only the order's id, so the order counts as open with nothing filled until it
         * is read again ({@link #order}).
         */
        @Override
        public OrderState place(LimitOrder order) {
            SymbolRules symbolRules = rules(order.symbol());
            BigDecimal quantity = symbolRules.floor(order.quantity());
            if (order.side() == Side.SELL) {
                BigDecimal free = balances().stream()
                    .filter(balance -> balance.asset().equals(symbolRules.baseAsset()))
                    .map(Balance::free)
                    .findFirst()
                    .orElse(BigDecimal.ZERO);
                quantity = symbolRules.floor(quantity.min(free));
            }
            BigDecimal value = quantity.multiply(order.price());
            if (quantity.signum() <= 0
                    || (symbolRules.minNotional().signum() > 0 && value.compareTo(symbolRules.minNotional()) < 0)) {
                throw new ExchangeException("Cannot " + order.side().wire() + " " + plain(quantity) + " "
                        + order.symbol() + " at " + plain(order.price()) + " on BtcTurk: below the minimum order value "
                        + plain(symbolRules.minNotional()));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("quantity", Money.plain(quantity).toPlainString());
            body.put("price", Money.plain(order.price()).toPlainString());
            body.put("newOrderClientId", order.clientOrderId());
            body.put("orderMethod", "limit");
            body.put("orderType", order.side() == Side.BUY ? "buy" : "sell");
            body.put("pairSymbol", order.symbol());
            Answer answer = send("POST", settings.baseUrl(), "/api/v1/order", "", body, credentials());
            if (answer.uncertain()) {
                Optional<Long> found = orderIdAfterNoAnswer(order.symbol(), order.clientOrderId());
                if (found.isPresent()) {
                    return new OrderState(order.clientOrderId(), true, false, null);
                }
                answer = send("POST", settings.baseUrl(), "/api/v1/order", "", body, credentials());
                if (answer.uncertain()) {
                    throw new UncertainOrder("BtcTurk gave no clear answer to order " + order.clientOrderId()
                            + " (HTTP " + answer.status() + ")");
                }
            }
            if (!answer.ok() || answer.body() == null || !answer.body().path("success").asBoolean(false)) {
                throw answer.failure("order " + order.clientOrderId());
            }
            return new OrderState(order.clientOrderId(), true, false, null);
        }

        /**
         * {@code DELETE /api/v1/order?id=}; then the order is done, and what filled is
         * read from its trades. An order BtcTurk refuses to cancel (filled meanwhile) is
         * read as it stands.
         */
        @Override
        public OrderState cancel(String symbol, String clientOrderId) {
            return cancel(symbol, clientOrderId, recent());
        }

        @Override
        public OrderState cancel(String symbol, String clientOrderId, Instant since) {
            Optional<JsonNode> found = find(symbol, clientOrderId, since);
            if (found.isEmpty()) {
                return new OrderState(clientOrderId, false, true, null);
            }
            long id = found.get().path("id").asLong();
            Answer answer = send("DELETE", settings.baseUrl(), "/api/v1/order", "id=" + id, null, credentials());
            if (answer.uncertain()) {
                throw new UncertainOrder("BtcTurk gave no clear answer cancelling " + clientOrderId);
            }
            if (answer.ok() && answer.body() != null && answer.body().path("success").asBoolean(false)) {
                return new OrderState(clientOrderId, false, true,
                        fillOf(id, clientOrderId, null, rules(symbol), since).orElse(null));
            }
            return order(symbol, clientOrderId, since).orElse(new OrderState(clientOrderId, false, true, null));
        }

        /**
         * {@code POST /api/v1/order} with {@code orderMethod: stoplimit}: a sell of the
         * quantity at {@code price} or better once the price falls to {@code stopPrice}.
         * BtcTurk has no OCO, so a stop stands alone.
         */
        @Override
        public void placeStop(StopOrder order) {
            if (order.oco()) {
                throw new ExchangeException("BtcTurk has no OCO orders");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("quantity", Money.plain(rules(order.symbol()).floor(order.quantity())).toPlainString());
            body.put("price", Money.plain(order.limitPrice()).toPlainString());
            body.put("stopPrice", Money.plain(order.stopPrice()).toPlainString());
            body.put("newOrderClientId", order.clientOrderId());
            body.put("orderMethod", "stoplimit");
            body.put("orderType", "sell");
            body.put("pairSymbol", order.symbol());
            Answer answer = send("POST", settings.baseUrl(), "/api/v1/order", "", body, credentials());
            if (answer.uncertain()) {
                throw new UncertainOrder("BtcTurk gave no clear answer to stop " + order.clientOrderId() + " (HTTP "
                        + answer.status() + ")");
            }
            if (!answer.ok() || answer.body() == null || !answer.body().path("success").asBoolean(false)) {
                if (answer.body() != null && answer.body().toString().contains(STOP_BELOW_MARKET)) {
                    throw new StopWouldTrigger("BtcTurk refused stop " + order.clientOrderId()
                            + ": the price is already below its stop " + plain(order.stopPrice()));
                }
                throw answer.failure("stop " + order.clientOrderId());
            }
        }

        /**
         * A stop's leg: open while {@code GET /api/v1/openOrders} lists it (however old);
         * else as the pair's orders of the last day ({@code allOrders}) show it:
         * {@code Closed} filled, {@code Canceled} canceled; absent when neither has it.
         */
        @Override
        public LegState stopLeg(String symbol, String clientOrderId) {
            return stopLeg(symbol, clientOrderId, recent());
        }

        @Override
        public LegState stopLeg(String symbol, String clientOrderId, Instant since) {
            Optional<JsonNode> open = openOrder(symbol, clientOrderId);
            if (open.isPresent()) {
                return new LegState(clientOrderId, LegStatus.OPEN, executed(open.get()));
            }
            Optional<JsonNode> found = find(symbol, clientOrderId, since);
            if (found.isEmpty()) {
                return new LegState(clientOrderId, LegStatus.ABSENT, BigDecimal.ZERO);
            }
            String status = found.get().path("status").asString("");
            LegStatus leg = OPEN_STATUSES.contains(status) ? LegStatus.OPEN
                    : "Closed".equals(status) || "Filled".equals(status) ? LegStatus.FILLED : LegStatus.CANCELED;
            return new LegState(clientOrderId, leg, executed(found.get()));
        }

        /**
         * {@code DELETE /api/v1/order?id=} of the stop while it is open; a stop no longer
         * open is no failure (its leg says what it did), one still open after a refusal
         * is.
         */
        @Override
        public void cancelStop(StopOrder order) {
            Optional<JsonNode> open = openOrder(order.symbol(), order.stopClientOrderId());
            if (open.isEmpty()) {
                return;
            }
            long id = open.get().path("id").asLong();
            Answer answer = send("DELETE", settings.baseUrl(), "/api/v1/order", "id=" + id, null, credentials());
            if (answer.uncertain()) {
                throw new UncertainOrder("BtcTurk gave no clear answer cancelling stop " + order.clientOrderId());
            }
            if (!answer.ok() || answer.body() == null || !answer.body().path("success").asBoolean(false)) {
                if (openOrder(order.symbol(), order.stopClientOrderId()).isPresent()) {
                    throw answer.failure("cancel of stop " + order.clientOrderId());
                }
            }
        }

        /** The pair's open order with this client id ({@code GET /api/v1/openOrders}). */
        private Optional<JsonNode> openOrder(String symbol, String clientOrderId) {
            Answer answer = send("GET", settings.baseUrl(), "/api/v1/openOrders", query(Map.of("pairSymbol", symbol)),
                    null, credentials());
            if (answer.uncertain()) {
                throw new UncertainOrder("BtcTurk gave no clear answer listing the open orders of " + symbol);
            }
            if (!answer.ok() || answer.body() == null) {
                throw answer.failure("open orders of " + symbol);
            }
            for (String side : List.of("asks", "bids")) {
                for (JsonNode order : answer.body().path("data").path(side)) {
                    if (clientOrderId.equals(order.path("orderClientId").asString(""))) {
                        return Optional.of(order);
                    }
                }
            }
            return Optional.empty();
        }

        /** What of an order executed: its quantity less what is left of it. */
        private static BigDecimal executed(JsonNode order) {
            BigDecimal quantity = decimalOrZero(order.get("quantity"));
            BigDecimal left = decimalOrZero(order.get("leftAmount"));
            if ("Closed".equals(order.path("status").asString("")) && left.signum() == 0) {
                return quantity;
            }
            return quantity.subtract(left).max(BigDecimal.ZERO);
        }

        /**
         * The fill of order {@code id} from the account's trades of the pair since
         * {@code since} less the margin: quantities summed, the average price, fee and
         * tax (negative on BtcTurk) as the fee; empty when it has none. A buy's quantity
         * is rounded down to the pair's scale.
         */
        private Optional<Fill> fillOf(long id, String clientOrderId, Side side, SymbolRules symbolRules,
                Instant since) {
            BigDecimal quantity = BigDecimal.ZERO;
            BigDecimal quote = BigDecimal.ZERO;
            BigDecimal fee = BigDecimal.ZERO;
            Side filled = side;
            long last = 0;
            for (JsonNode trade : trades(clientOrderId, symbolRules, since)) {
                if (trade.path("orderId").asLong(-1) != id) {
                    continue;
                }
                BigDecimal amount = decimal(trade.get("amount")).abs();
                quantity = quantity.add(amount);
                quote = quote.add(amount.multiply(decimal(trade.get("price"))));
                fee = fee.add(decimal(trade.path("fee")).abs()).add(decimal(trade.path("tax")).abs());
                last = Math.max(last, trade.path("timestamp").asLong());
                if (filled == null) {
                    filled = "sell".equalsIgnoreCase(trade.path("orderType").asString("")) ? Side.SELL : Side.BUY;
                }
            }
            if (quantity.signum() == 0) {
                return Optional.empty();
            }
            BigDecimal price = quote.divide(quantity, Money.MATH);
            BigDecimal kept = filled == Side.BUY ? symbolRules.floor(quantity) : quantity;
            return Optional.of(new Fill(clientOrderId, price, kept, Money.round(fee), Instant.ofEpochMilli(last)));
        }

        /**
         * The account's trades of the pair from {@code since} less the margin
         * ({@code GET /api/v1/users/transactions/trade}), newest first: while an answer
         * is full, the next asks for those up to the oldest it held, at most
         * {@link #MAX_PAGES} answers; each trade once.
         */
        private List<JsonNode> trades(String clientOrderId, SymbolRules symbolRules, Instant since) {
            String pair = "type=buy&symbol=" + symbolRules.baseAsset().toLowerCase(java.util.Locale.ROOT)
                    + "&type=sell&symbol=" + symbolRules.quoteAsset().toLowerCase(java.util.Locale.ROOT) + "&startDate="
                    + since.minus(SINCE_MARGIN).toEpochMilli();
            Map<Long, JsonNode> seen = new LinkedHashMap<>();
            String end = "";
            for (int page = 0; page < MAX_PAGES; page++) {
                Answer answer = send("GET", settings.baseUrl(), "/api/v1/users/transactions/trade", pair + end, null,
                        credentials());
                if (!answer.ok() || answer.body() == null) {
                    throw new UncertainOrder(answer.failure("trades of order " + clientOrderId).getMessage());
                }
                JsonNode data = answer.body().path("data");
                long oldest = Long.MAX_VALUE;
                for (JsonNode trade : data) {
                    seen.putIfAbsent(trade.path("id").asLong(), trade);
                    oldest = Math.min(oldest, trade.path("timestamp").asLong());
                }
                if (data.size() < PAGE_LIMIT || oldest == Long.MAX_VALUE) {
                    break;
                }
                end = "&endDate=" + oldest;
            }
            return new ArrayList<>(seen.values());
        }

        /**
         * A market buy spends the quote amount, refused here below the minimum order
         * value.
         */
        private Map<String, Object> buyable(MarketOrder order, SymbolRules symbolRules) {
            BigDecimal amount = order.quoteAmount().setScale(quoteScale(symbolRules), RoundingMode.DOWN);
            minimum(order, amount, symbolRules);
            return body(order, amount);
        }

        /**
         * A market sell of the quantity rounded down to the scale, and never more than
         * the account holds free.
         */
        private Map<String, Object> sellable(MarketOrder order, SymbolRules symbolRules) {
            BigDecimal wanted = order.quantity() == null ? BigDecimal.ZERO : order.quantity();
            BigDecimal free = balances().stream()
                .filter(balance -> balance.asset().equals(symbolRules.baseAsset()))
                .map(Balance::free)
                .findFirst()
                .orElse(BigDecimal.ZERO);
            BigDecimal quantity = symbolRules.floor(wanted.min(free));
            if (quantity.signum() <= 0) {
                throw new ExchangeException("Cannot sell " + plain(order.quantity()) + " " + order.symbol()
                        + " on BtcTurk: rounded down to the step size " + plain(symbolRules.stepSize())
                        + " and capped at the free balance it is " + plain(quantity));
            }
            if (order.referencePrice() != null) {
                minimum(order, quantity.multiply(order.referencePrice()), symbolRules);
            }
            return body(order, quantity);
        }

        private void minimum(MarketOrder order, BigDecimal value, SymbolRules symbolRules) {
            if (symbolRules.minNotional().signum() > 0 && value.compareTo(symbolRules.minNotional()) < 0) {
                throw new ExchangeException(
                        "Cannot " + order.side().wire() + " " + order.symbol() + " for about " + plain(value)
                                + " on BtcTurk: below the minimum order value " + plain(symbolRules.minNotional()));
            }
        }

        private Map<String, Object> body(MarketOrder order, BigDecimal quantity) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("quantity", Money.plain(quantity).toPlainString());
            body.put("newOrderClientId", order.clientOrderId());
            body.put("orderMethod", "market");
            body.put("orderType", order.side() == Side.BUY ? "buy" : "sell");
            body.put("pairSymbol", order.symbol());
            return body;
        }

        private ApiCredentials credentials() {
            if (credentials == null) {
                throw new IllegalStateException("Orders and balances need an API key");
            }
            return credentials;
        }

    }

    /** BtcTurk's graph API resolution (minutes) of an interval it serves. */
    static int resolution(CandleInterval interval) {
        if (!ExchangeName.BTCTURK.offers(interval)) {
            throw new Exchange.ExchangeException("BtcTurk has no " + interval.code() + " candles");
        }
        return (int) interval.length().toMinutes();
    }

    /**
     * {@code X-Signature}: base64 HMAC-SHA256 of key and stamp under the decoded secret.
     */
    static String sign(String apiKey, long stamp, String secret) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret);
        }
        catch (IllegalArgumentException ex) {
            throw new Exchange.ExchangeException("The BtcTurk API secret is not base64, as BtcTurk issues it");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((apiKey + stamp).getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /**
     * The pair's rules, from the cache or from {@code GET /api/v2/server/exchangeinfo}.
     */
    SymbolRules rules(String symbol) {
        SymbolRules cached = cachedRules.getIfPresent(symbol);
        if (cached != null) {
            return cached;
        }
        Answer answer = send("GET", settings.baseUrl(), "/api/v2/server/exchangeinfo", "", null, null);
        if (!answer.ok() || answer.body() == null) {
            throw answer.failure("exchange info");
        }
        for (JsonNode pair : answer.body().path("data").path("symbols")) {
            BigDecimal tick = BigDecimal.ZERO;
            BigDecimal minValue = BigDecimal.ZERO;
            for (JsonNode filter : pair.path("filters")) {
                if ("PRICE_FILTER".equals(filter.path("filterType").asString(""))) {
                    tick = decimalOrZero(filter.get("tickSize"));
                    minValue = decimalOrZero(filter.get("minExchangeValue"));
                }
            }
            BigDecimal step = BigDecimal.ONE.movePointLeft(pair.path("numeratorScale").asInt(8));
            cachedRules.put(pair.path("name").asString(""),
                    new SymbolRules(pair.path("numerator").asString(""), pair.path("denominator").asString(""),
                            BigDecimal.ZERO, BigDecimal.ZERO, step, tick, minValue, BigDecimal.ZERO));
        }
        SymbolRules rules = cachedRules.getIfPresent(symbol);
        if (rules == null) {
            throw new Exchange.ExchangeException("BtcTurk has no pair " + symbol);
        }
        return rules;
    }

    private static int quoteScale(SymbolRules rules) {
        return rules.tickSize().signum() > 0 ? Math.max(2, rules.tickSize().stripTrailingZeros().scale()) : 8;
    }

    private record Answer(int status, JsonNode body) {

        boolean ok() {
            return status / 100 == 2;
        }

        boolean uncertain() {
            return status == 0 || status >= 500;
        }

        Exchange.ExchangeException failure(String what) {
            String detail = body != null && body.hasNonNull("message")
                    ? body.path("code").asString("") + " " + body.path("message").asString() : "HTTP " + status;
            return new Exchange.ExchangeException("BtcTurk refused the " + what + ": " + detail.strip());
        }
    }

    private Answer send(String method, URI base, String path, String query, Map<String, Object> body,
            ApiCredentials credentials) {
        Instant now = clock.instant();
        if (hold.holds(now)) {
            throw new Exchange.Busy("BtcTurk request limit: requests wait until " + hold.until(), hold.until());
        }
        String text = body == null ? null : json.writeValueAsString(body);
        HttpRequest.Builder request = HttpRequest
            .newBuilder(URI.create(base + path + (query.isEmpty() ? "" : "?" + query)))
            .timeout(settings.timeout())
            .method(method,
                    text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
        if (text != null) {
            request.header("Content-Type", "application/json");
        }
        if (credentials != null) {
            long stamp = clock.millis();
            request.header("X-PCK", credentials.apiKey())
                .header("X-Stamp", Long.toString(stamp))
                .header("X-Signature", sign(credentials.apiKey(), stamp, credentials.secret()));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException ex) {
            return new Answer(0, null);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return new Answer(0, null);
        }
        if (response.statusCode() == 429 || response.statusCode() == 418) {
            hold.hold(now, now.plusSeconds(RetryAfter.seconds(response, DEFAULT_WAIT_SECONDS)));
            throw new Exchange.Busy("BtcTurk asked to wait (HTTP " + response.statusCode() + ") until " + hold.until(),
                    hold.until());
        }
        JsonNode parsed = null;
        try {
            parsed = response.body().isBlank() ? null : json.readTree(response.body());
        }
        catch (RuntimeException ex) {
            // Not JSON (a proxy's error page): the status says enough.
        }
        return new Answer(response.statusCode(), parsed);
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
        if (node == null || node.isNull() || node.isMissingNode()) {
            return BigDecimal.ZERO;
        }
        return node.isNumber() ? node.decimalValue() : new BigDecimal(node.asString());
    }

    private static BigDecimal decimalOrZero(JsonNode node) {
        try {
            return decimal(node);
        }
        catch (NumberFormatException ex) {
            return BigDecimal.ZERO;
        }
    }

    private static String plain(BigDecimal value) {
        return value == null ? "none" : Money.plain(value).toPlainString();
    }

}
