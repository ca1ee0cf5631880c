package dev.kapi.trading;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import dev.kapi.shared.sealing.SealingSettings;
import dev.kapi.shared.sealing.SecretSealer;
import dev.kapi.trading.exchange.ApiCredentials;
import dev.kapi.trading.exchange.ApiKey;
import dev.kapi.trading.exchange.ApiKeyManagement;

import static org.assertj.core.api.Assertions.assertThat;

class TradingApiKeysIntegrationTests extends TradingTestSupport {

    /** The retired master key of the test profile's {@code previous-keys}. */
    private static final String RETIRED_KEY = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

    @Autowired
    ApiKeyManagement apiKeys;

    @Test
    void createWhenSeedFieldsThenCreatedMaskedAndTheSecretNeverAnswered() {
        String token = newUserToken();

        Map<String, Object> created = createKey(token,
                "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A");

        assertThat(created).containsOnlyKeys("id", "exchange", "label", "api_key", "created_at")
            .containsEntry("exchange", "binance")
            .containsEntry("label", "Ana hesap")
            .containsEntry("api_key", "****Eh8A");
        String listed = as(token).get()
            .uri("/api/trading/api-keys")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        assertThat(listed).contains("****Eh8A")
            .doesNotContain("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A")
            .doesNotContain("secret-");
    }

    @Test
    void createThenStoredSealedAndOpenedOnlyForItsOwnerAndRow() {
        String token = newUserToken();
        long id = id(createKey(token, "plain-key-value-1234"));

        Map<String, Object> row = jdbc
            .sql("SELECT owner_id, sealed_key, sealed_secret FROM trading_api_keys WHERE id = :id")
            .param("id", id)
            .query()
            .singleRow();

        assertThat((String) row.get("sealed_key")).startsWith("v1:").doesNotContain("plain-key-value-1234");
        assertThat((String) row.get("sealed_secret")).startsWith("v1:").doesNotContain("secret-");
        long owner = ((Number) row.get("owner_id")).longValue();
        assertThat(apiKeys.credentials(owner, id))
            .isEqualTo(new ApiCredentials("plain-key-value-1234", "secret-plain-key-value-1234"));
        assertThat(apiKeys.credentials(owner, id).toString()).doesNotContain("plain-key-value")
            .doesNotContain("secret-");
    }

    @Test
    void createWhenFieldsInvalidThenBadRequestNamingEachField() {
        String token = newUserToken();

        assertThat(invalidFields(as(token).post()
            .uri("/api/trading/api-keys")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("exchange", "kraken", "label", " ", "api_key", "short"))))
            .containsExactlyInAnyOrder("exchange", "label", "api_key", "api_secret");
        assertThat(invalidFields(as(token).post()
            .uri("/api/trading/api-keys")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("exchange", "binance", "label", "x", "api_key", "abcdefgh12", "api_secret", "abcdefgh12",
                    "passphrase", "nope"))))
            .containsExactly("passphrase");
    }

    @Test
    void listAndDeleteWhenAnotherUsersKeyThenNotSeenAndNotFound() {
        String owner = newUserToken();
        String other = newUserToken();
        long id = id(createKey(owner, "owners-key-0001"));

        assertThat(list(other, "/api/trading/api-keys")).isEmpty();
        as(other).delete()
            .uri("/api/trading/api-keys/{id}", id)
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:api-key-not-found");
        assertThat(list(owner, "/api/trading/api-keys")).hasSize(1);
    }

    @Test
    void deleteWhenAnActiveBotUsesTheKeyThenConflictAndAfterStopDeletedAndTheBotTradesOnPaper() {
        String token = newUserToken();
        long key = id(createKey(token, "bots-key-000001"));
        Map<String, Object> body = simpleBot("BTCUSDT", "100", "200");
        body.put("api_key_id", key);
        long bot = startedBot(token, body);

        as(token).delete()
            .uri("/api/trading/api-keys/{id}", key)
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:api-key-in-use");

        post(token, "/api/trading/bots/" + bot + "/stop", null);
        as(token).delete().uri("/api/trading/api-keys/{id}", key).exchange().expectStatus().isNoContent();
        assertThat(list(token, "/api/trading/api-keys")).isEmpty();
        assertThat(get(token, "/api/trading/bots/{id}", bot)).containsEntry("api_key_id", null)
            .containsEntry("paper", true);
    }

    @Test
    void resealWhenKeysWereSealedUnderTheRetiredMasterKeyThenSealedUnderTheCurrentOneAndStillOpen() {
        String token = newUserToken();
        long id = id(createKey(token, "rotated-key-0001"));
        long owner = jdbc.sql("SELECT owner_id FROM trading_api_keys WHERE id = :id")
            .param("id", id)
            .query(Long.class)
            .single();
        SecretSealer retired = new SecretSealer(new SealingSettings(RETIRED_KEY, List.of()), null);
        String context = ApiKey.sealingContext(owner, id);
        jdbc.sql("UPDATE trading_api_keys SET sealed_key = :key, sealed_secret = :secret WHERE id = :id")
            .param("key", retired.seal("rotated-key-0001", context))
            .param("secret", retired.seal("rotated-secret", context))
            .param("id", id)
            .update();
        String retiredPrefix = retired.seal("x", "y").substring(0, 12);

        Map<String, Object> answer = post(newAdminToken(), "/api/trading/admin/reseal-api-keys", null);

        assertThat(((Number) answer.get("resealed")).intValue()).isGreaterThanOrEqualTo(1);
        String sealed = jdbc.sql("SELECT sealed_key FROM trading_api_keys WHERE id = :id")
            .param("id", id)
            .query(String.class)
            .single();
        assertThat(sealed).doesNotStartWith(retiredPrefix);
        assertThat(apiKeys.credentials(owner, id)).isEqualTo(new ApiCredentials("rotated-key-0001", "rotated-secret"));
        Map<String, Object> again = post(newAdminToken(), "/api/trading/admin/reseal-api-keys", null);
        assertThat(again).containsEntry("resealed", 0);
    }

    @Test
    void resealWhenNotAdminThenForbidden() {
        as(newUserToken()).post().uri("/api/trading/admin/reseal-api-keys").exchange().expectStatus().isForbidden();
    }

}
