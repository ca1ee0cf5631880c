package dev.kapi.messaging.draft;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A parameter of one of a template's buttons: a {@code quick_reply} button's payload
 * (what Meta sends back when it is tapped) or a {@code url} button's dynamic suffix;
 * {@code index} is the button's position in the template (0–9).
 */
public record TemplateButton(@JsonProperty("sub_type") @NotNull @Pattern(regexp = "quick_reply|url") String subType,
        @NotNull @Min(0) @Max(9) Integer index, @NotBlank @Size(max = 1_000) String value) {
}
