package dev.kapi.identity.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.AcceptablePassword;
import dev.kapi.identity.AccountRules;

/**
 * A self-registration, with its rules: {@code POST /auth/register}'s body and what the
 * hosted registration page validates, so that both take the same addresses, names and
 * passwords (length, breached, strength).
 */
public record RegisterRequest(@NotBlank @Email(regexp = AccountRules.EMAIL) @Size(max = 254) String email,
        @NotNull @AcceptablePassword String password,
        @JsonProperty("full_name") @NotBlank @Size(max = 200) String fullName) {
}
