package dev.kapi.trading.exchange;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.trading.notification.Notifications;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 002's API key routes. A key is answered masked (its last four characters); the
 * secret never.
 */
@RestController
@RequestMapping("/api/trading")
@Tag(name = "trading")
class ApiKeyController {

    private final ApiKeyManagement keys;

    private final Notifications notifications;

    ApiKeyController(ApiKeyManagement keys, Notifications notifications) {
        this.keys = keys;
        this.notifications = notifications;
    }

    record CreateApiKeyRequest(@NotNull @Pattern(regexp = ExchangeName.PATTERN) String exchange,
            @NotBlank @Size(max = 100) String label,
            @JsonProperty("api_key") @NotNull @Size(min = 8, max = 256) @Pattern(regexp = "\\S+") String apiKey,
            @JsonProperty("api_secret") @NotNull @Size(min = 8, max = 256) @Pattern(regexp = "\\S+") String apiSecret) {

        @Override
        public String toString() {
            return "CreateApiKeyRequest[exchange=" + exchange + ", label=" + label + "]";
        }
    }

    record ApiKeyResponse(long id, @Schema(allowableValues = {
            "binance", "btcturk" }) String exchange, String label, @JsonProperty("api_key") String apiKey,
            @JsonProperty("created_at") Instant createdAt){

        static ApiKeyResponse from(ApiKey key) {
            return new ApiKeyResponse(key.id(), key.exchange(), key.label(), "****" + key.keyLast4(), key.createdAt());
        }
    }

    record Resealed(int total, int resealed) {
    }

    /**
     * The API keys resealed ({@code total}, {@code resealed}), and the Telegram
     * notification tokens.
     */
    record ResealResponse(int total, int resealed, @JsonProperty("telegram_tokens") Resealed telegramTokens) {
    }

    @PostMapping("/api-keys")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Store an exchange API key, sealed; answered masked")
    ResponseEntity<ApiKeyResponse> create(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody CreateApiKeyRequest request) {
        ApiKey key = keys.create(me.id(), request.exchange(), request.label(), request.apiKey(), request.apiSecret());
        return ResponseEntity.created(URI.create("/api/trading/api-keys/" + key.id())).body(ApiKeyResponse.from(key));
    }

    @GetMapping("/api-keys")
    @Operation(summary = "The signed-in user's API keys, masked")
    List<ApiKeyResponse> list(@AuthenticationPrincipal CurrentAccount me) {
        return keys.list(me.id()).stream().map(ApiKeyResponse::from).toList();
    }

    @DeleteMapping("/api-keys/{id:\\d+}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete an API key; 409 while an active bot uses it")
    void delete(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        keys.delete(me.id(), id);
    }

    @PostMapping("/admin/reseal-api-keys")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "After a master key rotation: seal every stored API key and Telegram token again under "
            + "the current key (admin)")
    ResealResponse reseal() {
        ApiKeyManagement.Resealed resealed = keys.resealAll();
        ApiKeyManagement.Resealed tokens = notifications.resealAll();
        return new ResealResponse(resealed.total(), resealed.resealed(),
                new Resealed(tokens.total(), tokens.resealed()));
    }

}
