package dev.kapi.messaging.pricing;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.messaging.contact.PhoneNumbers;
import dev.kapi.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The admin's rate card: what one WhatsApp message costs in credits by the recipient's
 * market and the message's category. Read by admins and {@code admin:read} keys, replaced
 * as a whole by admins and {@code admin:write} keys; queues already started keep the
 * prices they held.
 */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "messaging")
class RateController {

    private static final Logger log = LoggerFactory.getLogger(RateController.class);

    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private final Rates rates;

    private final Clock clock;

    RateController(Rates rates, Clock clock) {
        this.rates = rates;
        this.clock = clock;
    }

    record RateBody(
            @NotNull @Pattern(regexp = "\\*|[A-Z]{2}") @Schema(description = "ISO 3166-1 alpha-2, or * for every other",
                    example = "TR") String market,
            @NotNull @Pattern(regexp = "marketing|utility|authentication|service") String category,
            @NotNull @Min(0) @Max(RateCard.MAX_CREDITS) Integer credits) {
    }

    record RatesBody(@NotNull @Size(max = RateCard.MAX_RATES) List<@NotNull @Valid RateBody> rates) {
    }

    @GetMapping("/api/admin/messaging/rates")
    @Operation(summary = "The rate card: credits per message by market and category, with the * rows that apply "
            + "when the card has none (admin)")
    RatesBody get() {
        return answer(rates.card());
    }

    @PutMapping("/api/admin/messaging/rates")
    @Operation(summary = "Replace the rate card; queues already started keep the prices they held (admin)")
    RatesBody replace(@AuthenticationPrincipal CurrentAccount admin, @Valid @RequestBody RatesBody body) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < body.rates().size(); i++) {
            RateBody rate = body.rates().get(i);
            if (!rate.market().equals(PhoneNumbers.ANY_MARKET) && !COUNTRIES.contains(rate.market())) {
                throw ApiException.invalidField("rates[" + i + "].market", "rate-market-unknown");
            }
            if (!seen.add(rate.market() + "/" + rate.category())) {
                throw ApiException.invalidField("rates[" + i + "]", "rate-duplicate");
            }
        }
        rates.replace(body.rates()
            .stream()
            .map(rate -> new RateCard.Rate(rate.market(), rate.category(), rate.credits()))
            .toList(), clock.instant());
        log.info("Account {} replaced the messaging rate card ({} rows)", admin.id(), body.rates().size());
        return answer(rates.card());
    }

    private static RatesBody answer(RateCard card) {
        return new RatesBody(card.effective()
            .stream()
            .map(rate -> new RateBody(rate.market(), rate.category(), rate.credits()))
            .toList());
    }

}
