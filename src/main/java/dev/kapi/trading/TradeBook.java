package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Decimals;

/**
 * Records trades into their book with FIFO realized PnL ({@link FifoBook}) and keeps the book's open lots
 * and its bot's position in step, in the caller's transaction. A book is locked while a trade goes in (the
 * bot's row, or for manual trades outside any bot an advisory lock on owner and symbol), so concurrent
 * trades of one book line up.
 */
@Component
class TradeBook {

    private final Trades trades;
    private final Bots bots;
    private final JdbcClient jdbc;
    private final Clock clock;

    TradeBook(Trades trades, Bots bots, JdbcClient jdbc, Clock clock) {
        this.trades = trades;
        this.bots = bots;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A trade to record; {@code realizedPnl} and {@code id} of the result are the book's. */
    record Entry(long ownerId, Long botId, String symbol, Side side, BigDecimal price, BigDecimal quantity,
            BigDecimal fee, String source, String clientOrderId, Instant executedAt) {
    }

    /** Locks the book; call before reading anything the trade depends on. */
    void lock(long ownerId, Long botId, String symbol) {
        if (botId != null) {
            bots.lock(botId);
        }
        else {
            jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
                    .param("key", "trading-book:" + ownerId + ":" + symbol).query((rs, row) -> 1).single();
        }
    }

    /** Records the trade; a sell of more than the book holds is a 400 naming {@code quantity}. */
    @Transactional
    Trade record(Entry entry) {
        // What is stored must fit numeric(38,18); a 400 naming the field, never a database error.
        Decimals.requireStorable(entry.quantity(), "quantity");
        Decimals.requireStorable(entry.price().multiply(entry.quantity()), "quantity");
        Decimals.requireStorable(entry.fee(), "fee");
        lock(entry.ownerId(), entry.botId(), entry.symbol());
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
        if (entry.botId() != null) {
            bots.setPosition(entry.botId(), FifoBook.quantity(open), FifoBook.cost(open), now);
        }
        return trade;
    }

    private Trade insert(Entry entry, BigDecimal realized, Instant now) {
        Trade trade = new Trade(0, entry.ownerId(), entry.botId(), entry.symbol(), entry.side(), entry.price(),
                entry.quantity(), entry.fee(), realized, entry.source(), entry.clientOrderId(), entry.executedAt());
        long id = trades.insert(trade, now);
        return new Trade(id, trade.ownerId(), trade.botId(), trade.symbol(), trade.side(), trade.price(),
                trade.quantity(), trade.fee(), realized, trade.source(), trade.clientOrderId(), trade.executedAt());
    }
}
