package dev.kapi.trading.exchange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.GeneratedPrices;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;

/**
 * The default exchange: no money moves. Its own candles are {@link GeneratedPrices}'; a
 * paper bot's prices come from its feed ({@link PriceFeeds}). Market orders fill at once:
 * a live-feed bot's from its exchange's order book ({@link #fromBook}), otherwise at the
 * deciding candle's close moved against the trader by the slippage setting; the fee
 * setting is charged in the quote currency. A paper order that was not recorded as a
 * trade never happened, so a lookup finds nothing.
 */
@Component
public final class PaperExchange implements Exchange {

    private static final int QUANTITY_SCALE = 8;

    static final String ORDER_BOOK = "order_book";

    static final String CLOSE = "close";

    static final Duration BOOK_TTL = Duration.ofSeconds(5);

    private final Candles store;

    private final TradingSettings.Paper settings;

    /**
     * Order books read in the last {@link #BOOK_TTL}, by exchange and symbol (an empty
     * one when it could not be read): the bots trading one symbol on one tick share a
     * request.
     */
    private final Cache<String, Optional<OrderBook>> books;

    PaperExchange(Candles store, TradingSettings settings, Clock clock) {
        this.store = store;
        this.settings = settings.paper();
        this.books = Caffeine.newBuilder()
            .expireAfterWrite(BOOK_TTL)
            .maximumSize(10_000)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .build();
    }

    @Override
    public ExchangeName name() {
        return ExchangeName.BINANCE;
    }

    /** Paper orders keep no exchange rules: no step, tick or minimum. */
    @Override
    public SymbolRules rules(String symbol) {
        return new SymbolRules("", "", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, BigDecimal.ZERO);
    }

    @Override
    public Optional<OrderBook> depth(String symbol, int limit) {
        return Optional.empty();
    }

    /** A paper bot's balance is its own starting balance, not an account's. */
    @Override
    public List<Balance> balances() {
        return List.of();
    }

    /** The seeded walk: a bot's own feed says where its candles come from. */
    @Override
    public List<Candle> candles(String symbol, CandleInterval interval, Instant lastOpen, int limit) {
        return GeneratedPrices.candles(symbol, interval, lastOpen, limit);
    }

    @Override
    public Fill place(MarketOrder order) {
        return fill(order, settings);
    }

    @Override
    public Optional<Fill> lookUp(String symbol, String clientOrderId) {
        return Optional.empty();
    }

    /**
     * A paper limit order rests: it fills when a later candle crosses its price
     * ({@link #crossed}), which the runner checks on each candle of the bot.
     */
    @Override
    public OrderState place(LimitOrder order) {
        return new OrderState(order.clientOrderId(), true, false, null);
    }

    /** Paper orders live only in Kapı's own table. */
    @Override
    public Optional<OrderState> order(String symbol, String clientOrderId) {
        return Optional.empty();
    }

    @Override
    public OrderState cancel(String symbol, String clientOrderId) {
        return new OrderState(clientOrderId, false, true, null);
    }

    /**
     * The fill of a resting paper limit order on a candle that opened after it was
     * placed: in full at its price when the candle's low reached a buy's price or its
     * high a sell's (freqtrade's "price crossed" rule, on candles); empty otherwise.
     */
    public static Optional<Fill> crossed(LimitOrder order, Candle candle, TradingSettings.Paper settings) {
        boolean crossed = order.side() == Side.BUY ? candle.low().compareTo(order.price()) <= 0
                : candle.high().compareTo(order.price()) >= 0;
        if (!crossed) {
            return Optional.empty();
        }
        BigDecimal fee = Money.round(order.price().multiply(order.quantity()).multiply(settings.feeRate()));
        return Optional.of(new Fill(order.clientOrderId(), order.price(), order.quantity(), fee, candle.openTime()));
    }

    /**
     * This paper exchange with its market orders filled from {@code market}'s order book
     * (a live-feed bot's exchange), when {@code paper.order-book} is on and the book can
     * be read; at the close otherwise.
     */
    Exchange onBookOf(Exchange market) {
        return settings.orderBook() ? new Booked(market) : this;
    }

