package dev.kapi.messaging.pricing;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.kapi.messaging.contact.PhoneNumbers;
import dev.kapi.messaging.sending.MessagingSettings;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class RateCardTests {

    private static final MessagingSettings.CreditCost FLAT = new MessagingSettings.CreditCost(3, 1, 1, 1);

    @Test
    void priceWhenTheMarketHasARowThenItsElseTheOtherRowElseTheFlatPrice() {
        RateCard card = new RateCard(List.of(new RateCard.Rate("TR", "marketing", 5),
                new RateCard.Rate("*", "marketing", 9), new RateCard.Rate("DE", "utility", 0)), FLAT);

        assertThat(card.price("TR", "marketing")).isEqualTo(5);
        assertThat(card.price("US", "marketing")).isEqualTo(9);
        assertThat(card.price("*", "marketing")).isEqualTo(9);
        assertThat(card.price("DE", "utility")).isZero();
        assertThat(card.price("TR", "utility")).isEqualTo(1);
        assertThat(card.price("TR", "authentication")).isEqualTo(1);
        assertThat(new RateCard(List.of(), FLAT).price("TR", "marketing")).isEqualTo(3);
        assertThat(new RateCard(List.of(), FLAT).price("TR", null)).as("a free text is a service message").isEqualTo(1);
    }

    @Test
    void effectiveWhenACategoryHasNoOtherRowThenTheFlatPriceIsShownForIt() {
        RateCard card = new RateCard(List.of(new RateCard.Rate("*", "marketing", 9)), FLAT);

        assertThat(card.effective()).containsExactly(new RateCard.Rate("*", "marketing", 9),
                new RateCard.Rate("*", "utility", 1), new RateCard.Rate("*", "authentication", 1),
                new RateCard.Rate("*", "service", 1));
    }

    @Test
    void pricingWhenMetaSaysBillableOrOnlyARegularTypeThenCharged() {
        JsonMapper json = JsonMapper.builder().build();

        assertThat(Pricing.of(json.readTree("{\"pricing\":{\"billable\":true,\"category\":\"marketing\"}}"))
            .map(Pricing::charged)).contains(true);
        assertThat(Pricing
            .of(json.readTree(
                    "{\"pricing\":{\"billable\":false,\"type\":\"free_customer_service\",\"category\":\"service\"}}"))
            .map(Pricing::charged)).contains(false);
        assertThat(Pricing.of(json.readTree("{\"pricing\":{\"type\":\"regular\",\"pricing_model\":\"PMP\"}}"))
            .map(Pricing::charged)).contains(true);
        assertThat(Pricing.of(json.readTree("{\"pricing\":{\"type\":\"free_entry_point\"}}")).map(Pricing::charged))
            .contains(false);
        assertThat(Pricing.of(json.readTree("{\"id\":\"wamid.x\"}"))).isEqualTo(Optional.empty());
    }

    @Test
    void billedCategoryWhenMetaNamesAVariantOfACategoryThenTheCardsCategoryAndNullWhenUnknown() {
        assertThat(new Pricing(true, "PMP", "marketing_lite", "regular").billedCategory()).isEqualTo("marketing");
        assertThat(new Pricing(true, "PMP", "authentication_international", "regular").billedCategory())
            .isEqualTo("authentication");
        assertThat(new Pricing(true, "PMP", "utility", "regular").billedCategory()).isEqualTo("utility");
        assertThat(new Pricing(true, "PMP", "service", "regular").billedCategory()).isEqualTo("service");
        assertThat(new Pricing(true, "PMP", "referral_conversion", "free_entry_point").billedCategory()).isNull();
        assertThat(new Pricing(true, "PMP", null, "regular").billedCategory()).isNull();
    }

    @Test
    void marketWhenANumberIsTurkishGermanOrAmericanThenItsCountry() {
        assertThat(PhoneNumbers.market("+905551234567")).isEqualTo("TR");
        assertThat(PhoneNumbers.market("+4915123456789")).isEqualTo("DE");
        assertThat(PhoneNumbers.market("+12025550123")).isEqualTo("US");
        assertThat(PhoneNumbers.market("+15550001234")).as("no valid number").isEqualTo("*");
        assertThat(PhoneNumbers.market(null)).isEqualTo("*");
    }

    @Test
    void normaliseWhenARegionIsGivenThenNumbersWithoutACountryCodeAreReadInIt() {
        assertThat(PhoneNumbers.normalise("0151 23456789", "DE")).contains("+4915123456789");
        assertThat(PhoneNumbers.normalise("(202) 555-0123", "US")).contains("+12025550123");
        assertThat(PhoneNumbers.normalise("+90 555 123 45 67", "DE")).contains("+905551234567");
        assertThat(PhoneNumbers.normalise("0151 23456789", "TR")).isEmpty();
        assertThat(PhoneNumbers.normalise("1-800-FLOWERS", "US")).as("no vanity letters").isEmpty();
        assertThat(PhoneNumbers.normalise("+1 555 000 1234")).as("not a valid US number").isEmpty();
        assertThat(PhoneNumbers.normalise("1".repeat(41))).isEmpty();
        assertThat(PhoneNumbers.knownRegion("DE")).isTrue();
        assertThat(PhoneNumbers.knownRegion("XX")).isFalse();
        assertThat(PhoneNumbers.knownRegion("de")).isFalse();
    }

}
