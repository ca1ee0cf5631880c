package dev.kapi.trading.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.trade.Trade;

/**
 * The figures of a series of trades (seed 002's performance report), in the quote
 * currency. Total PnL is the realized PnL plus the open position valued at the last
 * price. The win rate is the share of sells that realized a gain. Max drawdown is the
 * deepest fall of cumulative realized PnL from its highest point before (starting from
 * zero).
 */
public record Performance(int tradeCount, int buys, int sells, BigDecimal volume, BigDecimal fees,
        BigDecimal realizedPnl, BigDecimal unrealizedPnl, BigDecimal totalPnl, int winningSells, int losingSells,
        BigDecimal winRate, BigDecimal maxDrawdown, BigDecimal positionQuantity, BigDecimal lastPrice,
        Instant lastTradeAt) {

    /**
     * From the trades oldest first, the open position and the last price seen (null: the
     * last trade's).
     */
    public static Performance of(List<Trade> trades, BigDecimal positionQuantity, BigDecimal positionCost,
            BigDecimal lastPrice) {
        Tally tally = new Tally();
        trades.forEach(tally::add);
        return tally.result(positionQuantity, positionCost, lastPrice);
    }

    /**
     * The figures added up one trade at a time, oldest first, so that no list of the
     * trades is needed.
     */
    public static final class Tally {

        private int count;

        private int buys;

        private int sells;

        private int wins;

        private int losses;

        private BigDecimal volume = BigDecimal.ZERO;

        private BigDecimal fees = BigDecimal.ZERO;

        private BigDecimal realized = BigDecimal.ZERO;

        private BigDecimal peak = BigDecimal.ZERO;

        private BigDecimal drawdown = BigDecimal.ZERO;

        private Trade last;

        public void add(Trade trade) {
            count++;
            last = trade;
            volume = volume.add(trade.price().multiply(trade.quantity()));
            fees = fees.add(trade.fee());
            if (trade.side() == Side.BUY) {
                buys++;
                return;
            }
            sells++;
            int sign = trade.realizedPnl().signum();
            wins += sign > 0 ? 1 : 0;
            losses += sign < 0 ? 1 : 0;
            realized = realized.add(trade.realizedPnl());
            peak = peak.max(realized);
            drawdown = drawdown.max(peak.subtract(realized));
        }

        /**
         * The figures of the trades added, the open position and the last price seen
         * (null: the last trade's).
         */
        public Performance result(BigDecimal positionQuantity, BigDecimal positionCost, BigDecimal lastPrice) {
            BigDecimal price = lastPrice != null ? lastPrice : last == null ? null : last.price();
            BigDecimal unrealized = positionQuantity.signum() == 0 || price == null ? BigDecimal.ZERO
                    : positionQuantity.multiply(price).subtract(positionCost);
            BigDecimal winRate = sells == 0 ? null
                    : BigDecimal.valueOf(wins).divide(BigDecimal.valueOf(sells), 4, RoundingMode.HALF_EVEN);
            return new Performance(count, buys, sells, volume, fees, Money.round(realized), Money.round(unrealized),
                    Money.round(realized.add(unrealized)), wins, losses, winRate, Money.round(drawdown),
                    positionQuantity, price, last == null ? null : last.executedAt());
        }

    }
}
