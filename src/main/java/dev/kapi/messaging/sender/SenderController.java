package dev.kapi.messaging.sender;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.messaging.whatsapp.MessagingLimit;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 001's connected sending accounts of the signed-in user. The access token is
 * write-only.
 */
@RestController
@RequestMapping("/api/messaging/senders")
@Tag(name = "messaging")
class SenderController {

    private static final String PROVIDERS = "simulator|whatsapp_cloud";

    private static final String STATUSES = "active|paused|banned_suspected";

    /**
     * A WhatsApp Business Account id (Meta's are digits); it goes into Graph API paths.
     */
    private static final String WABA_ID = "[A-Za-z0-9_-]{1,64}";

    private static final String MESSAGING_LIMIT = "Meta's messaging tier of the sender's business account "
            + "(shared by every sender with its waba_id): 250, 2000, 10000, 100000 or \"unlimited\"";

    private static final String REGION = "[A-Z]{2}";

    private static final String DEFAULT_REGION = "ISO 3166-1 alpha-2 region that numbers written without a country "
            + "code are read in (this sender's phone, and customers of a user whose first sender it is); "
            + "default: the country of the sender's own phone";

    private final SenderManagement senders;

    private final Clock clock;

    SenderController(SenderManagement senders, Clock clock) {
        this.senders = senders;
        this.clock = clock;
    }

    record CreateSenderRequest(@NotBlank @Size(max = 200) String name, @NotBlank @Size(max = 40) String phone,
            @Pattern(regexp = PROVIDERS) String provider,
            @JsonProperty("phone_number_id") @Size(max = 64) String phoneNumberId,
            @JsonProperty("waba_id") @Pattern(regexp = WABA_ID) String wabaId,
            @JsonProperty("access_token") @Size(max = 4_096) String accessToken,
            @JsonProperty("rate_per_second") @DecimalMin("0.001") @DecimalMax("10000") Double ratePerSecond,
            @JsonProperty("daily_cap") @Min(1) @Max(10_000_000) Integer dailyCap,
            @Pattern(regexp = STATUSES) String status,
            @JsonProperty("messaging_limit") @Schema(description = MESSAGING_LIMIT) Object messagingLimit,
            @JsonProperty("default_region") @Pattern(regexp = REGION) @Schema(description = DEFAULT_REGION,
                    example = "TR") String defaultRegion) {

        SenderManagement.Changes changes() {
            return new SenderManagement.Changes(name, phone, provider, phoneNumberId, wabaId, accessToken,
                    ratePerSecond, dailyCap, status == null ? null : SenderStatus.of(status), messagingLimit,
                    defaultRegion);
        }
    }

    /**
     * A partial change; {@code rate_per_second} or {@code daily_cap} 0 removes that
     * limit.
     */
    record UpdateSenderRequest(@Size(max = 200) String name, @Size(max = 40) String phone,
            @Pattern(regexp = PROVIDERS) String provider,
            @JsonProperty("phone_number_id") @Size(max = 64) String phoneNumberId,
            @JsonProperty("waba_id") @Pattern(regexp = "|" + WABA_ID) String wabaId,
            @JsonProperty("access_token") @Size(max = 4_096) String accessToken,
            @JsonProperty("rate_per_second") @DecimalMin("0") @DecimalMax("10000") Double ratePerSecond,
            @JsonProperty("daily_cap") @Min(0) @Max(10_000_000) Integer dailyCap,
            @Pattern(regexp = STATUSES) String status,
            @JsonProperty("messaging_limit") @Schema(description = MESSAGING_LIMIT) Object messagingLimit,
            @JsonProperty("default_region") @Pattern(regexp = REGION) @Schema(description = DEFAULT_REGION,
                    example = "TR") String defaultRegion) {

        SenderManagement.Changes changes() {
            return new SenderManagement.Changes(name, phone, provider, phoneNumberId, wabaId, accessToken,
                    ratePerSecond, dailyCap, status == null ? null : SenderStatus.of(status), messagingLimit,
                    defaultRegion);
        }
    }

    /**
     * The circuit breaker: open while the account is paused after failures or a
     * rate-limit answer.
     */
    record Circuit(boolean open, @JsonProperty("paused_until") Instant pausedUntil, String reason) {
    }

    record SenderResponse(long id, String name, String phone,
            @Schema(pattern = "simulator|whatsapp_cloud") String provider,
            @JsonProperty("phone_number_id") String phoneNumberId, @JsonProperty("waba_id") String wabaId,
            @JsonProperty("has_access_token") boolean hasAccessToken,
            @JsonProperty("rate_per_second") Double ratePerSecond, @JsonProperty("daily_cap") Integer dailyCap,
            @JsonProperty("messaging_limit") Object messagingLimit,
            @JsonProperty("quality_event") @Schema(
                    description = "The last event Meta reported for the number: FLAGGED, UNFLAGGED, UPGRADE, DOWNGRADE, THROUGHPUT_UPGRADE, ...") String qualityEvent,
            @Schema(pattern = "active|paused|banned_suspected") String status, Circuit circuit,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
            @JsonProperty("default_region") String defaultRegion) {

        static SenderResponse from(Sender sender, Map<String, MessagingLimit> limits, Instant now) {
            boolean open = sender.circuitOpen(now);
            MessagingLimit limit = sender.wabaId() == null ? null : limits.get(sender.wabaId());
            return new SenderResponse(sender.id(), sender.name(), sender.phone(), sender.provider(),
                    sender.phoneNumberId(), sender.wabaId(), sender.sealedAccessToken() != null, sender.ratePerSecond(),
                    sender.dailyCap(), limit == null ? null : limit.wire(), sender.qualityEvent(),
                    sender.status().wire(),
                    new Circuit(open, open ? sender.pausedUntil() : null,
                            open || sender.status() == SenderStatus.BANNED_SUSPECTED ? sender.pauseReason() : null),
                    sender.createdAt(), sender.updatedAt(), sender.defaultRegion());
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Connect a sending account (simulator by default; whatsapp_cloud needs phone_number_id and access_token)")
    ResponseEntity<SenderResponse> create(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody CreateSenderRequest request) {
        Sender created = senders.create(me.id(), request.changes());
        return ResponseEntity.created(URI.create("/api/messaging/senders/" + created.id())).body(response(me, created));
    }

    @GetMapping
    @Operation(summary = "Sending accounts in id order; next page in X-Next-Cursor")
    ResponseEntity<List<SenderResponse>> list(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        Instant now = clock.instant();
        Page<Sender> page = senders.list(me.id(), cursor, limit);
        Map<String, MessagingLimit> limits = senders.limits(me.id(), page.rows());
        return page.asArray(sender -> SenderResponse.from(sender, limits, now));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One sending account")
    SenderResponse get(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return response(me, senders.get(me.id(), id));
    }

    @PutMapping("/{id}")
    @Operation(summary = "Change the given fields; status active closes an open circuit breaker")
    SenderResponse update(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @Valid @RequestBody UpdateSenderRequest request) {
        return response(me, senders.update(me.id(), id, request.changes()));
    }

    private SenderResponse response(CurrentAccount me, Sender sender) {
        return SenderResponse.from(sender, senders.limits(me.id(), List.of(sender)), clock.instant());
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a sending account (409 while a scheduled, running or paused queue may use it)")
    void delete(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        senders.delete(me.id(), id);
    }

}
