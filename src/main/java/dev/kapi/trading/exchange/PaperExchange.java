package dev.kapi.trading.exchange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.GeneratedPrices;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;

/**
 * The default exchange: no money moves. Its own candles are {@link GeneratedPrices}'; a
 * paper bot's prices come from its feed ({@link PriceFeeds}). Orders fill at once at the
 * deciding candle's close, moved against the trader by the slippage setting, with the fee
 * setting charged in the quote currency. A paper order that was not recorded as a trade
 * never happened, so a lookup finds nothing.
 */
@Component
public final class PaperExchange implements Exchange {

    private static final int QUANTITY_SCALE = 8;

    private final Candles store;

    private final TradingSettings.Paper settings;

    PaperExchange(Candles store, TradingSettings settings) {
        this.store = store;
        this.settings = settings.paper();
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

    /** The paper fill of an order, also used by backtests. */
    public static Fill fill(MarketOrder order, TradingSettings.Paper settings) {
        BigDecimal slip = order.side() == Side.BUY ? BigDecimal.ONE.add(settings.slippage())
                : BigDecimal.ONE.subtract(settings.slippage());
        BigDecimal price = order.referencePrice().multiply(slip);
        BigDecimal quantity = order.side() == Side.BUY
                ? order.quoteAmount().divide(price, QUANTITY_SCALE, RoundingMode.DOWN) : order.quantity();
        BigDecimal fee = Money.round(price.multiply(quantity).multiply(settings.feeRate()));
        return new Fill(order.clientOrderId(), price, quantity, fee, order.at());
    }

    /**
     * Records Binance candles in the shared store, replacing any at the same times: what
     * {@code live} and {@code replay} bots then trade.
     */
    public void record(String symbol, CandleInterval interval, List<Candle> candles) {
        store.write(ExchangeName.BINANCE, symbol, interval, candles);
    }

}
