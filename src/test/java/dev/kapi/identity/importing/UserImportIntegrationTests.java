package dev.kapi.identity.importing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/admin/users/import} end to end: users from other systems sign in with
 * their old passwords, whose hashes are then replaced by Kapı's own; one bad line refuses
 * the whole file; and a service key cannot take an admin over by importing a hash.
 */
class UserImportIntegrationTests extends IntegrationTest {

    private static final MediaType NDJSON = MediaType.parseMediaType("application/x-ndjson");

    @Autowired
    JdbcClient jdbc;

    @Test
    void importWhenEachForeignHashFormThenUsersSignInWithTheirOldPasswordsAndTheHashIsReplaced() {
        TestUser admin = newAdmin();
        String bcrypt = uniqueEmail();
        String argon2 = uniqueEmail();
        String keycloak = uniqueEmail();
        String firebase = uniqueEmail();
        String file = String.join("\n",
                line(bcrypt,
                        "\"password_hash_algorithm\":\"bcrypt\",\"password_hash\":"
                                + "\"$2y$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i\""),
                line(argon2, "\"password_hash_algorithm\":\"argon2\",\"password_hash\":"
                        + "\"$argon2id$v=19$m=4096,t=3,p=1$QUFBQUFBQUFBQUFBQUFBQQ$hmmTNyJlwbb6HAvFoHFWF+u03fdb0F2qA+39oPlcAqo\""),
                line(keycloak, "\"password_hash_algorithm\":\"pbkdf2-sha256\",\"password_hash\":{\"value\":"
                        + "\"kNwotFPNeuwelpT1HWt+E4ONXFK6wjd+h0zbzNBRGwOqacAjeY7vYN9QZQ46DlEKSdn04cEU/3RvX8WPcRegxg==\","
                        + "\"salt\":\"rEIJDbs+BQqpx31v8mONWA==\",\"iterations\":27500}"),
                line(firebase, "\"password_hash_algorithm\":\"scrypt-firebase\",\"password_hash\":{\"value\":"
                        + "\"lSrfV15cpx95/sZS2W9c9Kp6i/LVgQNDNC/qzrCnh1SAyZvqmZqAjTdn3aoItz+VHjoZilo78198JAdRuid5lQ==\","
                        + "\"salt\":\"42xEC+ixf3L2lw==\",\"signer_key\":\"jxspr8Ki0RYycVU8zykbdLGjFQ3McFUH0uiiTvC8pVMXA"
                        + "n210wjLNmdZJzxUECKbm0QsEmYUSDzZvpjeJ9WmXA==\",\"salt_separator\":\"Bw==\",\"rounds\":8,"
                        + "\"mem_cost\":14}"))
                + "\n";

        Map<String, Object> answer = importFile(admin.token(), "", file, 200);

        assertThat(answer).containsEntry("imported", 4).containsEntry("updated", 0).containsEntry("skipped", 0);
        Map<String, String> passwords = Map.of(bcrypt, "abc", argon2, "sometestpassword", keycloak, "password2",
                firebase, "user1password");
        passwords.forEach((email, password) -> {
            assertThat(storedHash(email)).doesNotStartWith("{bcrypt-sha256}");
            client().post()
                .uri("/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("username", email, "password", password + "x"))
                .exchange()
                .expectStatus()
                .isBadRequest();
            assertThat(login(email, password)).isNotBlank();
            assertThat(storedHash(email)).startsWith("{bcrypt-sha256}$2a$");
            assertThat(login(email, password)).isNotBlank();
        });
        as(admin.token()).get()
            .uri("/api/admin/audit?type=users-imported&user={id}", admin.id())
            .exchange()
            .expectBody()
            .jsonPath("$.data[0].details")
            .value(String.class, details -> assertThat(details).contains("imported=4;updated=0;skipped=0"));
    }

    @Test
    void reauthenticateWhenTheStoredHashIsAForeignOneThenItIsReplacedAsSignInReplacesIt() {
        TestUser user = newUser();
        // What an import leaves for a session that outlived it: only the database can
        // make it, since an imported hash ends the account's sessions.
        jdbc.sql("UPDATE accounts SET password_hash = :hash WHERE id = :id")
            .param("hash", "{bcrypt}$2b$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i")
            .param("id", user.id())
            .update();

        as(user.token()).post()
            .uri("/auth/reauthenticate")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("password", "abc"))
            .exchange()
            .expectStatus()
            .isOk();

        assertThat(storedHash(user.email())).startsWith("{bcrypt-sha256}$2a$");
        assertThat(login(user.email(), "abc")).isNotBlank();
    }

