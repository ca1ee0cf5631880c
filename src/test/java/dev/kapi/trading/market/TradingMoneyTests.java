package dev.kapi.trading.market;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

import dev.kapi.trading.decision.Risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How amounts are rounded and answered, and the bounds between risk settings. */
class TradingMoneyTests {

    @Test
    void roundWhenMoreThanEighteenDecimalsThenHalfEvenAtEighteen() {
        assertThat(Money.round(new BigDecimal("0.0000000000000000015"))).isEqualTo("0.000000000000000002");
        assertThat(Money.round(new BigDecimal("0.0000000000000000025"))).isEqualTo("0.000000000000000002");
        assertThat(Money.round(BigDecimal.ONE).scale()).isEqualTo(Money.SCALE);
    }

    @Test
    void plainWhenTrailingZerosOrAnExponentThenNeitherAndNullStaysNull() {
        assertThat(Money.plain(new BigDecimal("12.500000000000000000"))).hasToString("12.5");
        assertThat(Money.plain(new BigDecimal("1E+3"))).hasToString("1000");
        assertThat(Money.plain(null)).isNull();
    }

    @Test
    void maxAmountWhenReadAsANumberThenATrillion() {
        assertThat(new BigDecimal(Money.MAX_AMOUNT)).isEqualByComparingTo("1e12");
    }

    @Test
    void riskWhenATrailingOffsetWithoutATrailingStopThenRefusedNamingTheOffset() {
        Risk risk = new Risk(null, null, null, new BigDecimal("0.01"), null, null, null, null);

        assertThatThrownBy(risk::check).hasFieldOrPropertyWithValue("field", "trailing_offset");
    }

    @Test
    void riskWhenABalanceFractionAboveOneThenRefusedNamingTheValue() {
        Risk above = new Risk(null, null, null, null, null, null,
                new Risk.Sizing("balance_fraction", new BigDecimal("1.01")), null);
        Risk fixed = new Risk(null, null, null, null, null, null,
                new Risk.Sizing("fixed_quote", new BigDecimal("1.01")), null);

        assertThatThrownBy(above::check).hasFieldOrPropertyWithValue("field", "position_sizing.value");
        assertThat(fixed.check()).isSameAs(fixed);
    }

    @Test
    void riskWhenNoStartingBalanceThenTenThousand() {
        assertThat(Risk.NONE.balance()).isEqualByComparingTo("10000");
        assertThat(Risk.NONE.exits()).isFalse();
        assertThat(Risk.NONE.none()).isTrue();
    }

}
