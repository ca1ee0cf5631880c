package dev.kapi.trading.trade;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Decimals;
import dev.kapi.trading.TradeExecuted;
import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.Bots;
import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;

/**
 * Records trades into their book with FIFO realized PnL ({@link FifoBook}) and keeps the
 * book's open lots and its bot's position in step, in the caller's transaction. A book is
 * locked while a trade goes in (the bot's row, or for manual trades outside any bot an
 * advisory lock on owner and symbol), so concurrent trades of one book line up. Every
 * trade recorded is published as {@link TradeExecuted}.
 */
@Component
public class TradeBook {

    private final Trades trades;

    private final Bots bots;

    private final JdbcClient jdbc;

    private final Clock clock;

    private final ApplicationEventPublisher events;

    TradeBook(Trades trades, Bots bots, JdbcClient jdbc, Clock clock, ApplicationEventPublisher events) {
        this.events = events;
        this.trades = trades;
        this.bots = bots;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * A trade to record; {@code realizedPnl} and {@code id} of the result are the book's.
     */
    public record Entry(long ownerId, Long botId, String symbol, Side side, BigDecimal price, BigDecimal quantity,
            BigDecimal fee, String source, String clientOrderId, Instant executedAt, ExitReason exitReason,
            String priceSource) {

        public Entry(long ownerId, Long botId, String symbol, Side side, BigDecimal price, BigDecimal quantity,
                BigDecimal fee, String source, String clientOrderId, Instant executedAt, ExitReason exitReason) {
            this(ownerId, botId, symbol, side, price, quantity, fee, source, clientOrderId, executedAt, exitReason,
                    null);
        }

        Entry(long ownerId, Long botId, String symbol, Side side, BigDecimal price, BigDecimal quantity, BigDecimal fee,
                String source, String clientOrderId, Instant executedAt) {
            this(ownerId, botId, symbol, side, price, quantity, fee, source, clientOrderId, executedAt, null, null);
        }
    }

    /** Locks the book; call before reading anything the trade depends on. */
    void lock(long ownerId, Long botId, String symbol) {
        if (botId != null) {
            bots.lock(botId);
        }
        else {
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "trading-book:" + ownerId + ":" + symbol)
                .query((rs, row) -> 1)
                .single();
        }
    }

    /**
     * Records the trade; a sell of more than the book holds is a 400 naming
     * {@code quantity}.
     */
    @Transactional
    public Trade record(Entry entry) {
        // What is stored must fit numeric(38,18); a 400 naming the field, never a
        // database error.
        Decimals.requireStorable(entry.quantity(), "quantity");
        Decimals.requireStorable(entry.price().multiply(entry.quantity()), "quantity");
        Decimals.requireStorable(entry.fee(), "fee");
        lock(entry.ownerId(), entry.botId(), entry.symbol());
        Bot bot = entry.botId() == null ? null : bots.lock(entry.botId()).orElseThrow();
        List<FifoBook.Lot> lots = trades.lots(entry.ownerId(), entry.botId(), entry.symbol());
        Instant now = clock.instant();
        Trade trade;
        List<FifoBook.Lot> open;
        if (entry.side() == Side.BUY) {
            trade = insert(entry, BigDecimal.ZERO, now);
            FifoBook.Lot lot = FifoBook.buy(trade.id(), entry.price(), entry.quantity(), entry.fee());
            trades.addLot(entry.ownerId(), entry.botId(), entry.symbol(), lot);
            open = new ArrayList<>(lots);
            open.add(lot);
        }
        else {
            FifoBook.Sale sale = FifoBook.sell(lots, entry.price(), entry.quantity(), entry.fee());
            if (sale == null) {
                throw ApiException.invalidField("quantity", "sell-exceeds-position",
                        Money.plain(FifoBook.quantity(lots)));
            }
            Decimals.requireStorable(sale.realizedPnl(), "quantity");
            trade = insert(entry, sale.realizedPnl(), now);
            trades.replaceLots(entry.ownerId(), entry.botId(), entry.symbol(), sale.remaining());
            open = sale.remaining();
        }
        Decimals.requireStorable(FifoBook.cost(open), "quantity");
        if (bot != null) {
            position(bot, entry.side(), entry.price(), entry.quantity(), open, trade.realizedPnl(), now);
        }
        events.publishEvent(new TradeExecuted(trade.id(), trade.botId(), trade.ownerId(), trade.symbol(),
                trade.side().wire(), Money.plain(trade.price()), Money.plain(trade.quantity()),
                Money.plain(trade.fee()), Money.plain(trade.realizedPnl()),
                trade.exitReason() == null ? null : trade.exitReason().wire(), trade.source(), trade.executedAt()));
        return trade;
    }