    @Test
    void importWhenAWebhookListensThenOneUsersImportedEventWithTheCounts() {
        TestUser admin = newAdmin();
        Map<String, Object> webhook = as(admin.token()).post()
            .uri("/api/admin/webhooks")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("url", TELEGRAM.baseUrl() + "/hooks/import", "events", List.of("users.imported")))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        importFile(admin.token(), "", line(uniqueEmail(), "") + "\n" + line(uniqueEmail(), ""), 200);
        importFile(admin.token(), "?dry_run=true", line(uniqueEmail(), ""), 200);

        as(admin.token()).get()
            .uri("/api/admin/webhooks/{id}/deliveries", webhook.get("id"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$[*].type")
            .value(List.class, types -> assertThat(types).containsExactly("users.imported"));
        String body = jdbc.sql("SELECT body FROM webhook_deliveries WHERE webhook_id = :id")
            .param("id", ((Number) webhook.get("id")).longValue())
            .query(String.class)
            .single();
        assertThat(body).contains("\"imported\":2").contains("\"imported_by\":" + admin.id());
    }

    @Test
    void importWhenAnyLineIsBadThen400ListsEachByNumberAndFieldAndNothingIsWritten() {
        TestUser admin = newAdmin();
        String good = uniqueEmail();
        String file = String.join("\n", line(good, "\"name\":\"Ayşe\""),
                "{\"email\":\"not-an-address\",\"role\":\"admin\"}", "",
                line(uniqueEmail(), "\"password_hash_algorithm\":\"pbkdf2-sha512\",\"password_hash\":{\"value\":"
                        + "\"kNwotFPNeuwelpT1HWt+E4ONXFK6wjd+h0zbzNBRGwM=\",\"salt\":\"AAAA\",\"iterations\":5000000}"),
                line(good, ""), "[1,2]",
                line(uniqueEmail(), "\"password_hash_algorithm\":\"md5\",\"password_hash\":\"x\""));

        Map<String, Object> problem = importFile(admin.token(), "", file, 400);

        assertThat(problem).containsEntry("type", "urn:kapi:problem:import-invalid").containsEntry("bad_lines", 5);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lines = (List<Map<String, Object>>) problem.get("lines");
        assertThat(lines).extracting(line -> line.get("line") + " " + line.get("field") + " " + line.get("code"))
            .contains("2 email email-invalid", "4 password_hash.iterations hash-too-costly", "2 role unknown-field",
                    "5 email duplicate-in-file", "6 null import-line-not-json",
                    "7 password_hash_algorithm hash-algorithm-unknown");
        assertThat(lines).filteredOn(line -> "hash-too-costly".equals(line.get("code")))
            .extracting(line -> line.get("message"))
            .containsExactly("iterations must be 1 to 1000000");
        assertThat(accountCount(good)).isZero();

        Map<String, Object> dryRun = importFile(admin.token(), "?dry_run=true", line(good, "") + "\n", 200);
        assertThat(dryRun).containsEntry("imported", 1);
        assertThat(accountCount(good)).isZero();
    }

    @Test
    void importWhenALineNamesExternalIdentitiesThenOnlyConfiguredProvidersAndEachSubjectOnceAndTheUserSeesTheLink() {
        TestUser admin = newAdmin();
        String alias = "gh-" + UUID.randomUUID().toString().substring(0, 8);
        as(admin.token()).post()
            .uri("/api/admin/identity-providers")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("alias", alias, "preset", "github", "client_id", "import-" + alias, "client_secret", "s"))
            .exchange()
            .expectStatus()
            .isCreated();
        String email = uniqueEmail();
        String subject = "583231-" + alias;
        String bcrypt = "\"password_hash_algorithm\":\"bcrypt\",\"password_hash\":"
                + "\"$2y$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i\"";
        String unknown = line(uniqueEmail(),
                "\"external_identities\":[{\"alias\":\"no-such-" + alias + "\",\"subject\":\"1\"}]");

        Map<String, Object> refused = importFile(admin.token(), "", unknown + "\n", 400);

        assertThat(refused.get("lines").toString()).contains("identity-provider-unknown");

        importFile(admin.token(), "", line(email,
                bcrypt + ",\"external_identities\":[{\"alias\":\"" + alias + "\",\"subject\":\"" + subject + "\"}]")
                + "\n", 200);
        Map<String, Object> taken = importFile(admin.token(), "",
                line(uniqueEmail(),
                        "\"external_identities\":[{\"alias\":\"" + alias + "\",\"subject\":\"" + subject + "\"}]")
                        + "\n",
                400);

        assertThat(taken.get("lines").toString()).contains("external-identity-taken");
        as(login(email, "abc")).get()
            .uri("/users/me/identities")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$[0].alias")
            .isEqualTo(alias)
            .jsonPath("$[0].subject")
            .isEqualTo(subject);
    }

