package dev.kapi.admin;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import dev.kapi.support.IntegrationTest;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ExportIntegrationTests extends IntegrationTest {

    @Autowired
    Flyway flyway;

    @Test
    void exportWhenAdminThenOneZipWithAManifestAndACsvPerTableOfEveryModule() throws IOException {
        // given
        String email = registerUser();
        String admin = newAdminToken();

        // when
        byte[] archive = as(admin).get().uri("/api/admin/export").exchange().expectStatus().isOk()
                .expectHeader().contentType(MediaType.valueOf("application/zip"))
                .expectHeader().value("Content-Disposition", value -> assertThat(value)
                        .startsWith("attachment").contains("kapi-export-"))
                .expectBody(byte[].class).returnResult().getResponseBody();

        // then
        Map<String, String> files = unzip(archive);
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = JsonMapper.builder().build().readValue(files.get("manifest.json"), Map.class);
        assertThat(manifest).containsEntry("format", "kapi-export").containsEntry("version", 2)
                .containsEntry("schemaVersion", flyway.info().current().getVersion().getVersion()).containsKey("createdAt");
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
