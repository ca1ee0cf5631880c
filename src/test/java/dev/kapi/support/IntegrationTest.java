package dev.kapi.support;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Base of every end-to-end test: the whole application on a random port against the embedded
 * PostgreSQL, one Spring context shared by all test classes, and a clock tests can move.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(TestClockConfiguration.class)
public abstract class IntegrationTest {

    protected static final String PASSWORD = "correct-horse-9";
    protected static final String ADMIN_SECRET = "test-admin-secret-0123456789";

    /** A JSON object as a map, for whole-body assertions. */
    protected static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
            new ParameterizedTypeReference<>() {
            };

    @LocalServerPort
    protected int port;

    @Autowired
    protected MutableClock clock;

    /** A client that looks like a new machine: its own IP (via a trusted proxy header), so its own limits. */
    protected RestTestClient client() {
        return client(randomIp());
    }

    protected RestTestClient client(String ip) {
        return RestTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .defaultHeader("X-Forwarded-For", ip).build();
    }

    /** A client signed in with the given token. */
    protected RestTestClient as(String token) {
        return RestTestClient.bindToServer().baseUrl("http://localhost:" + port)
                .defaultHeader("X-Forwarded-For", randomIp())
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token).build();
    }

    protected static String randomIp() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255);
    }

    protected static String uniqueEmail() {
        return "user-" + UUID.randomUUID() + "@example.com";
    }

    /** Registers a user through the API and returns its email. */
    protected String registerUser() {
        String email = uniqueEmail();
        client().post().uri("/auth/register").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", email, "password", PASSWORD, "full_name", "Test User"))
                .exchange().expectStatus().isCreated();
        return email;
    }

    /** Registers an admin through the admin-secret route and returns its email. */
    protected String registerAdmin() {
        String email = uniqueEmail();
        client().post().uri("/auth/register/admin").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", email, "password", PASSWORD, "full_name", "Test Admin",
                        "admin_secret", ADMIN_SECRET))
                .exchange().expectStatus().isCreated();
        return email;
    }

    protected String login(String username, String password) {
        return client().post().uri("/auth/login").contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("username", username, "password", password))
                .exchange().expectStatus().isOk()
                .expectBody(Token.class).returnResult().getResponseBody().access_token();
    }

    protected String login(String email) {
        return login(email, PASSWORD);
    }

    protected String newUserToken() {
        return login(registerUser());
    }

    protected String newAdminToken() {
        return login(registerAdmin());
    }

    /** The login answer. */
    public record Token(String access_token, String token_type, long expires_in) {
    }
}
