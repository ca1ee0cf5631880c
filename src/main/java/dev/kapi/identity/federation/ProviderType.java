package dev.kapi.identity.federation;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/** How Kapı talks to an external provider: OpenID Connect, or GitHub's own OAuth. */
enum ProviderType {

    OIDC("oidc"), GITHUB("github");

    private final String value;

    ProviderType(String value) {
        this.value = value;
    }

    @JsonValue
    String value() {
        return value;
    }

    static Optional<ProviderType> of(String value) {
        return Arrays.stream(values()).filter(type -> type.value.equals(value)).findFirst();
    }

}
