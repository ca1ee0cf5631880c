package dev.kapi.identity.importing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kapi.identity.ImportCommand;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line: a realm export made by Keycloak 26 (Keycloak's own migration test
 * realm) converted with {@code convert-keycloak}, imported offline with
 * {@code import-users}, and its user signed in with the password Keycloak knew.
 */
class ImportCommandIntegrationTests extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Test
    void convertKeycloakThenImportUsersWhenAKeycloak26ExportThenItsUserSignsInWithTheOldPassword(@TempDir Path dir)
            throws IOException {
        Path export = Path.of("src/test/resources/importing/keycloak-26.6.0-migration-realm.json");
        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int converted = ImportCommand.run(
                new String[] { "convert-keycloak", export.toString(), "--missing-email-domain=keycloak.example" },
                anotherInstance().application(), new PrintStream(lines, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(converted).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String ndjson = lines.toString(StandardCharsets.UTF_8);
        assertThat(ndjson.lines()).hasSize(3);
        assertThat(ndjson).contains("\"username\":\"offline-test-user\"")
            .contains("\"password_hash_algorithm\":\"pbkdf2-sha256\"")
            .contains("\"iterations\":27500")
            .contains("\"created_at\":\"2020-05-18T20:45:05.173Z\"");
        Path file = dir.resolve("users.ndjson");
        Files.writeString(file, ndjson);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int imported = ImportCommand.run(new String[] { "import-users", file.toString() },
                anotherInstance().application(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(imported).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("imported 3, updated 0, skipped 0");
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(java.util.Map.of("username", "offline-test-user", "password", "password1"))
            .exchange()
            .expectStatus()
            .isBadRequest();
        assertThat(login("offline-test-user", "password2")).isNotBlank();
        assertThat(jdbc.sql("SELECT password_hash FROM accounts WHERE username = 'offline-test-user'")
            .query(String.class)
            .single()).startsWith("{bcrypt-sha256}");

        // The same file again: every address is there, so each line is skipped.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertThat(ImportCommand.run(new String[] { "import-users", file.toString(), "--dry-run" },
                anotherInstance().application(), new PrintStream(again, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)))
            .isZero();
        assertThat(again.toString(StandardCharsets.UTF_8)).contains("dry run: imported 0, updated 0, skipped 3");
    }

}
