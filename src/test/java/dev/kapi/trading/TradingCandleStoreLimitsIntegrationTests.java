package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import dev.kapi.trading.exchange.CandleHousekeeping;
import dev.kapi.trading.exchange.PaperExchange;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shared candle store's bounds: candles older than the retention are removed by the
 * housekeeping, and each user may download at most a day's quota of candles.
 */
class TradingCandleStoreLimitsIntegrationTests extends TradingTestSupport {

    private static final int PER_REQUEST = 100_000;

    private static final int PER_DAY = 1_000_000;

    @Autowired
    PaperExchange paper;

    @Autowired
    CandleHousekeeping housekeeping;

    @Test
    void housekeepingWhenCandlesAreOlderThanTheRetentionThenOnlyThoseAreRemoved() {
        String symbol = uniqueSymbol();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        Instant old = now.minus(Duration.ofDays(401));
        Instant kept = now.minus(Duration.ofDays(399));
        paper.record(symbol, CandleInterval.M1,
                List.of(candle(old), candle(old.plus(Duration.ofMinutes(1))), candle(kept)));

        assertThat(housekeeping.prune()).isGreaterThanOrEqualTo(2);

        assertThat(jdbc.sql("SELECT open_time FROM trading_candles WHERE symbol = :symbol")
            .param("symbol", symbol)
            .query(Instant.class)
            .list()).containsExactly(kept);
    }

    @Test
    void downloadWhenTheUsersCandlesOfTheDayPassTheQuotaThen429NamingItAndOtherUsersStillDownload() {
        String token = newUserToken();
        String symbol = uniqueSymbol();
        Instant to = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        Map<String, Object> body = Map.of("exchange", "binance", "symbol", symbol, "interval", "1m", "from",
                to.minus(Duration.ofMinutes(PER_REQUEST)).toString(), "to", to.toString());
        for (int i = 0; i < PER_DAY / PER_REQUEST; i++) {
            post(token, "/api/trading/candles/download", body);
        }
        int asked = BINANCE
            .countRequestsMatching(
                    getRequestedFor(urlPathEqualTo("/api/v3/klines")).withQueryParam("symbol", equalTo(symbol)).build())
            .getCount();

        Map<String, Object> problem = as(token).post()
            .uri("/api/trading/candles/download")
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isEqualTo(429)
            .expectHeader()
            .exists("Retry-After")
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(problem).containsEntry("type", "urn:kapi:problem:candles-quota-exceeded");
        assertThat((String) problem.get("detail")).contains("1.000.000").contains(" 0 ");
        // Refused before anything was asked of the exchange.
        BINANCE.verify(asked,
                getRequestedFor(urlPathEqualTo("/api/v3/klines")).withQueryParam("symbol", equalTo(symbol)));
        post(newUserToken(), "/api/trading/candles/download", body);
    }

    private static Candle candle(Instant open) {
        BigDecimal price = BigDecimal.TEN;
        return new Candle(open, price, price, price, price, BigDecimal.ONE);
    }

    private static String uniqueSymbol() {
        return "T" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L) + "USDT";
    }

}
