package dev.kapi.trading.runner;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.springframework.stereotype.Component;

import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.Bots;
import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.decision.Exits;
import dev.kapi.trading.exchange.Exchange;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.trade.Trade;
import dev.kapi.trading.trade.TradeBook;
import dev.kapi.trading.trade.Trades;

/**
 * What a bot's order did, recorded once: the order settled (a compare-and-set on its
 * pending row, so a fill two instances both saw becomes one trade), the trade, the
 * cooldown after a stop, and after a sell the daily loss limit over the realized PnL of
 * the sell's UTC day.
 */
@Component
class Fills {

    private final Orders orders;

    private final TradeBook book;

    private final Trades trades;

    private final Bots bots;

    private final Clock clock;

    Fills(Orders orders, TradeBook book, Trades trades, Bots bots, Clock clock) {
        this.orders = orders;
        this.book = book;
        this.trades = trades;
        this.bots = bots;
        this.clock = clock;
    }

    /**
     * In the caller's transaction; the trade, or null when the order was settled already.
     */
    Trade record(Bot bot, Side side, ExitReason reason, Exchange.Fill fill) {
        if (!orders.settle(fill.clientOrderId(), true, clock.instant())) {
            return null;
        }
        Trade trade = book.record(new TradeBook.Entry(bot.ownerId(), bot.id(), bot.symbol(), side, fill.price(),
                fill.quantity(), fill.fee(), "bot", fill.clientOrderId(), fill.executedAt(),
                side == Side.SELL ? (reason == null ? ExitReason.SIGNAL : reason) : null, fill.priceSource()));
        afterTrade(bot, side, reason, fill.executedAt());
        return trade;
    }

    /**
     * Records what a limit order filled since its last recorded fill, in the caller's
     * transaction (which holds the order's row): the trade of the order grows by the new
     * quantity, quote and fee ({@link TradeBook#grow}). {@code cumulative} is all the
     * order's fills together, as the exchange reports them; null when nothing is new.
     */
    Trade grow(Bot bot, Orders.Limit order, Exchange.Fill cumulative) {
        if (cumulative == null) {
            return null;
        }
        BigDecimal quantity = cumulative.quantity();
        BigDecimal quote = cumulative.price().multiply(quantity);
        BigDecimal delta = quantity.subtract(order.filledQuantity());
        if (delta.signum() <= 0) {
            return null;
        }
        BigDecimal price = quote.subtract(order.filledQuote()).divide(delta, Money.MATH);
        BigDecimal fee = cumulative.fee().subtract(order.filledFee()).max(BigDecimal.ZERO);
        Trade trade = book.grow(new TradeBook.Entry(bot.ownerId(), bot.id(), bot.symbol(), order.side(), price, delta,
                fee, "bot", order.clientOrderId(), cumulative.executedAt(), order.side() == Side.SELL
                        ? (order.exitReason() == null ? ExitReason.SIGNAL : order.exitReason()) : null));
        orders.recordFilled(order.clientOrderId(), quantity, quote, cumulative.fee().max(order.filledFee()));
        afterTrade(bot, order.side(), order.exitReason(), cumulative.executedAt());
        return trade;
    }

    /**
     * After a trade: the cooldown of a stop, the end of a requested exit, and after a
     * sell the daily loss limit.
     */
    private void afterTrade(Bot bot, Side side, ExitReason reason, Instant executedAt) {
        Instant cooldown = side == Side.SELL ? Exits.cooldownUntil(bot.risk(), reason, executedAt) : null;
        if (cooldown != null) {
            bots.setCooldown(bot.id(), cooldown);
        }
        if (side == Side.SELL && reason == ExitReason.FORCE_EXIT) {
            bots.clearExitRequest(bot.id());
        }
        if (side == Side.SELL && bot.maxDailyLoss() != null) {
            Instant day = executedAt.truncatedTo(ChronoUnit.DAYS);
            BigDecimal today = trades.realizedSince(bot.id(), day);
            if (today.negate().compareTo(bot.maxDailyLoss()) >= 0) {
                bots.stopWithReason(bot.id(), "Max daily loss reached: " + Money.plain(today.negate()),
                        clock.instant());
            }
        }
    }

}
