package dev.kapi.trading.runner;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import dev.kapi.trading.exchange.SymbolRules;
import dev.kapi.trading.market.Side;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A limit order's price is always on the trader's side of the last close: a buy below it,
 * a sell above it, rounded away from the market to the tick, so that no offset a bot (or
 * whoever holds its owner's token) may set prices an order worse than the market.
 */
class TradingLimitPriceTests {

    private static final SymbolRules TICK = new SymbolRules("BTC", "USDT", BigDecimal.ZERO, BigDecimal.ZERO,
            new BigDecimal("0.00001"), new BigDecimal("0.01"), BigDecimal.ZERO, BigDecimal.ZERO);

    @Test
    void priceWhenABuyThenBelowTheCloseRoundedDownToTheTick() {
        // 99.999 · 0.9877 = 98.7690123, down to the tick.
        assertThat(LimitOrders.price(Side.BUY, new BigDecimal("99.999"), new BigDecimal("0.0123"), TICK))
            .isEqualByComparingTo("98.76");
        assertThat(LimitOrders.price(Side.BUY, new BigDecimal("100.005"), BigDecimal.ZERO, TICK))
            .isEqualByComparingTo("100");
    }

    @Test
    void priceWhenASellThenAboveTheCloseRoundedUpToTheTick() {
        // 99.999 · 1.0123 = 101.2289877, up to the tick.
        assertThat(LimitOrders.price(Side.SELL, new BigDecimal("99.999"), new BigDecimal("0.0123"), TICK))
            .isEqualByComparingTo("101.23");
        assertThat(LimitOrders.price(Side.SELL, new BigDecimal("100.001"), BigDecimal.ZERO, TICK))
            .isEqualByComparingTo("100.01");
    }

    @Test
    void repriceOrderIdWhenPlacedAgainThenTheNextSuffixOfTheFirstId() {
        assertThat(Orders.repriceOrderId("kapi-7-29421574", 1)).isEqualTo("kapi-7-29421574-r1");
        assertThat(Orders.repriceOrderId("kapi-7-29421574-r1", 2)).isEqualTo("kapi-7-29421574-r2");
    }

}