    @Test
    void importWhenTheAddressExistsThenSkippedOrUpdatedAndAnUpdatedHashEndsTheOldSessions() {
        TestUser admin = newAdmin();
        TestUser user = newUser();
        String bcryptOfAbc = "\"password_hash_algorithm\":\"bcrypt\",\"password_hash\":"
                + "\"$2b$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i\"";

        assertThat(importFile(admin.token(), "", line(user.email(), bcryptOfAbc), 200)).containsEntry("skipped", 1)
            .containsEntry("imported", 0);
        assertThat(login(user.email(), PASSWORD)).isNotBlank();

        Map<String, Object> updated = importFile(admin.token(), "?on_existing=update",
                line(user.email(), bcryptOfAbc + ",\"surname\":\"Yılmaz\""), 200);

        assertThat(updated).containsEntry("updated", 1);
        as(user.token()).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", user.email(), "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isBadRequest();
        assertThat(login(user.email(), "abc")).isNotBlank();
    }

    @Test
    void importWhenAnAdminWriteKeyNamesAnExistingAdminOrMakesOneThenRefusedAndTheAdminKeepsItsPassword() {
        TestUser admin = newAdmin();
        TestUser victim = newAdmin();
        String writer = serviceKey(admin, "admin:write");
        String reader = serviceKey(admin, "admin:read");
        String knownHash = "\"password_hash_algorithm\":\"bcrypt\",\"password_hash\":"
                + "\"$2b$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i\"";
        String newcomer = uniqueEmail();

        Map<String, Object> problem = importFile(writer, "?on_existing=update",
                line(victim.email(), knownHash) + "\n" + line(newcomer, knownHash + ",\"user_type\":\"admin\""), 400);

        assertThat(problem).extracting("lines")
            .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
            .extracting(line -> ((Map<?, ?>) line).get("line") + " " + ((Map<?, ?>) line).get("code"))
            .containsExactly("1 import-admin-needs-person", "2 import-admin-needs-person");
        assertThat(login(victim.email(), PASSWORD)).isNotBlank();
        assertThat(accountCount(newcomer)).isZero();
        as(reader).post()
            .uri("/api/admin/users/import")
            .contentType(NDJSON)
            .body(line(uniqueEmail(), ""))
            .exchange()
            .expectStatus()
            .isForbidden();
        importFile(newUser().token(), "", line(uniqueEmail(), ""), 403);
        // The key may still import ordinary users: it is the admin's automation.
        assertThat(importFile(writer, "", line(newcomer, knownHash), 200)).containsEntry("imported", 1);
    }

    @Test
    void importWhenTheAdminsProofIsOlderThanFiveMinutesThenReauthenticationRequired() {
        TestUser admin = newAdmin();
        clock.advance(Duration.ofMinutes(6));

        Map<String, Object> problem = importFile(admin.token(), "", line(uniqueEmail(), ""), 401);

        assertThat(problem).containsEntry("type", "urn:kapi:problem:reauthentication-required");
    }

    @Test
    void importWhenTheFileHasOneLineMoreThanTheDocumented200000Then400NamingTheBoundAndNothingImported()
            throws Exception {
        TestUser admin = newAdmin();
        String run = UUID.randomUUID().toString().substring(0, 8);

        HttpResponse<String> over = importStreamed(admin.token(), "", 200_001,
                number -> line("bound-" + run + "-" + number + "@example.com", ""));

        assertThat(over.statusCode()).as(over.body()).isEqualTo(400);
        assertThat(over.body()).contains("urn:kapi:problem:import-too-many-lines").containsPattern("200[,.]?000");
        assertThat(jdbc.sql("SELECT count(*) FROM accounts WHERE email LIKE :pattern")
            .param("pattern", "bound-" + run + "-%")
            .query(Long.class)
            .single()).isZero();

        HttpResponse<String> atTheBound = importStreamed(admin.token(), "?dry_run=true", 200_000,
                number -> line("bound-" + run + "-" + number + "@example.com", ""));
        assertThat(atTheBound.statusCode()).as(atTheBound.body()).isEqualTo(200);
        assertThat(atTheBound.body()).contains("\"imported\":200000");
    }

