package dev.kapi.trading.exchange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.market.Side;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paper market orders filled from an order book, as freqtrade's dry run fills them: the
 * book walked for the order's size, what it lacks filled at its last level, the average
 * capped at the maximum slippage from the close.
 */
class TradingPaperBookFillsTests {

    private static final TradingSettings.Paper PAPER = new TradingSettings.Paper(new BigDecimal("0.001"),
            new BigDecimal("0.0005"), true, new BigDecimal("0.05"), 100);

    private static final Instant AT = Instant.parse("2026-12-07T00:01:00Z");

    @Test
    void fromBookWhenABuySpendsMoreThanTheBestAskThenItPaysTheAverageOfTheLevelsItTakes() {
        Exchange.OrderBook book = book(List.of(level("99", "5")), List.of(level("100", "0.5"), level("101", "1")));

        Exchange.Fill fill = PaperExchange.fromBook(buy("100", "100"), book, PAPER).orElseThrow();

        // 50 buys 0.5 at 100, the other 50 buys 50/101 at 101.
        BigDecimal bought = new BigDecimal("0.5")
            .add(new BigDecimal("50").divide(new BigDecimal("101"), 20, RoundingMode.HALF_EVEN));
        BigDecimal average = new BigDecimal("100").divide(bought, 20, RoundingMode.HALF_EVEN);
        assertThat(fill.price()).isCloseTo(average, org.assertj.core.data.Offset.offset(new BigDecimal("0.000001")));
        assertThat(fill.price()).isGreaterThan(new BigDecimal("100")).isLessThan(new BigDecimal("101"));
        assertThat(fill.quantity())
            .isEqualByComparingTo(new BigDecimal("100").divide(fill.price(), 8, RoundingMode.DOWN));
        assertThat(fill.fee()).isPositive();
        assertThat(fill.priceSource()).isEqualTo("order_book");
    }

    @Test
    void fromBookWhenASellIsLargerThanTheBookThenTheRestFillsAtTheLastBid() {
        Exchange.OrderBook book = book(List.of(level("99", "0.3"), level("98", "0.2")), List.of(level("100", "1")));

        Exchange.Fill fill = PaperExchange.fromBook(sell("1", "99.5"), book, PAPER).orElseThrow();

        // 0.3 at 99, then 0.7 at 98 (0.2 of the book and 0.5 beyond it).
        assertThat(fill.price()).isEqualByComparingTo("98.3");
        assertThat(fill.quantity()).isEqualByComparingTo("1");
    }

    @Test
    void fromBookWhenTheBookIsFarFromTheCloseThenTheSlippageIsCappedAtFivePercent() {
        Exchange.OrderBook book = book(List.of(level("50", "10")), List.of(level("200", "10")));

        assertThat(PaperExchange.fromBook(buy("100", "100"), book, PAPER).orElseThrow().price())
            .isEqualByComparingTo("105");
        assertThat(PaperExchange.fromBook(sell("1", "100"), book, PAPER).orElseThrow().price())
            .isEqualByComparingTo("95");
    }

    @Test
    void fromBookWhenTheSideIsEmptyThenNoFillAndTheCloseIsUsedInstead() {
        Exchange.OrderBook book = book(List.of(), List.of(level("100", "1")));

        assertThat(PaperExchange.fromBook(sell("1", "100"), book, PAPER)).isEmpty();
        Exchange.Fill atClose = PaperExchange.fill(sell("1", "100"), PAPER);
        assertThat(atClose.price()).isEqualByComparingTo("99.95");
        assertThat(atClose.priceSource()).isEqualTo("close");
    }

    private static Exchange.MarketOrder buy(String quote, String close) {
        return new Exchange.MarketOrder("kapi-1-1", "BTCUSDT", Side.BUY, new BigDecimal(quote), null,
                new BigDecimal(close), AT);
    }

    private static Exchange.MarketOrder sell(String quantity, String close) {
        return new Exchange.MarketOrder("kapi-1-2", "BTCUSDT", Side.SELL, null, new BigDecimal(quantity),
                new BigDecimal(close), AT);
    }

    private static Exchange.OrderBook book(List<Exchange.Level> bids, List<Exchange.Level> asks) {
        return new Exchange.OrderBook(bids, asks);
    }

    private static Exchange.Level level(String price, String quantity) {
        return new Exchange.Level(new BigDecimal(price), new BigDecimal(quantity));
    }

}
