package dev.kapi.trading.trade;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kapi.trading.market.Side;
import dev.kapi.trading.report.Performance;

import static org.assertj.core.api.Assertions.assertThat;

class TradingPnlTests {

    @Test
    void sellWhenItSpansTwoLotsThenOldestFirstAndRealizedNetOfBothSidesFees() {
        List<FifoBook.Lot> lots = List.of(FifoBook.buy(1, new BigDecimal("100"), BigDecimal.ONE, new BigDecimal("1")),
                FifoBook.buy(2, new BigDecimal("110"), BigDecimal.ONE, new BigDecimal("1.1")));

        FifoBook.Sale sale = FifoBook.sell(lots, new BigDecimal("120"), new BigDecimal("1.5"), new BigDecimal("1.8"));

        // 120 * 1.5 - 1.8 - (100 + 1) - (110 + 1.1) / 2
        assertThat(sale.realizedPnl()).isEqualByComparingTo("21.65");
        assertThat(sale.remaining()).hasSize(1);
        assertThat(sale.remaining().getFirst().tradeId()).isEqualTo(2);
        assertThat(sale.remaining().getFirst().quantity()).isEqualByComparingTo("0.5");
        assertThat(sale.remaining().getFirst().cost()).isEqualByComparingTo("55.55");
    }

    @Test
    void sellWhenTheRestOfAPartlySoldLotThenItsRemainingCostIsTaken() {
        List<FifoBook.Lot> lots = List.of(new FifoBook.Lot(2, new BigDecimal("0.5"), new BigDecimal("55.55")));

        FifoBook.Sale sale = FifoBook.sell(lots, new BigDecimal("90"), new BigDecimal("0.5"), new BigDecimal("0.45"));

        assertThat(sale.realizedPnl()).isEqualByComparingTo("-11");
        assertThat(sale.remaining()).isEmpty();
    }

    @Test
    void sellWhenMoreThanTheLotsHoldThenRefused() {
        assertThat(FifoBook.sell(List.of(FifoBook.buy(1, BigDecimal.TEN, BigDecimal.ONE, BigDecimal.ZERO)),
                BigDecimal.TEN, new BigDecimal("1.00000001"), BigDecimal.ZERO))
            .isNull();
    }

    @Test
    void sellWhenThirdsOfALotThenCostsAddUpToTheLotsCostExactly() {
        List<FifoBook.Lot> lots = List
            .of(FifoBook.buy(1, new BigDecimal("100"), new BigDecimal("3"), new BigDecimal("1")));
        BigDecimal taken = BigDecimal.ZERO;
        for (int i = 0; i < 3; i++) {
            FifoBook.Sale sale = FifoBook.sell(lots, new BigDecimal("100"), BigDecimal.ONE, BigDecimal.ZERO);
            taken = taken.add(sale.costTaken());
            lots = sale.remaining();
        }
        assertThat(taken).isEqualByComparingTo("301");
    }

    @Test
    void performanceWhenWinsAndLossesThenCountsWinRateAndMaxDrawdownOfCumulativeRealizedPnl() {
        List<Trade> trades = new ArrayList<>();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        String[][] rows = { { "buy", "0" }, { "sell", "10" }, { "buy", "0" }, { "sell", "-15" }, { "buy", "0" },
                { "sell", "3" }, { "buy", "0" } };
        for (String[] row : rows) {
            at = at.plusSeconds(60);
            trades.add(new Trade(trades.size() + 1, 1, 1L, "BTCUSDT", Side.of(row[0]), new BigDecimal("100"),
                    BigDecimal.ONE, new BigDecimal("0.1"), new BigDecimal(row[1]), "bot", null, at, null));
        }

        Performance performance = Performance.of(trades, BigDecimal.ONE, new BigDecimal("100.1"),
                new BigDecimal("105"));

        assertThat(performance.tradeCount()).isEqualTo(7);
        assertThat(performance.buys()).isEqualTo(4);
        assertThat(performance.sells()).isEqualTo(3);
        assertThat(performance.realizedPnl()).isEqualByComparingTo("-2");
        assertThat(performance.unrealizedPnl()).isEqualByComparingTo("4.9");
        assertThat(performance.totalPnl()).isEqualByComparingTo("2.9");
        assertThat(performance.winRate()).isEqualByComparingTo("0.6667");
        assertThat(performance.maxDrawdown()).isEqualByComparingTo("15");
        assertThat(performance.fees()).isEqualByComparingTo("0.7");
        assertThat(performance.lastTradeAt()).isEqualTo(at);
    }

}