    /**
     * The fill of a market order walked through the book, as freqtrade's dry run does: a
     * buy spends its quote amount on the asks from the best, a sell sells its quantity
     * into the bids; what the book's levels do not cover fills at the last level's price.
     * The average price is capped at {@code maxSlippage} from the reference close (a buy
     * at most that far above it, a sell at most that far below). Empty when the book has
     * no level on that side.
     */
    public static Optional<Fill> fromBook(MarketOrder order, OrderBook book, TradingSettings.Paper settings) {
        List<Level> levels = order.side() == Side.BUY ? book.asks() : book.bids();
        if (levels.isEmpty() || order.referencePrice() == null) {
            return Optional.empty();
        }
        BigDecimal left = order.side() == Side.BUY ? order.quoteAmount() : order.quantity();
        BigDecimal quantity = BigDecimal.ZERO;
        BigDecimal quote = BigDecimal.ZERO;
        BigDecimal last = levels.getFirst().price();
        for (Level level : levels) {
            if (left.signum() <= 0) {
                break;
            }
            last = level.price();
            BigDecimal take = order.side() == Side.BUY ? level.quantity().min(left.divide(level.price(), Money.MATH))
                    : level.quantity().min(left);
            quantity = quantity.add(take);
            quote = quote.add(take.multiply(level.price()));
            left = order.side() == Side.BUY ? left.subtract(take.multiply(level.price())) : left.subtract(take);
        }
        if (left.signum() > 0) {
            BigDecimal take = order.side() == Side.BUY ? left.divide(last, Money.MATH) : left;
            quantity = quantity.add(take);
            quote = quote.add(take.multiply(last));
        }
        BigDecimal price = quote.divide(quantity, Money.MATH);
        BigDecimal cap = order.referencePrice()
            .multiply(order.side() == Side.BUY ? BigDecimal.ONE.add(settings.maxSlippage())
                    : BigDecimal.ONE.subtract(settings.maxSlippage()));
        price = Money.round(order.side() == Side.BUY ? price.min(cap) : price.max(cap));
        BigDecimal filled = order.side() == Side.BUY
                ? order.quoteAmount().divide(price, QUANTITY_SCALE, RoundingMode.DOWN) : order.quantity();
        BigDecimal fee = Money.round(price.multiply(filled).multiply(settings.feeRate()));
        return Optional.of(new Fill(order.clientOrderId(), price, filled, fee, order.at(), ORDER_BOOK));
    }

    /** The paper exchange whose market orders fill from another exchange's book. */
    private final class Booked implements Exchange {

        private final Exchange market;

        Booked(Exchange market) {
            this.market = market;
        }

        @Override
        public ExchangeName name() {
            return market.name();
        }

        @Override
        public SymbolRules rules(String symbol) {
            return PaperExchange.this.rules(symbol);
        }

        @Override
        public Optional<OrderBook> depth(String symbol, int limit) {
            return market.depth(symbol, limit);
        }

        @Override
        public List<Balance> balances() {
            return List.of();
        }

        @Override
        public List<Candle> candles(String symbol, CandleInterval interval, Instant lastOpen, int limit) {
            return PaperExchange.this.candles(symbol, interval, lastOpen, limit);
        }

        /**
         * From the book when it can be read (one {@code depth} request per symbol every
         * few seconds), else at the close: an unreachable or busy exchange never fails a
         * paper order.
         */
        @Override
        public Fill place(MarketOrder order) {
            Optional<OrderBook> book = books.get(market.name().wire() + ":" + order.symbol(), key -> {
                try {
                    return market.depth(order.symbol(), settings.depth());
                }
                catch (RuntimeException ex) {
                    return Optional.empty();
                }
            });
            return book.flatMap(levels -> fromBook(order, levels, settings)).orElseGet(() -> fill(order, settings));
        }

        @Override
        public Optional<Fill> lookUp(String symbol, String clientOrderId) {
            return Optional.empty();
        }

        @Override
        public OrderState place(LimitOrder order) {
            return PaperExchange.this.place(order);
        }

        @Override
        public Optional<OrderState> order(String symbol, String clientOrderId) {
            return Optional.empty();
        }

        @Override
        public OrderState cancel(String symbol, String clientOrderId) {
            return PaperExchange.this.cancel(symbol, clientOrderId);
        }

    }

    /** The paper fill of an order at the close, also used by backtests. */
    public static Fill fill(MarketOrder order, TradingSettings.Paper settings) {
        BigDecimal slip = order.side() == Side.BUY ? BigDecimal.ONE.add(settings.slippage())
                : BigDecimal.ONE.subtract(settings.slippage());
        BigDecimal price = order.referencePrice().multiply(slip);
        BigDecimal quantity = order.side() == Side.BUY
                ? order.quoteAmount().divide(price, QUANTITY_SCALE, RoundingMode.DOWN) : order.quantity();
        BigDecimal fee = Money.round(price.multiply(quantity).multiply(settings.feeRate()));
        return new Fill(order.clientOrderId(), price, quantity, fee, order.at(), CLOSE);
    }

    /**
     * Records Binance candles in the shared store, replacing any at the same times: what
     * {@code live} and {@code replay} bots then trade.
     */
    public void record(String symbol, CandleInterval interval, List<Candle> candles) {
        store.write(ExchangeName.BINANCE, symbol, interval, candles);
    }

}
