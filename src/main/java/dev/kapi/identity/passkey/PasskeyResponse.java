package dev.kapi.identity.passkey;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One of an account's passkeys, as its owner's lists and the second factors' status show
 * it.
 */
public record PasskeyResponse(String id, String label, @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("last_used_at") Instant lastUsedAt) {

    public static PasskeyResponse from(Passkeys.Passkey passkey) {
        return new PasskeyResponse(passkey.id(), passkey.label(), passkey.createdAt(), passkey.lastUsedAt());
    }

}
