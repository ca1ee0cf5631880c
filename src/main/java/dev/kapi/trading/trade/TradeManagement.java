package dev.kapi.trading.trade;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Page;
import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.BotManagement;
import dev.kapi.trading.bot.Bots;
import dev.kapi.trading.market.Side;

/** Manual trades (seed 002), and trade lists with filters and keyset paging. */
@Service
class TradeManagement {

    private final TradeBook book;

    private final Trades trades;

    private final Bots bots;

    private final Clock clock;

    TradeManagement(TradeBook book, Trades trades, Bots bots, Clock clock) {
        this.book = book;
        this.trades = trades;
        this.bots = bots;
        this.clock = clock;
    }

    /** A manual trade as a request gave it. */
    record ManualTrade(Long botId, String symbol, Side side, BigDecimal price, BigDecimal quantity, BigDecimal fee,
            Instant executedAt) {
    }

    /**
     * Records a trade made by hand: into a bot's book (its symbol), or the owner's own
     * book for the symbol. Its time defaults to now and may not be in the future or
     * before the book's last trade.
     */
    @Transactional
    Trade record(long ownerId, ManualTrade manual) {
        String symbol = manual.symbol();
        if (manual.botId() != null) {
            Bot bot = bots.lock(manual.botId(), ownerId)
                .orElseThrow(() -> ApiException.invalidField("bot_id", "bot-unknown"));
            if (symbol == null) {
                symbol = bot.symbol();
            }
            else if (!symbol.equals(bot.symbol())) {
                throw ApiException.invalidField("symbol", "symbol-not-bots", bot.symbol());
            }
        }
        else if (symbol == null) {
            throw ApiException.invalidField("symbol", "required");
        }
        Instant now = clock.instant();
        Instant at = manual.executedAt() == null ? now : manual.executedAt();
        if (at.isAfter(now)) {
            throw ApiException.invalidField("executed_at", "trade-in-future");
        }
        book.lock(ownerId, manual.botId(), symbol);
        Instant last = trades.lastExecutedAt(ownerId, manual.botId(), symbol).orElse(null);
        if (last != null && at.isBefore(last)) {
            throw ApiException.invalidField("executed_at", "trade-before-last", last);
        }
        return book.record(new TradeBook.Entry(ownerId, manual.botId(), symbol, manual.side(), manual.price(),
                manual.quantity(), manual.fee() == null ? BigDecimal.ZERO : manual.fee(), "manual", null, at));
    }

    @Transactional(readOnly = true)
    Trade get(long ownerId, long id) {
        return trades.byId(id, ownerId).orElseThrow(() -> ApiException.notFound("trade-not-found"));
    }

    @Transactional(readOnly = true)
    Page<Trade> list(Trades.Query query) {
        return Page.of(trades.page(query), query.limit(), trade -> TradeCursor.after(trade).encode());
    }

    /** A bot's trades, filtered: 404 for a bot that is not the user's. */
    @Transactional(readOnly = true)
    Page<Trade> listOfBot(Trades.Query query) {
        bots.byId(query.botId(), query.ownerId()).orElseThrow(BotManagement::notFound);
        return list(query);
    }

}
