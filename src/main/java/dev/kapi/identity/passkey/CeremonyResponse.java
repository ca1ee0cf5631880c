package dev.kapi.identity.passkey;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.databind.JsonNode;

/**
 * A passkey ceremony's first answer: its id and WebAuthn's options as JSON, for
 * registering, signing in and reauthenticating alike.
 */
public record CeremonyResponse(@JsonProperty("ceremony_id") UUID ceremonyId, JsonNode options) {

    public static CeremonyResponse from(Passkeys.Ceremony ceremony) {
        return new CeremonyResponse(ceremony.id(), ceremony.options());
    }

}
