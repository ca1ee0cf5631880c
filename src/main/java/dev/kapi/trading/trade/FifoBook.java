package dev.kapi.trading.trade;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.kapi.trading.market.Money;

/**
 * FIFO lot accounting in the quote currency. A buy opens a lot that cost
 * {@code price * quantity + fee}; a sell takes quantity from the oldest lots first, each
 * giving up its cost in proportion, and realizes
 * {@code price * quantity - fee - cost taken}: net of the fees of both sides.
 */
public final class FifoBook {

    private FifoBook() {
    }

    /** An open lot: the quantity still held from one buy, and what that quantity cost. */
    public record Lot(long tradeId, BigDecimal quantity, BigDecimal cost) {
    }

    /**
     * What a sell did: its realized PnL, the lots left open (oldest first) and the cost
     * that left the book.
     */
    public record Sale(BigDecimal realizedPnl, List<Lot> remaining, BigDecimal costTaken) {
    }

    public static Lot buy(long tradeId, BigDecimal price, BigDecimal quantity, BigDecimal fee) {
        return new Lot(tradeId, quantity, price.multiply(quantity).add(fee));
    }

    /** Sells from the lots, oldest first; null when they hold less than the quantity. */
    public static Sale sell(List<Lot> lots, BigDecimal price, BigDecimal quantity, BigDecimal fee) {
        BigDecimal left = quantity;
        BigDecimal costTaken = BigDecimal.ZERO;
        List<Lot> remaining = new ArrayList<>();
        for (Lot lot : lots) {
            if (left.signum() == 0) {
                remaining.add(lot);
                continue;
            }
            if (lot.quantity().compareTo(left) <= 0) {
                costTaken = costTaken.add(lot.cost());
                left = left.subtract(lot.quantity());
            }
            else {
                BigDecimal share = Money.round(lot.cost().multiply(left).divide(lot.quantity(), Money.MATH));
                costTaken = costTaken.add(share);
                remaining.add(new Lot(lot.tradeId(), lot.quantity().subtract(left), lot.cost().subtract(share)));
                left = BigDecimal.ZERO;
            }
        }
        if (left.signum() > 0) {
            return null;
        }
        BigDecimal realized = price.multiply(quantity).subtract(fee).subtract(costTaken);
        return new Sale(Money.round(realized), remaining, costTaken);
    }

    public static BigDecimal quantity(List<Lot> lots) {
        return lots.stream().map(Lot::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    public static BigDecimal cost(List<Lot> lots) {
        return lots.stream().map(Lot::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

}
