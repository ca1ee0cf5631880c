package dev.kapi.support;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;

/**
 * Base of every end-to-end test: the whole application on a random port against the
 * embedded PostgreSQL, one Spring context shared by all test classes, and a clock tests
 * can move.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import({ TestClockConfiguration.class, StatementRecorder.class })
public abstract class IntegrationTest {

    protected static final String PASSWORD = "correct-horse-9";

    protected static final String ADMIN_SECRET = "test-admin-secret-0123456789";

    /** A JSON object as a map, for whole-body assertions. */
    protected static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
    };

    /** A JSON array of objects as a list of maps. */
    protected static final ParameterizedTypeReference<List<Map<String, Object>>> JSON_ARRAY = new ParameterizedTypeReference<>() {
    };

    /** A real SMTP server in the test JVM; every mail Kapı sends lands here. */
    protected static final GreenMail MAIL = startMailServer();

    /**
     * Have I Been Pwned's range API as a local stub (KAPI_HIBP_URL): it knows no password
     * unless a test stubs one's hash prefix.
     */
    protected static final WireMockServer HIBP = startHibp();

    /**
     * The Telegram Bot API as a local stub (kapi.trading.telegram.base-url): it answers
     * 404 to every {@code sendMessage} unless a test stubs one; tests tell their messages
     * apart by chat id.
     */
    protected static final WireMockServer TELEGRAM = startStub();

    /**
     * Meta's WhatsApp Cloud API as a local stub (kapi.messaging.whatsapp.base-url), with
     * threads and an accept queue for a whole batch of calls at once (the tier tests send
     * hundreds); tests tell their calls apart by WhatsApp number id.
     */
    protected static final WireMockServer META = startMeta();

    /**
     * Binance Spot's REST API as a local stub (kapi.trading.binance.base-url): it answers
     * 404 to everything unless a test stubs it, except klines: of the tests' made-up
     * symbols ({@code T<digits>USDT}) it has none (an empty list: their candles are the
     * ones tests record in the store), any other symbol it does not know (400, -1121).
     * Tests tell their calls apart by symbol.
     */
    protected static final WireMockServer BINANCE = startBinance();

    /**
     * BtcTurk's REST and graph APIs as one local stub (kapi.trading.btcturk.base-url and
     * graph-url: their paths do not clash); 404 unless a test stubs it.
     */
    protected static final WireMockServer BTCTURK = startStub();

    /**
     * GitHub's OAuth endpoints and REST API as one local stub (KAPI_GITHUB_BASE_URL and
     * KAPI_GITHUB_API_URL, for the external sign-in tests); 404 unless a test stubs it.
     */
    protected static final WireMockServer GITHUB = startStub();

    /**
     * The single-page app of {@code client/oidc/spa}, served from its own origin on
     * loopback, which Kapı's CORS settings list (KAPI_CORS_ORIGINS) as an operator lists
     * the origin of a front end.
     */
    protected static final StaticSite SPA = StaticSite.serve(Path.of("client", "oidc", "spa"));

    /**
     * The settings that point Kapı at the stubs above: the tests' context's and every
     * {@link SecondInstance}'s.
     */
    static final Map<String, Object> STUBS = Map.of("spring.mail.host", "127.0.0.1", "spring.mail.port",
            Integer.toString(MAIL.getSmtp().getPort()), "kapi.identity.password.hibp-url", HIBP.baseUrl(),
            "kapi.trading.telegram.base-url", TELEGRAM.baseUrl(), "kapi.messaging.whatsapp.base-url", META.baseUrl(),
            "kapi.trading.binance.base-url", BINANCE.baseUrl(), "kapi.trading.btcturk.base-url", BTCTURK.baseUrl(),
            "kapi.trading.btcturk.graph-url", BTCTURK.baseUrl(), "kapi.cors.allowed-origins", SPA.origin());

    private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");

    @LocalServerPort
    protected int port;

    @Autowired
    private ConfigurableApplicationContext application;

    @DynamicPropertySource
    static void stubs(DynamicPropertyRegistry registry) {
        STUBS.forEach((name, value) -> registry.add(name, () -> value));
        registry.add("kapi.github.base-url", GITHUB::baseUrl);
        registry.add("kapi.github.api-url", GITHUB::baseUrl);
    }

    /**
     * The second Kapı instance on this database and clock, shared by every test (started
     * on first use).
     */
    protected SecondInstance secondInstance() {
        return SecondInstance.shared(this.application);
    }

    /**
     * The Kapı instance on this database and clock whose issuer is its own address, for
     * relying parties that discover it (started on first use).
     */
    protected SecondInstance providerAtItsAddress() {
        return SecondInstance.atItsAddress(this.application);
    }

    /**
     * An instance with settings of its own; the test starts it (or runs a command with
     * it) and closes it.
     */
    protected SecondInstance.Builder anotherInstance() {
        return SecondInstance.builder(this.application);
    }

    private static WireMockServer startHibp() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        server.stubFor(WireMock.get(WireMock.urlPathMatching("/range/[0-9A-F]{5}"))
            .atPriority(10)
            .willReturn(WireMock.ok("")));
        return server;
    }

    private static WireMockServer startBinance() {
        WireMockServer server = startStub();
        server.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v3/klines"))
            .withQueryParam("symbol", WireMock.matching("T[0-9]+USDT"))
            .atPriority(10)
            .willReturn(WireMock.okJson("[]")));
        // any other symbol is unknown, as Binance answers it
        server.stubFor(WireMock.get(WireMock.urlPathEqualTo("/api/v3/klines"))
            .atPriority(20)
            .willReturn(WireMock.jsonResponse("{\"code\":-1121,\"msg\":\"Invalid symbol.\"}", 400)));
        return server;
    }

    private static WireMockServer startMeta() {
        // HTTP/2 on, as Meta's servers have it, with Jetty's limit of concurrent streams
        // per connection (128)
        WireMockServer server = new WireMockServer(
                WireMockConfiguration.options().dynamicPort().containerThreads(400).jettyAcceptQueueSize(1_000));
        server.start();
        return server;
    }

    private static WireMockServer startStub() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return server;
    }

    private static GreenMail startMailServer() {
        GreenMail mail = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        mail.start();
        return mail;
    }

    /**
     * Waits (without sleeping) for the newest mail to {@code address}, failing after ten
     * seconds.
     */
    protected static MimeMessage awaitMailTo(String address, int nth) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            List<MimeMessage> mails = mailsTo(address);
            if (mails.size() >= nth) {
                return mails.get(nth - 1);
            }
            MAIL.waitForIncomingEmail(200, MAIL.getReceivedMessages().length + 1);
        }
        throw new AssertionError("No mail number " + nth + " to " + address);
    }

    protected static List<MimeMessage> mailsTo(String address) {
        return Arrays.stream(MAIL.getReceivedMessages()).filter(mail -> {
            try {
                return Arrays.stream(mail.getAllRecipients()).anyMatch(to -> to.toString().equalsIgnoreCase(address));
            }
            catch (MessagingException ex) {
                throw new IllegalStateException(ex);
            }
        }).toList();
    }

    /** The decoded text of a plain-text mail. */
    protected static String textOf(MimeMessage mail) {
        try {
            return (String) mail.getContent();
        }
        catch (IOException | MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The token in the link of a mail's text. */
    protected static String tokenIn(MimeMessage mail) {
        Matcher matcher = TOKEN.matcher(textOf(mail));
        if (!matcher.find()) {
            throw new AssertionError("No token link in: " + textOf(mail));
        }
        return matcher.group(1);
    }

    @Autowired
    protected MutableClock clock;

    /**
     * A client that looks like a new machine: its own IP (via a trusted proxy header), so
     * its own limits.
     */
    protected RestTestClient client() {
        return client(randomIp());
    }

    protected RestTestClient client(String ip) {
        return bindToServer().baseUrl("http://localhost:" + port).defaultHeader("X-Forwarded-For", ip).build();
    }

    /** A client signed in with the given token. */
    protected RestTestClient as(String token) {
        return bindToServer().baseUrl("http://localhost:" + port)
            .defaultHeader("X-Forwarded-For", randomIp())
            .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .build();
    }

    /**
     * A client for a live server that answers each request with what the server said:
     * Apache HttpClient would otherwise wait out a 429's or 503's {@code Retry-After} and
     * ask again, hiding the answer a test provoked behind seconds of real time. Retries
     * after an I/O error (a stale pooled connection) stay.
     */
    protected static RestTestClient.Builder<?> bindToServer() {
        return RestTestClient.bindToServer(new HttpComponentsClientHttpRequestFactory(
                HttpClients.custom().setRetryStrategy(new DefaultHttpRequestRetryStrategy() {
                    @Override
                    public boolean retryRequest(HttpResponse response, int execCount, HttpContext context) {
                        return false;
                    }
                }).build()));
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
        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email, "password", PASSWORD, "full_name", "Test User"))
            .exchange()
            .expectStatus()
            .isCreated();
        return email;
    }

    /** Registers an admin through the admin-secret route and returns its email. */
    protected String registerAdmin() {
        String email = uniqueEmail();
        client().post()
            .uri("/auth/register/admin")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email, "password", PASSWORD, "full_name", "Test Admin", "admin_secret", ADMIN_SECRET))
            .exchange()
            .expectStatus()
            .isCreated();
        return email;
    }

    protected String login(String username, String password) {
        return signIn(username, password).access_token();
    }

    protected Token signIn(String username, String password) {
        return client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", username, "password", password))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody();
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

    /** A user registered and signed in through the API. */
    protected TestUser newUser() {
        return signedIn(registerUser());
    }

    /**
     * A user who registered, confirmed the verification mail and signed in: signing in by
     * mail no longer claims its address (which voids an unverified account's password and
     * sessions).
     */
    protected TestUser newVerifiedUser() {
        String email = registerUser();
        String token = tokenIn(awaitMailTo(email, 1));
        // The mail may arrive a moment before the listener that sent it commits its
        // token.
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> client().post()
                .uri("/auth/verify-email")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("token", token))
                .exchange()
                .returnResult()
                .getStatus()
                .is2xxSuccessful());
        return signedIn(email);
    }

    /** An admin registered through the admin-secret route and signed in. */
    protected TestUser newAdmin() {
        return signedIn(registerAdmin());
    }

    /**
     * A signed-in user of the given type ({@code admin}, {@code editor}, {@code viewer},
     * {@code user}). No sign-up route takes a type, so a new admin creates the user
     * through seed 004's {@code POST /api/admin/users}: its type is set before its first
     * sign-in, when the session cache reads it.
     */
    protected TestUser newUserOfType(String userType) {
        String email = uniqueEmail();
        as(newAdminToken()).post()
            .uri("/api/admin/users")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email.substring(0, email.indexOf('@')), "password", PASSWORD, "name", "Test",
                    "surname", "User", "email", email, "userTypeName", userType))
            .exchange()
            .expectStatus()
            .isCreated();
        return signedIn(email);
    }

    /**
     * The user signed in again: needed after the clock moved past the access token's 30
     * minutes.
     */
    protected TestUser again(TestUser user) {
        return new TestUser(login(user.email()), user.id(), user.email());
    }

    /** The account id of the token's user, from {@code GET /users/me}. */
    protected long accountIdOf(String token) {
        return id(as(token).get()
            .uri("/users/me")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody());
    }

    private TestUser signedIn(String email) {
        String token = login(email);
        return new TestUser(token, accountIdOf(token), email);
    }

    /** The user's JSON answer to a request with a JSON body, expecting {@code status}. */
    protected Map<String, Object> post(TestUser user, String path, Object body, int status) {
        return as(user.token()).post()
            .uri(path)
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    protected Map<String, Object> post(TestUser user, String path, int status) {
        return as(user.token()).post()
            .uri(path)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    protected Map<String, Object> put(TestUser user, String path, Object body, int status) {
        return as(user.token()).put()
            .uri(path)
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    protected Map<String, Object> get(TestUser user, String path, int status) {
        return as(user.token()).get()
            .uri(path)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    /** The user's 200 answer that is a JSON array. */
    protected List<Map<String, Object>> list(TestUser user, String path) {
        return as(user.token()).get()
            .uri(path)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_ARRAY)
            .returnResult()
            .getResponseBody();
    }

    /** The {@code id} of a JSON object. */
    protected static long id(Map<String, Object> json) {
        return ((Number) json.get("id")).longValue();
    }

    /** The fields a 400 problem names, in its order. */
    @SuppressWarnings("unchecked")
    protected static List<String> invalidFields(Map<String, Object> problem) {
        return ((List<Map<String, Object>>) problem.get("errors")).stream()
            .map(error -> (String) error.get("field"))
            .toList();
    }

    /** Sends the request, expects a 400 and returns the fields its problem names. */
    protected static List<String> invalidFields(RestTestClient.RequestHeadersSpec<?> request) {
        return invalidFields(request.exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody());
    }

    /** The login answer. */
    public record Token(String access_token, String token_type, long expires_in, String refresh_token) {
    }

    /** A signed-in user made through the API: its access token, account id and email. */
    public record TestUser(String token, long id, String email) {
    }

}
