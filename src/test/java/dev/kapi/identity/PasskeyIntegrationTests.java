package dev.kapi.identity;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkey routes over HTTP without an authenticator (AdminConsoleBrowserTests registers and uses one in
 * Chromium): the options are WebAuthn JSON for the configured relying party, a ceremony works once and only
 * for its own user, and made-up answers are refused naming the field.
 */
class PasskeyIntegrationTests extends IntegrationTest {

    @Test
    @SuppressWarnings("unchecked")
    void registrationOptionsThenWebAuthnJsonForTheRelyingPartyAndTheUser() {
        TestUser user = newUser();

        Map<String, Object> ceremony = post(user, "/users/me/passkeys/options", 200);

        assertThat((String) ceremony.get("ceremony_id")).hasSize(36);
        Map<String, Object> options = (Map<String, Object>) ceremony.get("options");
        assertThat(options).containsEntry("rp", Map.of("id", "localhost", "name", "Kapı")).containsKey("challenge")
                .containsEntry("attestation", "none");
        assertThat((Map<String, Object>) options.get("user")).containsEntry("name", Long.toString(user.id()))
                .containsEntry("displayName", user.email());
        assertThat((Map<String, Object>) options.get("authenticatorSelection")).containsEntry("residentKey", "required");
        assertThat(get(user, "/users/me/passkeys", 200)).containsEntry("passkeys", List.of());
    }

    @Test
    void registerWhenCeremonyIsUnknownOrAnotherUsersOrTheAnswerMadeUpThenBadRequest() {
        TestUser user = newUser();
        TestUser other = newUser();
        String ceremony = (String) post(user, "/users/me/passkeys/options", 200).get("ceremony_id");
        Map<String, Object> madeUp = Map.of("id", "AAAA", "rawId", "AAAA", "type", "public-key",
                "response", Map.of("clientDataJSON", "e30", "attestationObject", "oA"));

        assertThat(invalidFields(post(other, "/users/me/passkeys", Map.of("ceremony_id", ceremony, "label", "x",
                "credential", madeUp), 400))).containsExactly("ceremony_id");
        assertThat(post(user, "/users/me/passkeys", Map.of("ceremony_id", ceremony, "label", "x", "credential", madeUp),
                400)).containsEntry("type", "urn:kapi:problem:passkey-invalid");
        assertThat(invalidFields(post(user, "/users/me/passkeys", Map.of("ceremony_id", ceremony, "label", "x",
                "credential", madeUp), 400))).containsExactly("credential");
        assertThat(invalidFields(post(user, "/users/me/passkeys", Map.of("ceremony_id", UUID.randomUUID().toString(),
                "label", "x", "credential", madeUp), 400))).containsExactly("ceremony_id");
        as(user.token()).delete().uri("/users/me/passkeys/{id}", "AAAA").exchange().expectStatus().isNotFound();
    }

    @Test
    @SuppressWarnings("unchecked")
    void signInOptionsThenAnyDiscoverablePasskeyAndAMadeUpAnswerIsRefused() {
        Map<String, Object> ceremony = client().post().uri("/auth/passkey/options").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of()).exchange().expectStatus().isOk().expectBody(JSON_OBJECT).returnResult().getResponseBody();

        Map<String, Object> options = (Map<String, Object>) ceremony.get("options");
        assertThat(options).containsEntry("rpId", "localhost").containsKey("challenge");
        assertThat((List<?>) options.getOrDefault("allowCredentials", List.of())).isEmpty();
        client().post().uri("/auth/passkey").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("ceremony_id", ceremony.get("ceremony_id"), "credential", Map.of("id", "AAAA")))
                .exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.type")
                .isEqualTo("urn:kapi:problem:passkey-invalid");
        client().post().uri("/auth/passkey/options").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("mfa_token", "made-up")).exchange().expectStatus().isUnauthorized();
    }
}
