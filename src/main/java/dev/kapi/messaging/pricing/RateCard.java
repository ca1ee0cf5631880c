package dev.kapi.messaging.pricing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.kapi.messaging.contact.PhoneNumbers;
import dev.kapi.messaging.sending.MessagingSettings;

/**
 * The price in credits of one message by the recipient's market and the message's
 * category: the card's row for the market, else its {@code *} row, else the flat
 * {@code kapi.messaging.credit-cost.*} price of the category (so an empty card prices as
 * Kapı did before rate cards).
 */
public record RateCard(List<Rate> rates, MessagingSettings.CreditCost defaults) {

    /** Meta's pricing categories a rate is given for. */
    public static final List<String> CATEGORIES = List.of("marketing", "utility", "authentication", "service");

    /** The most rows a card holds (every country twice over, each category). */
    public static final int MAX_RATES = 1000;

    /** The most credits one message may cost. */
    public static final int MAX_CREDITS = 1_000_000;

    /** One row of the card. */
    public record Rate(String market, String category, int credits) {
    }

    public RateCard {
        rates = List.copyOf(rates);
    }

    /** What a message of {@code category} to a number in {@code market} costs. */
    public int price(String market, String category) {
        String wanted = category == null ? "service" : category;
        Integer any = null;
        for (Rate rate : rates) {
            if (rate.category().equals(wanted)) {
                if (rate.market().equals(market)) {
                    return rate.credits();
                }
                if (rate.market().equals(PhoneNumbers.ANY_MARKET)) {
                    any = rate.credits();
                }
            }
        }
        return any != null ? any : defaults.of(wanted);
    }

    /**
     * The card as it prices: its rows, and a {@code *} row at the flat price for each
     * category that has none.
     */
    public List<Rate> effective() {
        List<Rate> all = new ArrayList<>(rates);
        Set<String> covered = new java.util.HashSet<>();
        rates.stream()
            .filter(rate -> rate.market().equals(PhoneNumbers.ANY_MARKET))
            .forEach(rate -> covered.add(rate.category()));
        for (String category : CATEGORIES) {
            if (!covered.contains(category)) {
                all.add(new Rate(PhoneNumbers.ANY_MARKET, category, defaults.of(category)));
            }
        }
        return all;
    }

}
