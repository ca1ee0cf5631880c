package dev.kapi.admin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kapi.support.IntegrationTest;
import dev.kapi.support.Totp;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ExportIntegrationTests extends IntegrationTest {

    /** What a backup never holds. */
    private static final List<String> ONE_TIME_SECRETS = List.of("one_time_tokens", "refresh_tokens", "mfa_challenges",
            "passkey_ceremonies");

    @Autowired
    Flyway flyway;

    @Autowired
    JdbcClient jdbc;

    @Test
    void exportWhenAdminThenOneZipWithAManifestAndACsvPerTableOfEveryModule() throws IOException {
        // given
        String email = registerUser();
        String admin = newAdminToken();

        // when
        byte[] archive = as(admin).get()
            .uri("/api/admin/export")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType(MediaType.valueOf("application/zip"))
            .expectHeader()
            .value("Content-Disposition", value -> assertThat(value).startsWith("attachment").contains("kapi-export-"))
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();

        // then
        Map<String, String> files = unzip(archive);
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = JsonMapper.builder().build().readValue(files.get("manifest.json"), Map.class);
        assertThat(manifest).containsEntry("format", "kapi-export")
            .containsEntry("version", 2)
            .containsEntry("schemaVersion", flyway.info().current().getVersion().getVersion())
            .containsKey("createdAt");
        assertThat((String) manifest.get("sealCheck")).startsWith("v1:");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tables = (List<Map<String, Object>>) manifest.get("tables");
        assertThat(tables).extracting(table -> table.get("name"))
            .contains("accounts", "sessions", "credit_entries", "events", "messaging_queues", "trading_bots",
                    "support_requests")
            .doesNotContain("flyway_schema_history");
        for (Map<String, Object> table : tables) {
            String csv = files.get((String) table.get("file"));
            assertThat(csv).as((String) table.get("name")).isNotNull();
            assertThat(csv.lines().count() - 1).isGreaterThanOrEqualTo(((Number) table.get("rows")).longValue());
        }
        assertThat(files.get("tables/accounts.csv")).startsWith("id,").contains(email);
    }

    @Test
    void exportThenNoRowOfAOneTimeSecretEvenWithAMagicLinkAResetARefreshTokenAndACeremonyPending() throws IOException {
        // given: a pending sign-in mail (link and six-digit code), a password reset, a
        // refresh token, a
        // second-factor challenge and a passkey ceremony, each of which a backup's reader
        // could use (issue 27)
        String email = registerUser();
        Token signedIn = signIn(email, PASSWORD);
        String secret = (String) as(signedIn.access_token()).post()
            .uri("/users/me/mfa/totp")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("secret");
        as(signedIn.access_token()).post()
            .uri("/users/me/mfa/totp/confirm")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("code", Totp.code(secret, clock.instant(), 0)))
            .exchange()
            .expectStatus()
            .isOk();
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.mfa_required")
            .isEqualTo(true);
        client().post()
            .uri("/auth/magic-link")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email))
            .exchange()
            .expectStatus()
            .isAccepted();
        client().post()
            .uri("/auth/forgot-password")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email))
            .exchange()
            .expectStatus()
            .is2xxSuccessful();
        as(signedIn.access_token()).post().uri("/users/me/passkeys/options").exchange().expectStatus().isOk();
        long account = accountIdOf(signedIn.access_token());
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.sql("""
                SELECT count(DISTINCT purpose) FROM one_time_tokens
                WHERE account_id = :id AND purpose IN ('magic-link', 'magic-code', 'reset-password') AND used_at IS NULL
                """).param("id", account).query(Long.class).single() == 3);
        List<String> secrets = jdbc.sql("""
                SELECT token_hash FROM one_time_tokens WHERE account_id = :id
                UNION ALL SELECT token_hash FROM mfa_challenges WHERE account_id = :id
                UNION ALL SELECT r.token_hash FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id
                  WHERE s.account_id = :id
                UNION ALL SELECT id::text FROM passkey_ceremonies WHERE account_id = :id
                """).param("id", account).query(String.class).list();
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(6);

        // when
        Map<String, String> files = unzip(as(newAdminToken()).get()
            .uri("/api/admin/export")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody());

        // then: neither a file nor a manifest entry of those tables; the accounts are
        // there
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = JsonMapper.builder().build().readValue(files.get("manifest.json"), Map.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> tables = (List<Map<String, Object>>) manifest.get("tables");
        assertThat(tables).extracting(table -> table.get("name"))
            .contains("accounts", "sessions", "mfa_recovery_codes")
            .doesNotContainAnyElementsOf(ONE_TIME_SECRETS);
        assertThat(files.keySet())
            .noneMatch(file -> ONE_TIME_SECRETS.stream().anyMatch(table -> file.equals("tables/" + table + ".csv")));
        String archive = String.join("\n", files.values());
        assertThat(secrets).noneMatch(archive::contains);
    }

    @Test
    void exportWhenNotAdminThenForbidden() {
        as(newUserToken()).get().uri("/api/admin/export").exchange().expectStatus().isForbidden();
        client().get().uri("/api/admin/export").exchange().expectStatus().isUnauthorized();
    }

    private static Map<String, String> unzip(byte[] archive) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive), StandardCharsets.UTF_8)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                files.put(entry.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }

}
