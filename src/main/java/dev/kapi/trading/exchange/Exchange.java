package dev.kapi.trading.exchange;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Side;

/**
 * A spot exchange as the runner sees it: closed candles, market orders that carry a
 * client order id, and a lookup by that id for an order whose outcome is unknown. The
 * paper exchange and Binance implement it.
 */
public interface Exchange {

    /**
     * Up to {@code limit} candles, oldest first, the newest of them opened at
     * {@code lastOpen} or before.
     */
    List<Candle> candles(String symbol, CandleInterval interval, Instant lastOpen, int limit);

    /**
     * Places a market order. Throws {@link UncertainOrder} when the exchange may or may
     * not have taken it (then look it up before trying again), and
     * {@link ExchangeException} when it surely did not.
     */
    Fill place(MarketOrder order);

    /**
     * The fill of an order placed earlier with this client order id; empty when the
     * exchange has no such order.
     */
    Optional<Fill> lookUp(String symbol, String clientOrderId);

    /**
     * A market order: a buy spends {@code quoteAmount}, a sell sells {@code quantity}.
     * The reference price is the close of the candle that decided it; only the paper
     * exchange fills at it.
     */
    record MarketOrder(String clientOrderId, String symbol, Side side, BigDecimal quoteAmount, BigDecimal quantity,
            BigDecimal referencePrice, Instant at) {
    }

    /**
     * What an order did: average price, quantity, fee in the quote currency, and when.
     */
    record Fill(String clientOrderId, BigDecimal price, BigDecimal quantity, BigDecimal fee, Instant executedAt) {
    }

    /** The exchange refused or failed a request, and no order was placed. */
    class ExchangeException extends RuntimeException {

        ExchangeException(String message) {
            super(message);
        }

    }

    /** An order request got no clear answer: the order may exist. */
    final class UncertainOrder extends ExchangeException {

        UncertainOrder(String message) {
            super(message);
        }

    }

}