    /**
     * Adds a new fill of an order to the trade of its client order id ({@code delta}:
     * what filled since the last one recorded): the trade's quantity, fee and realized
     * PnL grow and its price becomes the average; the book's lots and the bot's position
     * follow as if the fill were a trade of its own. The order's first fill records the
     * trade (and publishes {@link TradeExecuted}, once per trade).
     */
    @Transactional
    public Trade grow(Entry delta) {
        Decimals.requireStorable(delta.quantity(), "quantity");
        lock(delta.ownerId(), delta.botId(), delta.symbol());
        Trade trade = trades.byClientOrderId(delta.clientOrderId()).orElse(null);
        if (trade == null) {
            return record(delta);
        }
        Bot bot = delta.botId() == null ? null : bots.lock(delta.botId()).orElseThrow();
        List<FifoBook.Lot> lots = trades.lots(delta.ownerId(), delta.botId(), delta.symbol());
        Instant now = clock.instant();
        BigDecimal quantity = trade.quantity().add(delta.quantity());
        BigDecimal price = Money.round(trade.price()
            .multiply(trade.quantity())
            .add(delta.price().multiply(delta.quantity()))
            .divide(quantity, Money.MATH));
        BigDecimal realized = BigDecimal.ZERO;
        List<FifoBook.Lot> open = new ArrayList<>();
        if (delta.side() == Side.BUY) {
            FifoBook.Lot added = FifoBook.buy(trade.id(), delta.price(), delta.quantity(), delta.fee());
            boolean merged = false;
            for (FifoBook.Lot lot : lots) {
                if (lot.tradeId() == trade.id()) {
                    open.add(new FifoBook.Lot(lot.tradeId(), lot.quantity().add(added.quantity()),
                            lot.cost().add(added.cost())));
                    merged = true;
                }
                else {
                    open.add(lot);
                }
            }
            if (!merged) {
                open.add(added);
            }
        }
        else {
            FifoBook.Sale sale = FifoBook.sell(lots, delta.price(), delta.quantity(), delta.fee());
            if (sale == null) {
                throw ApiException.invalidField("quantity", "sell-exceeds-position",
                        Money.plain(FifoBook.quantity(lots)));
            }
            realized = sale.realizedPnl();
            open = sale.remaining();
        }
        trades.replaceLots(delta.ownerId(), delta.botId(), delta.symbol(), open);
        Trade grown = new Trade(trade.id(), trade.ownerId(), trade.botId(), trade.symbol(), trade.side(), price,
                quantity, trade.fee().add(delta.fee()), trade.realizedPnl().add(realized), trade.source(),
                trade.clientOrderId(), delta.executedAt(), trade.exitReason(), trade.priceSource());
        trades.update(grown);
        if (bot != null) {
            position(bot, delta.side(), delta.price(), delta.quantity(), open, realized, now);
        }
        return grown;
    }

    private void position(Bot bot, Side side, BigDecimal price, BigDecimal traded, List<FifoBook.Lot> open,
            BigDecimal realized, Instant now) {
        BigDecimal quantity = FifoBook.quantity(open);
        BigDecimal entryPrice = null;
        BigDecimal highWater = null;
        if (quantity.signum() > 0 && side == Side.BUY) {
            entryPrice = bot.entryPrice() == null || !bot.inPosition() ? price
                    : Money.round(bot.positionQuantity()
                        .multiply(bot.entryPrice())
                        .add(traded.multiply(price))
                        .divide(quantity, Money.MATH));
            highWater = bot.inPosition() && bot.highWater() != null ? bot.highWater().max(price) : price;
        }
        else if (quantity.signum() > 0) {
            entryPrice = bot.entryPrice();
            highWater = bot.highWater();
        }
        bots.setPosition(bot.id(), quantity, FifoBook.cost(open), entryPrice, highWater, realized, now);
    }

    private Trade insert(Entry entry, BigDecimal realized, Instant now) {
        Trade trade = new Trade(0, entry.ownerId(), entry.botId(), entry.symbol(), entry.side(), entry.price(),
                entry.quantity(), entry.fee(), realized, entry.source(), entry.clientOrderId(), entry.executedAt(),
                entry.side() == Side.SELL ? entry.exitReason() : null, entry.priceSource());
        long id = trades.insert(trade, now);
        return new Trade(id, trade.ownerId(), trade.botId(), trade.symbol(), trade.side(), trade.price(),
                trade.quantity(), trade.fee(), realized, trade.source(), trade.clientOrderId(), trade.executedAt(),
                trade.exitReason(), trade.priceSource());
    }

}
