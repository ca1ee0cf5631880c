package dev.kapi.messaging.sending;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CreditCostTests {

    private final MessagingSettings.CreditCost cost = new MessagingSettings.CreditCost(5, 3, 2, 1);

    @Test
    void ofWhenATemplatesCategoryThenItsCost() {
        assertThat(cost.of("marketing")).isEqualTo(5);
        assertThat(cost.of("utility")).isEqualTo(3);
        assertThat(cost.of("authentication")).isEqualTo(2);
    }

    @Test
    void ofWhenAFreeTextOrAnUnknownCategoryThenTheServiceCost() {
        assertThat(cost.of(null)).isEqualTo(1);
        assertThat(cost.of("service")).isEqualTo(1);
        assertThat(cost.of("MARKETING")).isEqualTo(1);
    }

    @Test
    void creditCostWhenNegativeThenRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new MessagingSettings.CreditCost(1, -1, 1, 1));
    }

}
