package dev.kapi.admin;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.URL;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.AcceptablePassword;
import dev.kapi.identity.AccountRules;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Seed 000's register and update bodies, by model type, with their rules: what the
 * generic admin routes read a request into and {@link AdminModels} acts on.
 */
final class ModelBodies {

    /** The most credit or debit an admin may set on an account at once. */
    static final long MAX_CREDIT = 1_000_000_000_000L;

    private ModelBodies() {
    }

    record RegisterUser(@NotBlank @Pattern(regexp = AccountRules.USERNAME) String username,
            @NotNull @AcceptablePassword String password, @Size(max = 100) String name, @Size(max = 100) String surname,
            @JsonProperty("full_name") @Schema(description = "instead of name and surname") @Size(
                    max = 200) String fullName,
            @NotBlank @Email(regexp = AccountRules.EMAIL) @Size(max = 254) String email,
            @JsonProperty("user_type") @Size(max = 50) String userType,
            @JsonProperty("phone_number") @Size(max = 32) String phoneNumber, @URL @Size(max = 2048) String avatar,
            @Min(0) @Max(MAX_CREDIT) Long credit, @Min(0) @Max(MAX_CREDIT) Long debit) {
    }

    record UpdateUser(@Pattern(regexp = AccountRules.USERNAME) String username, @AcceptablePassword String password,
            @Size(min = 1, max = 100) String name, @Size(min = 1, max = 100) String surname,
            @Email(regexp = AccountRules.EMAIL) @Size(max = 254) String email,
            @JsonProperty("user_type") @Size(min = 1, max = 50) String userType,
            @JsonProperty("is_active") Boolean isActive,
            @JsonProperty("phone_number") @Size(max = 32) String phoneNumber, @URL @Size(max = 2048) String avatar,
            @Min(0) @Max(MAX_CREDIT) Long credit, @Min(0) @Max(MAX_CREDIT) Long debit) {
    }

    record NewContent(@NotBlank @Size(max = 100) String name,
            @JsonProperty("content_value") @NotBlank @Size(max = 100) String contentValue) {
    }

    record RegisterPackage(@NotBlank @Size(max = 100) String name, @Size(max = 2000) String detail,
            @NotNull @Min(1) @Max(36500) Integer days,
            @JsonProperty("package_contents") List<@jakarta.validation.Valid NewContent> packageContents) {
    }

    record RegisterContent(@JsonProperty("package_id") @NotNull Long packageId, @NotBlank @Size(max = 100) String name,
            @JsonProperty("content_value") @NotBlank @Size(max = 100) String contentValue) {
    }

    record RegisterUserPackage(@JsonProperty("user_id") @NotNull Long userId,
            @JsonProperty("package_id") @NotNull Long packageId, @JsonProperty("starts_at") Instant startsAt) {
    }

}
