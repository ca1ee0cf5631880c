package dev.kapi.trading;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.kapi.trading.bot.BotManagement;
import dev.kapi.trading.exchange.ApiKeyManagement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Amounts are bounded where they enter and checked before they are stored, so a trade or
 * a bot never overflows a column into a database error; and seed 002's own bot shape is
 * accepted as it is.
 */
class TradingLimitsIntegrationTests extends TradingTestSupport {

    @Test
    void aBotWithAnAbsurdQuoteAmountIsRefusedNamingTheField() {
        Map<String, Object> bot = simpleBot("BTCUSDT", "60000", "65000");
        bot.put("quote_amount", new BigDecimal("99999999999999999999"));

        assertThat(invalidBotFields(newUserToken(), bot)).containsExactly("quote_amount");
    }

    @Test
    void aManualTradeWhosePriceTimesQuantityCannotBeStoredIs400NamingItNot500() {
        String token = newUserToken();
        Map<String, Object> problem = as(token).post()
            .uri("/api/trading/trades")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("symbol", "BTCUSDT", "side", "buy", "price", new BigDecimal("99999999999999999999"),
                    "quantity", new BigDecimal("99999999999999999999")))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(problem).containsEntry("type", "urn:kapi:problem:number-out-of-range");
        assertThat(problem.toString()).doesNotContainIgnoringCase("sql").doesNotContain("numeric");
        // Nothing was written: the user's trade list is still empty.
        assertThat(list(token, "/api/trading/trades")).isEmpty();
    }

    @Test
    void seed002sBotShapeWithStrategyAndEmaPeriodAtTheTopLevelIsAccepted() {
        String token = newUserToken();
        Map<String, Object> ema = new HashMap<>(Map.of("name", "Seed iki", "symbol", "ETHUSDT", "quote_amount", 50,
                "strategy", "ema", "ema_period", 9));

        Map<String, Object> created = createBot(token, ema);

        assertThat(created).containsEntry("strategy", "ema");
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) created.get("params");
        assertThat(params).containsEntry("ema_period", 9);
    }

    @Test
    void aBotWithoutAStrategyIsSeed002sDefaultSimple() {
        String token = newUserToken();
        Map<String, Object> body = simpleBot("BTCUSDT", "60000", "65000");
        body.remove("strategy");

        assertThat(createBot(token, body)).containsEntry("strategy", "simple");
    }

    @Test
    void aUsersHundredAndFirstBotIsRefusedSoTheirBotListAndSummaryStayBounded() {
        String token = newUserToken();
        for (int i = 0; i < BotManagement.MAX_BOTS; i++) {
            createBot(token, simpleBot("BTCUSDT", "60000", "65000"));
        }

        as(token).post()
            .uri("/api/trading/bots")
            .contentType(MediaType.APPLICATION_JSON)
            .body(simpleBot("BTCUSDT", "60000", "65000"))
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:bots-too-many");
        assertThat(list(token, "/api/trading/bots")).hasSize(BotManagement.MAX_BOTS);
        assertThat((List<?>) get(token, "/api/trading/reports/summary").get("bots")).hasSize(BotManagement.MAX_BOTS);
    }

    @Test
    void aUsersTwentyFirstApiKeyIsRefusedSoTheirKeyListStaysBounded() {
        String token = newUserToken();
        for (int i = 0; i < ApiKeyManagement.MAX_KEYS; i++) {
            createKey(token, "limit-key-" + i);
        }

        as(token).post()
            .uri("/api/trading/api-keys")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("exchange", "binance", "label", "Fazla", "api_key", "limit-key-x", "api_secret",
                    "secret-limit-key-x"))
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:api-keys-too-many");
        assertThat(list(token, "/api/trading/api-keys")).hasSize(ApiKeyManagement.MAX_KEYS);
    }

}
