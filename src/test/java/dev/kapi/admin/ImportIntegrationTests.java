package dev.kapi.admin;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.Application;
import dev.kapi.shared.database.LocalSecrets;
import dev.kapi.shared.sealing.SealingSettings;
import dev.kapi.shared.sealing.SecretSealer;
import dev.kapi.support.IntegrationTest;
import dev.kapi.support.SecondInstance;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Import of an export archive, over HTTP and as a command: round trips into fresh
 * databases on the same embedded PostgreSQL server, and every refusal (not an admin, not
 * empty, not an archive, another master key) without a change.
 */
class ImportIntegrationTests extends IntegrationTest {

    private static final MediaType ZIP = MediaType.valueOf("application/zip");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Test
    void importWhenDatabaseIsEmptyThenExportingItAgainGivesTheSameTablesAndArchivedUsersSignIn() throws IOException {
        // given: data of every kind, a sealed exchange key and WhatsApp token among it,
        // exported
        Fixture fixture = representativeData();
        byte[] archive = exportOverHttp();
        SecondInstance second = anotherInstance().freshDatabase().start();
        try {
            RestTestClient restored = clientOf(second);
            String importer = signUpAdmin(restored);

            // when
            Map<String, Object> answer = restored.post()
                .uri("/api/admin/import")
                .header("Authorization", "Bearer " + importer)
                .contentType(ZIP)
                .body(archive)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON_OBJECT)
                .returnResult()
                .getResponseBody();

            // then: the same tables, row for row
            assertThat(answer).containsEntry("success", true);
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            second.getBean(Export.class).writeTo(again);
            assertSameTables(unzip(archive), unzip(again.toByteArray()));
            // the importing admin's session went with the old data; the archive's users
            // sign in
            restored.get()
                .uri("/users/me")
                .header("Authorization", "Bearer " + importer)
                .exchange()
                .expectStatus()
                .isUnauthorized();
            String user = signIn(restored, fixture.email());
            restored.get()
                .uri("/api/trading/api-keys")
                .header("Authorization", "Bearer " + user)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains(fixture.keyLabel()));
        }
        finally {
            second.close();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void importWhenAnArchiveOfAnEarlierVersionHoldsOneTimeSecretsThenTheyAreLeftOut() throws IOException, SQLException {
        // given: an archive as earlier versions wrote it, with the one-time secrets'
        // tables and their rows
        String email = registerUser();
        login(email);
        client().post()
            .uri("/auth/forgot-password")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email))
            .exchange()
            .expectStatus()
            .is2xxSuccessful();
        Map<String, byte[]> files = unzipBytes(exportOverHttp());
        Map<String, byte[]> secrets = new LinkedHashMap<>();
        for (String table : List.of("one_time_tokens", "refresh_tokens", "mfa_challenges", "passkey_ceremonies")) {
            secrets.put(table, copyOut(table));
        }
        assertThat(new String(secrets.get("refresh_tokens"), StandardCharsets.UTF_8).lines().count()).isGreaterThan(1);
        Map<String, byte[]> older = new LinkedHashMap<>(files);
        secrets.forEach((table, csv) -> older.put("tables/" + table + ".csv", csv));
        byte[] archive = withManifest(older,
                manifest -> secrets.forEach((table, csv) -> ((List<Map<String, Object>>) manifest.get("tables"))
                    .add(Map.of("name", table, "file", "tables/" + table + ".csv", "rows",
                            new String(csv, StandardCharsets.UTF_8).lines().count() - 1))));
        SecondInstance second = anotherInstance().freshDatabase().start();
        try {
            RestTestClient restored = clientOf(second);
            String importer = signUpAdmin(restored);

            // when
            Map<String, Object> answer = restored.post()
                .uri("/api/admin/import")
                .header("Authorization", "Bearer " + importer)
                .contentType(ZIP)
                .body(archive)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON_OBJECT)
                .returnResult()
                .getResponseBody();

            // then: the rest restored, the secrets not (not even the importing admin's
            // own)
            Map<String, Object> manifest = JSON.readValue(files.get("manifest.json"), Map.class);
            assertThat(answer).containsEntry("tables", ((List<?>) manifest.get("tables")).size());
            JdbcClient restoredDatabase = JdbcClient.create(second.getBean(DataSource.class));
            for (String table : secrets.keySet()) {
                assertThat(restoredDatabase.sql("SELECT count(*) FROM " + table).query(Long.class).single()).as(table)
                    .isZero();
            }
            signIn(restored, email);
        }
        finally {
            second.close();
        }
    }

    @Test
    void importWhenArchiveDoesNotFitThenBadRequestAndNothingChanges() throws IOException {
        // given
        representativeData();
        Map<String, byte[]> files = unzipBytes(exportOverHttp());
        SecondInstance second = anotherInstance().freshDatabase().start();
        try {
            RestTestClient restored = bindToServer().baseUrl(second.baseUrl())
                .defaultHeader("X-Forwarded-For", randomIp())
                .defaultHeader("Accept-Language", "en")
                .build();
            String importer = signUpAdmin(restored);
            Map<String, byte[]> renamed = new LinkedHashMap<>(files);
            renamed.put("tables/accounts.csv",
                    csv(files, "tables/accounts.csv").replaceFirst("^id,", "key,").getBytes(StandardCharsets.UTF_8));
            Map<String, byte[]> damaged = new LinkedHashMap<>(files);
            damaged.put("tables/events.csv",
                    (csv(files, "tables/events.csv") + "not,a,row\n").getBytes(StandardCharsets.UTF_8));

            // when / then: refused, after the tables before it were already loaded, and
            // rolled back
            assertProblem(restored.post()
                .uri("/api/admin/import")
                .header("Authorization", "Bearer " + importer)
                .contentType(ZIP)
                .body(zip(renamed))
                .exchange(), 400, "archive-columns-mismatch", "accounts");
            assertProblem(restored.post()
                .uri("/api/admin/import")
                .header("Authorization", "Bearer " + importer)
                .contentType(ZIP)
                .body(zip(damaged))
                .exchange(), 400, "archive-data-invalid", "events");
            restored.get()
                .uri("/users/me")
                .header("Authorization", "Bearer " + importer)
                .exchange()
                .expectStatus()
                .isOk();
            assertThat(JdbcClient.create(second.getBean(DataSource.class))
                .sql("SELECT count(*) FROM events")
                .query(Long.class)
                .single()).isZero();
        }
        finally {
            second.close();
        }
    }

    @Test
    void importWhenDatabaseHoldsDataThenConflictNamingItAndNothingChanges() {
        // given
        representativeData();
        byte[] archive = exportOverHttp();
        String admin = newAdminToken();
        long accounts = jdbc.sql("SELECT count(*) FROM accounts").query(Long.class).single();

        // when / then
        assertProblem(as(admin).post()
            .uri("/api/admin/import")
            .header("Accept-Language", "en")
            .contentType(ZIP)
            .body(archive)
            .exchange(), 409, "archive-database-not-empty", "Import needs an empty database");
        assertThat(jdbc.sql("SELECT count(*) FROM accounts").query(Long.class).single()).isEqualTo(accounts);
    }

    @Test
    void importWhenNotAdminThenForbidden() {
        byte[] archive = exportOverHttp();

        as(newUserToken()).post()
            .uri("/api/admin/import")
            .contentType(ZIP)
            .body(archive)
            .exchange()
            .expectStatus()
            .isForbidden();
        client().post()
            .uri("/api/admin/import")
            .contentType(ZIP)
            .body(archive)
            .exchange()
            .expectStatus()
            .isUnauthorized();
    }

    @Test
    void importWhenNotAKapiArchiveThenBadRequest() throws IOException {
        String admin = newAdminToken();
        Map<String, byte[]> files = unzipBytes(exportOverHttp());
        Map<String, byte[]> withoutManifest = new LinkedHashMap<>(files);
        withoutManifest.remove("manifest.json");
        byte[] unknownTable = withManifest(files, manifest -> {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> tables = (List<Map<String, Object>>) manifest.get("tables");
            tables.add(Map.of("name", "pg_shadow", "file", "tables/pg_shadow.csv", "rows", 0));
        });

        assertProblem(post(admin, "not a zip".getBytes(StandardCharsets.UTF_8)), 400, "archive-unreadable", "ZIP");
        assertProblem(post(admin, zip(withoutManifest)), 400, "archive-format", "kapi-export");
        assertProblem(post(admin, unknownTable), 400, "archive-table-unknown", "pg_shadow");
        assertProblem(post(admin, withManifest(files, manifest -> manifest.put("schemaVersion", "1"))), 409,
                "archive-schema-mismatch", "1");
    }

    @Test
    void importWhenSealedWithAnotherMasterKeyThenConflictNamingTheKeyToUse() throws IOException {
        // given: an archive whose check value another server sealed
        SecretSealer otherServer = new SecretSealer(
                new SealingSettings("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", List.of()),
                new StaticListableBeanFactory().getBeanProvider(LocalSecrets.class));
        byte[] archive = withManifest(unzipBytes(exportOverHttp()),
                manifest -> manifest.put("sealCheck", otherServer.seal(Export.SEAL_CHECK, Export.SEAL_CONTEXT)));

        // when / then
        assertProblem(post(newAdminToken(), archive), 409, "archive-master-key", "KAPI_MASTER_KEY");
    }

    @Test
    void commandsWhenServerIsStoppedThenExportAndImportIntoAFreshDatabase(@TempDir Path dir) throws IOException {
        // given
        representativeData();
        Path backup = dir.resolve("backup.zip");
        Path again = dir.resolve("again.zip");
        SecondInstance.Builder fresh = anotherInstance().freshDatabase();

        // when
        Run exported = command(anotherInstance(), "export", backup.toString());
        Run imported = command(fresh, "import", backup.toString());
        Run reexported = command(fresh, "export", again.toString());
        Run refused = command(fresh, "import", backup.toString());

        // then
        assertThat(exported.status()).as(exported.err()).isZero();
        assertThat(exported.out()).startsWith("Exported ").contains(backup.toString());
        assertThat(imported.status()).as(imported.err()).isZero();
        assertThat(imported.out()).startsWith("Imported ");
        assertThat(reexported.status()).as(reexported.err()).isZero();
        assertSameTables(unzip(Files.readAllBytes(backup)), unzip(Files.readAllBytes(again)));
        assertThat(refused.status()).isOne();
        assertThat(refused.err()).contains("Import needs an empty database");
    }

    @Test
    void commandWhenArgumentsAreWrongThenUsage() {
        Run run = run(new String[] { "export" }, new SpringApplicationBuilder(Application.class));

        assertThat(run.status()).isOne();
        assertThat(run.err()).contains("usage:");
        assertThat(BackupCommand.handles(new String[] { "--server.port=9000" })).isFalse();
    }

    /** A new client of the instance (its own address, for the rate limits). */
    private static RestTestClient clientOf(SecondInstance instance) {
        return bindToServer().baseUrl(instance.baseUrl()).defaultHeader("X-Forwarded-For", randomIp()).build();
    }

    private record Fixture(String email, String keyLabel) {
    }

    /**
     * A user with a sealed exchange key and a WhatsApp sender token, an event and a
     * support request.
     */
    private Fixture representativeData() {
        String email = registerUser();
        String user = login(email);
        String secret = UUID.randomUUID().toString();
        String label = "Yedek " + secret;
        as(user).post()
            .uri("/api/trading/api-keys")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("exchange", "binance", "label", label, "api_key", "key-" + secret, "api_secret",
                    "secret-" + secret))
            .exchange()
            .expectStatus()
            .isCreated();
        as(user).post()
            .uri("/api/messaging/senders")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "Ana hat", "phone", "0532 000 00 01", "provider", "whatsapp_cloud", "phone_number_id",
                    "pn-" + secret, "access_token", "EAAG-backup-token"))
            .exchange()
            .expectStatus()
            .isCreated();
        as(user).post()
            .uri("/api/support/requests")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("subject", "Yedek", "body", "Çalışıyor mu?"))
            .exchange()
            .expectStatus()
            .isCreated();
        as(newAdminToken()).post()
            .uri("/events")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("title", "Yedekten dönen etkinlik", "start_time", "2030-01-01T10:00:00Z", "end_time",
                    "2030-01-01T11:00:00Z"))
            .exchange()
            .expectStatus()
            .isCreated();
        return new Fixture(email, label);
    }

    private byte[] exportOverHttp() {
        return as(newAdminToken()).get()
            .uri("/api/admin/export")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(byte[].class)
            .returnResult()
            .getResponseBody();
    }

    private RestTestClient.ResponseSpec post(String token, byte[] archive) {
        return as(token).post()
            .uri("/api/admin/import")
            .header("Accept-Language", "en")
            .contentType(ZIP)
            .body(archive)
            .exchange();
    }

    private static void assertProblem(RestTestClient.ResponseSpec response, int status, String code,
            String messagePart) {
        Map<String, Object> problem = response.expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(problem).containsEntry("type", "urn:kapi:problem:" + code);
        assertThat((String) problem.get("message")).contains(messagePart);
    }

    private String signUpAdmin(RestTestClient client) {
        String email = uniqueEmail();
        client.post()
            .uri("/auth/register/admin")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email, "password", PASSWORD, "full_name", "Yeni Yönetici", "admin_secret",
                    ADMIN_SECRET))
            .exchange()
            .expectStatus()
            .isCreated();
        return signIn(client, email);
    }

    private static String signIn(RestTestClient client, String email) {
        return client.post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody()
            .access_token();
    }

    private record Run(int status, String out, String err) {
    }

    private static Run command(SecondInstance.Builder instance, String... args) {
        return run(args, instance.application());
    }

    private static Run run(String[] args, SpringApplicationBuilder application) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BackupCommand.run(args, application, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Both archives hold the same tables with the same rows, whenever and wherever they
     * were written.
     */
    @SuppressWarnings("unchecked")
    private static void assertSameTables(Map<String, String> expected, Map<String, String> actual) {
        Map<String, Object> expectedManifest = JSON.readValue(expected.get("manifest.json"), Map.class);
        Map<String, Object> actualManifest = JSON.readValue(actual.get("manifest.json"), Map.class);
        assertThat(actualManifest.get("tables")).isEqualTo(expectedManifest.get("tables"));
        assertThat(actualManifest.get("schemaVersion")).isEqualTo(expectedManifest.get("schemaVersion"));
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String file : expected.keySet()) {
            if (!file.equals("manifest.json")) {
                assertThat(actual.get(file)).as(file).isEqualTo(expected.get(file));
            }
        }
    }

    /** A table as earlier versions' export wrote it. */
    private byte[] copyOut(String table) throws SQLException, IOException {
        try (Connection connection = dataSource.getConnection()) {
            ByteArrayOutputStream csv = new ByteArrayOutputStream();
            connection.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyOut("COPY " + table + " TO STDOUT WITH (FORMAT csv, HEADER true)", csv);
            return csv.toByteArray();
        }
    }

    private static String csv(Map<String, byte[]> files, String name) {
        return new String(files.get(name), StandardCharsets.UTF_8);
    }

    private static byte[] withManifest(Map<String, byte[]> files,
            java.util.function.Consumer<Map<String, Object>> change) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> manifest = JSON.readValue(files.get("manifest.json"), Map.class);
        change.accept(manifest);
        Map<String, byte[]> changed = new LinkedHashMap<>(files);
        changed.put("manifest.json", JSON.writeValueAsBytes(manifest));
        return zip(changed);
    }

    private static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static Map<String, String> unzip(byte[] archive) throws IOException {
        Map<String, String> files = new HashMap<>();
        unzipBytes(archive).forEach((name, bytes) -> files.put(name, new String(bytes, StandardCharsets.UTF_8)));
        return files;
    }

    private static Map<String, byte[]> unzipBytes(byte[] archive) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive), StandardCharsets.UTF_8)) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                files.put(entry.getName(), zip.readAllBytes());
            }
        }
        return files;
    }

}
