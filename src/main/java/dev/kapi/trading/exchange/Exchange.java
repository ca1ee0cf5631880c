package dev.kapi.trading.exchange;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Side;

/**
 * A spot exchange as the runner sees it: closed candles, the order book, a symbol's
 * rules, the account's balances, market and limit orders that carry a client order id, a
 * lookup by that id for an order whose outcome is unknown, and the state and cancel of a
 * limit order. The paper exchange, Binance and BtcTurk implement it; {@link Exchanges}
 * picks one for a bot. Market data needs no key; balances and orders need the exchange as
 * one key sees it.
 */
public interface Exchange {

    /** Which exchange this is (the paper exchange answers the one it stands in for). */
    ExchangeName name();

    /** The symbol's rules: assets, step and tick sizes, order value bounds. */
    SymbolRules rules(String symbol);

    /**
     * The order book's best {@code limit} levels on each side; empty when this exchange
     * gives none (the paper exchange).
     */
    Optional<OrderBook> depth(String symbol, int limit);

    /** The account's balances, those not zero. */
    List<Balance> balances();

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
     * {@link #lookUp(String, String)} of an order placed at {@code since} or later. An
     * exchange that finds orders by id ignores the time; one that searches the account's
     * orders (BtcTurk) searches from then, however long ago, rather than over a fixed
     * recent window.
     */
    default Optional<Fill> lookUp(String symbol, String clientOrderId, Instant since) {
        return lookUp(symbol, clientOrderId);
    }

    /**
     * Places a good-till-cancelled limit order and answers its state right after (it may
     * have filled in part or in full already). Throws as {@link #place(MarketOrder)}
     * does.
     */
    OrderState place(LimitOrder order);

    /**
     * The state of the order placed with this client order id; empty when the exchange
     * has no such order.
     */
    Optional<OrderState> order(String symbol, String clientOrderId);

    /**
     * {@link #order(String, String)} of an order placed at {@code since} or later (see
     * {@link #lookUp(String, String, Instant)}).
     */
    default Optional<OrderState> order(String symbol, String clientOrderId, Instant since) {
        return order(symbol, clientOrderId);
    }

    /**
     * Cancels the order and answers its final state: what filled before the cancel stays
     * filled. An order already done (filled, cancelled) answers as it stands.
     */
    OrderState cancel(String symbol, String clientOrderId);

    /**
     * {@link #cancel(String, String)} of an order placed at {@code since} or later (see
     * {@link #lookUp(String, String, Instant)}).
     */
    default OrderState cancel(String symbol, String clientOrderId, Instant since) {
        return cancel(symbol, clientOrderId);
    }

    /**
     * A market order: a buy spends {@code quoteAmount}, a sell sells {@code quantity}.
     * The reference price is the close of the candle that decided it; only the paper
     * exchange fills at it.
     */
    record MarketOrder(String clientOrderId, String symbol, Side side, BigDecimal quoteAmount, BigDecimal quantity,
            BigDecimal referencePrice, Instant at) {
    }

    /**
     * A limit order of {@code quantity} at {@code price}, both already rounded to the
     * symbol's step and tick.
     */
    record LimitOrder(String clientOrderId, String symbol, Side side, BigDecimal price, BigDecimal quantity,
            Instant at) {
    }

    /**
     * An order's state: whether it still stands on the book, whether it ended cancelled
     * (or expired, or rejected) rather than filled, and what it filled so far (all its
     * fills together; null when none).
     */
    record OrderState(String clientOrderId, boolean open, boolean canceled, Fill filled) {
    }

    /**
     * What an order did: average price, quantity, fee in the quote currency, and when.
     * {@code priceSource}: where a paper fill's price came from ({@code order_book} or
     * {@code close}); null for an exchange's own fill.
     */
    record Fill(String clientOrderId, BigDecimal price, BigDecimal quantity, BigDecimal fee, Instant executedAt,
            String priceSource) {

        public Fill(String clientOrderId, BigDecimal price, BigDecimal quantity, BigDecimal fee, Instant executedAt) {
            this(clientOrderId, price, quantity, fee, executedAt, null);
        }

    }

    /** Bids best (highest) first and asks best (lowest) first. */
    record OrderBook(List<Level> bids, List<Level> asks) {
    }

    /** One price level of the book. */
    record Level(BigDecimal price, BigDecimal quantity) {
    }

    /** An asset's balance: free to trade, and locked in open orders. */
    record Balance(String asset, BigDecimal free, BigDecimal locked) {
    }

    /** The exchange refused or failed a request, and no order was placed. */
    class ExchangeException extends RuntimeException {

        public ExchangeException(String message) {
            super(message);
        }

    }

    /** The exchange does not know the symbol (Binance's -1121 "Invalid symbol."). */
    final class UnknownSymbol extends ExchangeException {

        public UnknownSymbol(String message) {
            super(message);
        }

    }

    /**
     * The exchange asked Kapı to wait (a 429 or 418, or the used weight near its limit):
     * no request goes to it before {@code until}.
     */
    final class Busy extends ExchangeException {

        private final Instant until;

        public Busy(String message, Instant until) {
            super(message);
            this.until = until;
        }

        public Instant until() {
            return until;
        }

    }

    /** An order request got no clear answer: the order may exist. */
    final class UncertainOrder extends ExchangeException {

        public UncertainOrder(String message) {
            super(message);
        }

    }

    // Protective orders (stop_on_exchange): added after the interface's other methods.

    /**
     * Places a stop-limit sell, with its take-profit as the other leg of an OCO list when
     * {@link StopOrder#targetPrice()} is given (only where {@link ExchangeName#oco()}).
     * Throws {@link UncertainOrder} when it may or may not exist (then look its legs up),
     * {@link StopWouldTrigger} when the price is already past the stop, and
     * {@link ExchangeException} when it surely was not placed.
     */
    default void placeStop(StopOrder order) {
        throw new ExchangeException(name().wire() + " takes no stop orders from Kapı");
    }

    /** A leg of a stop placed earlier, as the exchange has it now. */
    default LegState stopLeg(String symbol, String clientOrderId) {
        throw new ExchangeException(name().wire() + " takes no stop orders from Kapı");
    }

    /**
     * {@link #stopLeg(String, String)} of a stop placed at {@code since} or later (see
     * {@link #lookUp(String, String, Instant)}).
     */
    default LegState stopLeg(String symbol, String clientOrderId, Instant since) {
        return stopLeg(symbol, clientOrderId);
    }

    /**
     * Cancels the stop (the whole list of an OCO); an order no longer open (filled,
     * canceled, unknown) is no failure: its legs say what it did.
     */
    default void cancelStop(StopOrder order) {
        throw new ExchangeException(name().wire() + " takes no stop orders from Kapı");
    }

    /**
     * Moves a stop: {@code next} replaces {@code current}. Throws {@link StopGone} when
     * {@code current} could not be canceled (it filled or went meanwhile: nothing new was
     * placed).
     */
    default void replaceStop(StopOrder current, StopOrder next) {
        try {
            cancelStop(current);
        }
        catch (UncertainOrder ex) {
            throw ex;
        }
        LegState stop = stopLeg(current.symbol(), current.stopClientOrderId());
        if (stop.status() == LegStatus.FILLED || stop.executedQuantity().signum() > 0) {
            throw new StopGone("The stop " + current.clientOrderId() + " filled before it could be moved");
        }
        placeStop(next);
    }

    /**
     * A protective sell of {@code quantity}: the stop leg triggers at {@code stopPrice}
     * and sells at {@code limitPrice} or better; the take-profit leg (a limit maker
     * order, OCO only) sells at {@code targetPrice}. {@code clientOrderId} is the list's
     * (the stop's own when there is no target).
     */
    record StopOrder(String clientOrderId, String stopClientOrderId, String targetClientOrderId, String symbol,
            BigDecimal quantity, BigDecimal stopPrice, BigDecimal limitPrice, BigDecimal targetPrice) {

        public boolean oco() {
            return targetPrice != null;
        }
    }

    /** A protective order's leg on the exchange: its state and what of it executed. */
    record LegState(String clientOrderId, LegStatus status, BigDecimal executedQuantity) {
    }

    /**
     * Where a leg stands: working ({@code OPEN}, a part may have executed), done
     * ({@code FILLED}), gone unfilled or partly filled ({@code CANCELED}: canceled,
     * expired, rejected), or unknown to the exchange ({@code ABSENT}).
     */
    enum LegStatus {

        OPEN, FILLED, CANCELED, ABSENT

    }

    /** The exchange refused a stop because the price is already past it. */
    final class StopWouldTrigger extends ExchangeException {

        public StopWouldTrigger(String message) {
            super(message);
        }

    }

    /** A stop could not be moved: it filled or went before the move. */
    final class StopGone extends ExchangeException {

        public StopGone(String message) {
            super(message);
        }

    }

}
