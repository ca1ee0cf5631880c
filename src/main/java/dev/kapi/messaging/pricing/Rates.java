package dev.kapi.messaging.pricing;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.messaging.sending.MessagingSettings;

import static dev.kapi.shared.SqlTime.utc;

/**
 * The admin's rate card ({@code messaging_rates}), one card for every account: read as a
 * {@link RateCard}, replaced as a whole, and priced in bulk inside the statements that
 * hold credits for a queue ({@link #price}).
 */
@Repository
public class Rates {

    private final JdbcClient jdbc;

    private final MessagingSettings.CreditCost defaults;

    Rates(JdbcClient jdbc, MessagingSettings settings) {
        this.jdbc = jdbc;
        this.defaults = settings.creditCost();
    }

    public RateCard card() {
        return new RateCard(jdbc.sql("SELECT market, category, credits FROM messaging_rates ORDER BY market, category")
            .query((rs, n) -> new RateCard.Rate(rs.getString("market"), rs.getString("category"), rs.getInt("credits")))
            .list(), defaults);
    }

    @Transactional
    void replace(List<RateCard.Rate> rates, Instant now) {
        // two admins saving at once: the second waits for the first and replaces its
        // card,
        // instead of both deleting the old one and colliding on the new rows
        jdbc.sql("LOCK TABLE messaging_rates IN SHARE ROW EXCLUSIVE MODE").update();
        jdbc.sql("DELETE FROM messaging_rates").update();
        if (rates.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO messaging_rates (market, category, credits, updated_at)
                SELECT r.market, r.category, r.credits, :now
                FROM unnest(CAST(:markets AS text[]), CAST(:categories AS text[]), CAST(:credits AS integer[]))
                     AS r (market, category, credits)
                """)
            .param("markets", rates.stream().map(RateCard.Rate::market).toArray(String[]::new))
            .param("categories", rates.stream().map(RateCard.Rate::category).toArray(String[]::new))
            .param("credits", rates.stream().map(RateCard.Rate::credits).toArray(Integer[]::new))
            .param("now", utc(now))
            .update();
    }

    /**
     * Keeps the card from changing until the transaction ends (a replacement in progress
     * is waited for): a queue's start prices its messages and keeps its prices
     * ({@link #keepFor}) from the same card. Starts do not wait for each other.
     */
    public void freeze() {
        jdbc.sql("LOCK TABLE messaging_rates IN SHARE MODE").update();
    }

    /**
     * Keeps what the card prices every category at for each market of a started queue's
     * messages ({@code *} for numbers of no known country), so that a charge is made at
     * the price of the category Meta billed as the card stood when the queue started.
     * Rows per market and category rather than the whole card: at most four per market of
     * the queue's recipients (a few hundred countries), looked up by primary key per
     * charge; a queue of one country keeps four. Safe to call again (a retry of the same
     * messages keeps the prices first kept).
     */
    public void keepFor(long queueId) {
        jdbc.sql(
                """
                        INSERT INTO messaging_queue_prices (queue_id, market, category, credits)
                        SELECT :queueId, mk.market, c.category,
                               coalesce((SELECT rc.credits FROM messaging_rates rc
                                         WHERE rc.market = mk.market AND rc.category = c.category),
                                        (SELECT ra.credits FROM messaging_rates ra WHERE ra.market = '*' AND ra.category = c.category),
                                        c.fallback)
                        FROM (SELECT DISTINCT coalesce(market, '*') AS market FROM messaging_messages
                              WHERE queue_id = :queueId) mk
                        CROSS JOIN unnest(CAST(:categories AS text[]), CAST(:fallbacks AS integer[])) AS c (category, fallback)
                        ON CONFLICT DO NOTHING
                        """)
            .param("queueId", queueId)
            .param("categories", RateCard.CATEGORIES.toArray(String[]::new))
            .param("fallbacks", RateCard.CATEGORIES.stream().map(defaults::of).toArray(Integer[]::new))
            .update();
    }

    /**
     * SQL for the price of one message whose market is {@code marketColumn}, by the rules
     * of {@link RateCard#price}; the statement binds {@code :rateCategory} and
     * {@code :rateDefault} with {@link #bind}.
     */
    public static String price(String marketColumn) {
        return """
                coalesce((SELECT rc.credits FROM messaging_rates rc
                          WHERE rc.market = %s AND rc.category = :rateCategory),
                         (SELECT ra.credits FROM messaging_rates ra WHERE ra.market = '*' AND ra.category = :rateCategory),
                         :rateDefault)"""
            .formatted(marketColumn);
    }

    /** Binds the parameters of {@link #price} for messages of {@code category}. */
    public JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement, String category) {
        String wanted = category == null ? "service" : category;
        return statement.param("rateCategory", wanted).param("rateDefault", defaults.of(wanted));
    }

}
