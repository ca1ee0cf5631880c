package dev.kapi.identity.passkey;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialCreationOptions;
import org.springframework.security.web.webauthn.api.PublicKeyCredentialRequestOptions;
import org.springframework.security.web.webauthn.jackson.WebauthnJacksonModule;

import tools.jackson.databind.json.JsonMapper;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passkey routes over HTTP without an authenticator (AdminConsoleBrowserTests registers
 * and uses one in Chromium): the options are WebAuthn JSON for the configured relying
 * party, a ceremony works once and only for its own user, and made-up answers are refused
 * naming the field.
 */
class PasskeyIntegrationTests extends IntegrationTest {

    /** Spring Security's writer of WebAuthn JSON, as the routes answer it. */
    private static final JsonMapper WEBAUTHN = JsonMapper.builder().addModule(new WebauthnJacksonModule()).build();

    @Autowired
    JdbcClient jdbc;

    @Test
    @SuppressWarnings("unchecked")
    void registrationOptionsThenWebAuthnJsonForTheRelyingPartyAndTheUser() {
        TestUser user = newUser();

        Map<String, Object> ceremony = post(user, "/users/me/passkeys/options", 200);

        assertThat((String) ceremony.get("ceremony_id")).hasSize(36);
        Map<String, Object> options = (Map<String, Object>) ceremony.get("options");
        assertThat(options).containsEntry("rp", Map.of("id", "localhost", "name", "Kapı"))
            .containsKey("challenge")
            .containsEntry("attestation", "none");
        assertThat((Map<String, Object>) options.get("user")).containsEntry("name", Long.toString(user.id()))
            .containsEntry("displayName", user.email());
        assertThat((Map<String, Object>) options.get("authenticatorSelection")).containsEntry("residentKey",
                "required");
        assertThat(get(user, "/users/me/passkeys", 200)).containsEntry("passkeys", List.of());
    }

    @Test
    void registerWhenCeremonyIsUnknownOrAnotherUsersOrTheAnswerMadeUpThenBadRequest() {
        TestUser user = newUser();
        TestUser other = newUser();
        String ceremony = (String) post(user, "/users/me/passkeys/options", 200).get("ceremony_id");
        Map<String, Object> madeUp = Map.of("id", "AAAA", "rawId", "AAAA", "type", "public-key", "response",
                Map.of("clientDataJSON", "e30", "attestationObject", "oA"));

        assertThat(invalidFields(post(other, "/users/me/passkeys",
                Map.of("ceremony_id", ceremony, "label", "x", "credential", madeUp), 400)))
            .containsExactly("ceremony_id");
        assertThat(post(user, "/users/me/passkeys", Map.of("ceremony_id", ceremony, "label", "x", "credential", madeUp),
                400))
            .containsEntry("type", "urn:kapi:problem:passkey-invalid");
        assertThat(invalidFields(post(user, "/users/me/passkeys",
                Map.of("ceremony_id", ceremony, "label", "x", "credential", madeUp), 400)))
            .containsExactly("credential");
        assertThat(invalidFields(post(user, "/users/me/passkeys",
                Map.of("ceremony_id", UUID.randomUUID().toString(), "label", "x", "credential", madeUp), 400)))
            .containsExactly("ceremony_id");
        as(user.token()).delete().uri("/users/me/passkeys/{id}", "AAAA").exchange().expectStatus().isNotFound();
    }

    @Test
    @SuppressWarnings("unchecked")
    void signInOptionsThenAnyDiscoverablePasskeyAndAMadeUpAnswerIsRefused() {
        Map<String, Object> ceremony = client().post()
            .uri("/auth/passkey/options")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        Map<String, Object> options = (Map<String, Object>) ceremony.get("options");
        assertThat(options).containsEntry("rpId", "localhost").containsKey("challenge");
        assertThat((List<?>) options.getOrDefault("allowCredentials", List.of())).isEmpty();
        client().post()
            .uri("/auth/passkey")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("ceremony_id", ceremony.get("ceremony_id"), "credential", Map.of("id", "AAAA")))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:passkey-invalid");
        client().post()
            .uri("/auth/passkey/options")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("mfa_token", "made-up"))
            .exchange()
            .expectStatus()
            .isUnauthorized();
    }

    @Test
    @SuppressWarnings("unchecked")
    void ceremonyWhenStoredThenJsonThatRebuildsTheOptionsTheClientWasGiven() {
        TestUser user = newUser();
        Map<String, Object> registration = post(user, "/users/me/passkeys/options", 200);
        Map<String, Object> anonymous = client().post()
            .uri("/auth/passkey/options")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(jdbc.sql("""
                SELECT data_type FROM information_schema.columns
                WHERE table_name = 'passkey_ceremonies' AND column_name = 'options'
                """).query(String.class).single()).isEqualTo("jsonb");
        for (Map<String, Object> ceremony : List.of(registration, anonymous)) {
            Map<String, Object> given = new HashMap<>((Map<String, Object>) ceremony.get("options"));
            given.remove("extensions");
            Class<?> type = given.containsKey("rp") ? PublicKeyCredentialCreationOptions.class
                    : PublicKeyCredentialRequestOptions.class;
            Object rebuilt = PasskeyCeremonyOptions.read(WEBAUTHN, stored(ceremony), type);
            Map<String, Object> kept = new HashMap<>(
                    WEBAUTHN.readValue(WEBAUTHN.writeValueAsString(rebuilt), Map.class));
            // extensions (credProps) are asked of the authenticator; verifying its answer
            // reads none of them
            kept.remove("extensions");
            assertThat(kept).isEqualTo(given);
        }
    }

    @Test
    void signInWhenTheStoredCeremonyIsPlantedThenBadRequestNamingTheCeremonyNeverA500() {
        // a row planted through an edited backup was read with ObjectInputStream: 500
        // (issue 27)
        String serialized = Base64.getEncoder().encodeToString(javaSerialized(new java.util.ArrayList<>(List.of("x"))));
        for (String planted : List.of("\"" + serialized + "\"", "{}", "[]", "{\"challenge\": 5}",
                "{\"challenge\": \"!!\", \"rpId\": \"localhost\"}")) {
            Map<String, Object> ceremony = client().post()
                .uri("/auth/passkey/options")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON_OBJECT)
                .returnResult()
                .getResponseBody();
            jdbc.sql("UPDATE passkey_ceremonies SET options = CAST(:planted AS jsonb) WHERE id = CAST(:id AS uuid)")
                .param("planted", planted)
                .param("id", ceremony.get("ceremony_id"))
                .update();

            Map<String, Object> problem = client().post()
                .uri("/auth/passkey")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("ceremony_id", ceremony.get("ceremony_id"), "credential", Map.of("id", "AAAA")))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody(JSON_OBJECT)
                .returnResult()
                .getResponseBody();
            assertThat(invalidFields(problem)).as(planted).containsExactly("ceremony_id");
        }
    }

    private String stored(Map<String, Object> ceremony) {
        return jdbc.sql("SELECT options::text FROM passkey_ceremonies WHERE id = CAST(:id AS uuid)")
            .param("id", ceremony.get("ceremony_id"))
            .query(String.class)
            .single();
    }

    private static byte[] javaSerialized(java.io.Serializable value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        return bytes.toByteArray();
    }

}