    @Test
    void importWhenALineIsOneByteOverTheDocumented16KibThenThatLineIsListedAndNothingImported() {
        TestUser admin = newAdmin();
        String atTheBound = uniqueEmail();
        String over = uniqueEmail();
        String file = padded(line(atTheBound, ""), 16_384) + "\n" + padded(line(over, ""), 16_385) + "\n"
                + line(uniqueEmail(), "") + "\n";

        Map<String, Object> problem = importFile(admin.token(), "", file, 400);

        assertThat(problem).containsEntry("type", "urn:kapi:problem:import-invalid").containsEntry("bad_lines", 1);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> lines = (List<Map<String, Object>>) problem.get("lines");
        assertThat(lines).extracting(line -> line.get("line") + " " + line.get("code"))
            .containsExactly("2 import-line-too-long");
        assertThat(lines.getFirst().get("message")).asString().contains("16384");
        assertThat(accountCount(atTheBound)).isZero();
        assertThat(accountCount(over)).isZero();

        assertThat(importFile(admin.token(), "", padded(line(atTheBound, ""), 16_384) + "\n", 200))
            .as("a line of exactly 16,384 bytes is taken")
            .containsEntry("imported", 1);
        assertThat(accountCount(atTheBound)).isOne();
    }

    @Test
    void importWhenTheBodyIsDeclaredOneByteOverTheDocumented256MbThen413NamingTheCapUnread() throws IOException {
        TestUser admin = newAdmin();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            // 256 MB and one byte announced; not one byte of it is sent.
            socket.getOutputStream()
                .write(("POST /api/admin/users/import HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + admin.token() + "\r\nX-Forwarded-For: " + randomIp()
                        + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: " + (256L * 1024 * 1024 + 1)
                        + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!answer.toString(StandardCharsets.UTF_8).contains("}")) {
                int n = socket.getInputStream().read(buffer);
                if (n < 0) {
                    break;
                }
                answer.write(buffer, 0, n);
            }
            assertThat(answer.toString(StandardCharsets.UTF_8)).startsWith("HTTP/1.1 413")
                .contains("urn:kapi:problem:payload-too-large")
                .contains("256 MB");
        }
    }

    /**
     * A JSON line grown to {@code bytes} bytes with the spaces JSON allows before its
     * end.
     */
    private static String padded(String line, int bytes) {
        return line.substring(0, line.length() - 1) + " ".repeat(bytes - line.length()) + "}";
    }

    /**
     * Posts {@code count} lines made as they are sent (chunked), as a large export
     * streams in.
     */
    private HttpResponse<String> importStreamed(String token, String query, int count, IntFunction<String> line)
            throws IOException, InterruptedException {
        Enumeration<InputStream> lines = new Enumeration<>() {

            private int number;

            @Override
            public boolean hasMoreElements() {
                return number < count;
            }

            @Override
            public InputStream nextElement() {
                number++;
                return new ByteArrayInputStream((line.apply(number) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        };
        return HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/admin/users/import" + query))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", NDJSON.toString())
                .header("X-Forwarded-For", randomIp())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(lines)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Object> importFile(String token, String query, String body, int status) {
        return as(token).post()
            .uri("/api/admin/users/import" + query)
            .contentType(NDJSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    private String serviceKey(TestUser admin, String scope) {
        return (String) as(admin.token()).post()
            .uri("/api/admin/service-keys")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "import " + scope, "scopes", List.of(scope)))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("key");
    }

    private static String line(String email, String rest) {
        return "{\"email\":\"" + email + "\"" + (rest.isEmpty() ? "" : "," + rest) + "}";
    }

    private String storedHash(String email) {
        return jdbc.sql("SELECT password_hash FROM accounts WHERE email = :email")
            .param("email", email)
            .query(String.class)
            .single();
    }

    private long accountCount(String email) {
        return jdbc.sql("SELECT count(*) FROM accounts WHERE email = :email")
            .param("email", email)
            .query(Long.class)
            .single();
    }

}
