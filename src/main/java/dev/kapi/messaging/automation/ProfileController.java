package dev.kapi.messaging.automation;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.messaging.pricing.Charges;
import dev.kapi.plans.Credits;
import dev.kapi.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 001's profile routes that belong to messaging: the automation settings, and the
 * credits spent per month or year.
 */
@RestController
@Tag(name = "messaging")
class ProfileController {

    private final AutomationManagement automations;

    private final Credits credits;

    private final Charges charges;

    ProfileController(AutomationManagement automations, Credits credits, Charges charges) {
        this.automations = automations;
        this.credits = credits;
        this.charges = charges;
    }

    record AutomationResponse(@JsonProperty("delay_ms") int delayMs, @JsonProperty("jitter_ms") int jitterMs,
            @JsonProperty("sending_hours_start") String sendingHoursStart,
            @JsonProperty("sending_hours_end") String sendingHoursEnd, @JsonProperty("time_zone") String timeZone,
            @JsonProperty("daily_cap") Integer dailyCap,
            @JsonProperty("graylist_mode") @Schema(pattern = "slow|skip") String graylistMode,
            @JsonProperty("graylist_delay_seconds") int graylistDelaySeconds,
            @JsonProperty("opt_out_words") List<String> optOutWords) {

        static AutomationResponse from(Automation settings) {
            return new AutomationResponse(settings.delayMs(), settings.jitterMs(),
                    settings.sendingHoursStart() == null ? null : settings.sendingHoursStart().toString(),
                    settings.sendingHoursEnd() == null ? null : settings.sendingHoursEnd().toString(),
                    settings.timeZone().getId(), settings.dailyCap(), settings.graylistMode(),
                    settings.graylistDelaySeconds(), settings.optOutWords());
        }
    }

    /**
     * A partial change. Sending hours are {@code HH:mm}, both or neither ({@code ""} for
     * both: any time); {@code daily_cap} 0 removes the cap.
     */
    record AutomationRequest(@JsonProperty("delay_ms") @Min(0) @Max(3_600_000) Integer delayMs,
            @JsonProperty("jitter_ms") @Min(0) @Max(3_600_000) Integer jitterMs,
            @JsonProperty("sending_hours_start") @Size(max = 5) String sendingHoursStart,
            @JsonProperty("sending_hours_end") @Size(max = 5) String sendingHoursEnd,
            @JsonProperty("time_zone") @Size(max = 60) String timeZone,
            @JsonProperty("daily_cap") @Min(0) @Max(10_000_000) Integer dailyCap,
            @JsonProperty("graylist_mode") @Pattern(regexp = "slow|skip") String graylistMode,
            @JsonProperty("graylist_delay_seconds") @Min(1) @Max(86_400) Integer graylistDelaySeconds,
            @JsonProperty("opt_out_words") @Size(min = 1,
                    max = 50) List<@NotBlank @Size(max = 50) String> optOutWords) {

        AutomationManagement.Changes changes() {
            return new AutomationManagement.Changes(delayMs, jitterMs, sendingHoursStart, sendingHoursEnd, timeZone,
                    dailyCap, graylistMode, graylistDelaySeconds, optOutWords);
        }
    }

    /**
     * The ledger's spends per period, and what messages were charged per period and
     * category, and per period and market (by when they were charged).
     */
    record UsageResponse(@Schema(pattern = "monthly|yearly") String period,
            @JsonProperty("usage") List<Credits.Usage> usage, long total,
            @JsonProperty("by_category") List<CategorySpent> byCategory,
            @JsonProperty("by_market") List<MarketSpent> byMarket) {
    }

    record CategorySpent(String period, @Schema(pattern = "marketing|utility|authentication|service") String category,
            long spent) {
    }

    record MarketSpent(String period, @Schema(description = "ISO 3166-1 alpha-2, or * when unknown") String market,
            long spent) {
    }

    @GetMapping("/users/me/automation-settings")
    @Operation(summary = "The signed-in user's automation settings (defaults until saved)")
    AutomationResponse get(@AuthenticationPrincipal CurrentAccount me) {
        return AutomationResponse.from(automations.of(me.id()));
    }

    @PutMapping("/users/me/automation-settings")
    @Operation(summary = "Change the given automation settings")
    AutomationResponse update(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody AutomationRequest request) {
        return AutomationResponse.from(automations.update(me.id(), request.changes()));
    }

    @GetMapping("/users/me/credits/usage")
    @Operation(
            summary = "Credits spent per month (period=monthly, 2026-11) or year (period=yearly, 2026), from the ledger")
    UsageResponse usage(@AuthenticationPrincipal CurrentAccount me, @RequestParam(defaultValue = "monthly") @Parameter(
            schema = @Schema(allowableValues = { "monthly", "yearly" }, defaultValue = "monthly")) String period) {
        if (!period.equals("monthly") && !period.equals("yearly")) {
            throw ApiException.invalidField("period", "period-invalid");
        }
        boolean yearly = period.equals("yearly");
        List<Credits.Usage> usage = credits.usage(me.id(), yearly);
        List<Charges.Spent> charged = charges.usage(me.id(), yearly);
        Map<List<String>, Long> byCategory = new TreeMap<>(ProfileController::byParts);
        Map<List<String>, Long> byMarket = new TreeMap<>(ProfileController::byParts);
        for (Charges.Spent spent : charged) {
            byCategory.merge(List.of(spent.period(), spent.category()), spent.spent(), Long::sum);
            byMarket.merge(List.of(spent.period(), spent.market()), spent.spent(), Long::sum);
        }
        return new UsageResponse(period, usage, usage.stream().mapToLong(Credits.Usage::spent).sum(),
                byCategory.entrySet()
                    .stream()
                    .map(e -> new CategorySpent(e.getKey().get(0), e.getKey().get(1), e.getValue()))
                    .toList(),
                byMarket.entrySet()
                    .stream()
                    .map(e -> new MarketSpent(e.getKey().get(0), e.getKey().get(1), e.getValue()))
                    .toList());
    }

    private static int byParts(List<String> a, List<String> b) {
        int period = a.get(0).compareTo(b.get(0));
        return period != 0 ? period : a.get(1).compareTo(b.get(1));
    }

}
