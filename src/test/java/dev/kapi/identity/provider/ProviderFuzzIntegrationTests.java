package dev.kapi.identity.provider;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.http.MediaType;

import dev.kapi.identity.hosted.HostedBrowser;
import dev.kapi.support.FuzzAnswers;
import dev.kapi.support.IntegrationTest;

import static dev.kapi.support.FuzzAnswers.excerpt;
import static dev.kapi.support.FuzzAnswers.jwt;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A fuzz test of the identity provider's routes that {@code /v3/api-docs} does not
 * describe (so {@code ApiFuzzIntegrationTests} never calls them): Spring Authorization
 * Server's endpoints, the discovery documents, the hosted sign-in pages and their static
 * files, and external sign-in. Each route is called as an anonymous browser, as a
 * confidential client (client_secret_basic and client_secret_post), as a public PKCE
 * client, with a provider access token and with a signed-in browser (Kapı's SSO cookie,
 * and the CSRF pair of the hosted forms), where each applies: first its valid request,
 * then every parameter missing, duplicated, empty, 100 KB long, with NUL, an unpaired
 * surrogate (as UTF-8 bytes), CRLF, wrong types and the hostile values of its kind
 * (foreign and trick {@code redirect_uri}s and return addresses, wrong PKCE, unknown
 * response types, 10,000 scopes, malformed client assertions and ID token hints, forged
 * external {@code state}), then hostile {@code Authorization} headers, bodies (2 MB, JSON
 * instead of a form, wrong and unknown content types) and other methods.
 * <p>
 * Every answer must come in time and without a 5xx, a dropped connection or a stack
 * frame, SQL or a Java class in it; a redirect never leads to a host other than Kapı's
 * own or the client's registered one. On top: an authorization request with a foreign or
 * mismatched {@code redirect_uri} is the hosted error page (400, no {@code Location});
 * the token endpoint's errors are RFC 6749 JSON ({@code error}, {@code Cache-Control:
 * no-store}); every HTML error page carries the hosted pages' headers (CSP, frame
 * denial).
 * <p>
 * Deterministic (fixed order, fixed seed) and bounded: the cases of all routes are
 * interleaved, valid requests first, and run until {@link #BUDGET} is spent.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ProviderFuzzIntegrationTests extends IntegrationTest {

    /** 60 s in the suite; {@code -Dfuzz.seconds=600} runs the whole plan once. */
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("fuzz.seconds", 60));

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final int WORKERS = 4;

    private static final int IDENTITIES = 12;

    /** Tomcat's limit on the request line and headers together (Boot's default). */
    private static final int TOMCAT_HEADER_LIMIT = 8 * 1024;

    private static final long SEED = 20_261_207L;

    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    private static final String BYE = "http://127.0.0.1:9/bye";

    private static final String HUGE = "x".repeat(100_000);

    private static final Pattern HIDDEN_VALUE = Pattern.compile("value=\"[^\"]*\"");

    private static final String CRLF_COOKIE = "kapi_fuzz_injected";

    /** Values every parameter gets, already %-encoded. */
    private static final List<Hostile> COMMON = List.of(new Hostile("empty", ""), new Hostile("100 KB", HUGE),
            new Hostile("NUL", "a%00b"), new Hostile("an unpaired surrogate as UTF-8", "a%ED%A0%80b"),
            new Hostile("invalid UTF-8", "%C3%28%FF"),
            new Hostile("CRLF", "a%0D%0ASet-Cookie:%20" + CRLF_COOKIE + "=1"), new Hostile("an array", "%5B1%5D"),
            new Hostile("an object", "%7B%22a%22%3A1%7D"), new Hostile("-1", "-1"), new Hostile("1e400000", "1e400000"),
            new Hostile("a 10,000-digit number", "9".repeat(10_000)),
            new Hostile("an HTML tag", enc("<script>alert(1)</script>")),
            new Hostile("quotes and SQL", enc("'\"; DROP TABLE accounts; --")),
            new Hostile("a format string", "%25s%25n%25x"), new Hostile("Turkish letters", enc("İıŞşĞğ")),
            new Hostile("a path", enc("../../etc/passwd")));

    /** Redirect URIs that are not the registered one; none may be redirected to. */
    private static final List<String> FOREIGN_REDIRECTS = List.of("https://evil.example/callback",
            "javascript:alert(document.domain)", "http://127.0.0.1:9@evil.example/callback",
            "http://evil.example@127.0.0.1:9/callback@evil.example", "http://evil.example#@127.0.0.1:9/callback",
            "//evil.example/callback", "http://127.0.0.1:9/callback/../../evil",
            "http://127.0.0.1:9/callback%2F%2Fevil.example", "http://127.0.0.1:9%2F%2Fevil.example/callback",
            "http://127.0.0.1:9/callback?next=https://evil.example", "http://127.0.0.1:9/callback#fragment",
            "http://127.0.0.1:9/callbackx", "http://127.0.0.1:9/callback/", "https://127.0.0.1:9/callback",
            "http://127.0.0.1.evil.example:9/callback", "http://127.0.0.1:9/callback%00.evil.example",
            "data:text/html,<script>alert(1)</script>", "http://[::1]:9/callback", "http://localhost:9/callback",
            "http:/\\evil.example/callback", "http://127.0.0.1:9/CALLBACK", " http://127.0.0.1:9/callback",
            "http://127.0.0.1:9/callback\t");

    /** Where a hosted page or external sign-in is asked to send the browser after. */
    private static final List<String> FOREIGN_RETURNS = List.of("https://evil.example/", "//evil.example/",
            "/\\evil.example/", "/%2F%2Fevil.example", "\\\\evil.example", "javascript:alert(1)",
            "http://localhost@evil.example/", "https://evil.example%2F@localhost/",
            "/%0D%0ALocation:%20https://evil.example", "data:text/html,x",
            "/oauth2/authorize?client_id=x&redirect_uri=https://evil.example", "///evil.example", "http:evil.example",
            "%2F%2Fevil.example");

    private static final String ALG_NONE = jwt("{\"alg\":\"none\"}", "{\"iss\":\"x\",\"sub\":\"x\",\"aud\":\"x\"}", "");

    /** Client assertions and ID token hints that are not what they claim to be. */
    private static final List<String> BAD_JWTS = List.of(ALG_NONE, "not.a.jwt", "a.b.c.d.e", "...", "eyJ.eyJ.eyJ",
            jwt("{\"alg\":\"HS256\",\"kid\":\"../../etc/passwd\"}", "{\"sub\":\"\\u0000\"}", "c2ln"),
            jwt("{\"alg\":\"RS256\",\"jku\":\"http://169.254.169.254/latest\"}", "{\"sub\":\"x\"}", "c2ln"),
            jwt("{\"alg\":\"RS256\",\"x5u\":\"http://127.0.0.1:1/x\"}", "{\"sub\":\"x\"}", "c2ln"),
            jwt("{\"alg\":\"RS256\",\"jwk\":{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}}", "{}", "c2ln"),
            jwt("{\"alg\":\"HS256\"}", "{\"exp\":1e400000,\"iat\":-1e400000,\"aud\":[[[]]]}", "c2ln"),
            jwt("[".repeat(1_000) + "]".repeat(1_000), "{}", "c2ln"), jwt("{\"alg\":\"HS256\"}", "\"\\ud800\"", "c2ln"),
            jwt("{\"alg\":\"ES256\",\"crit\":[\"x\"]}", "{}", "c2ln"),
            jwt("{\"alg\":\"dir\",\"enc\":\"A128GCM\"}", "{}", ""), "eyJhbGciOiJub25lIn0.!!!!.@@@@",
            "a".repeat(100_000) + ".b.c",
            jwt("{\"alg\":\"HS256\"}", "{\"a\":\"" + "x".repeat(100_000) + "\"}", "c2ln"));

    private static final List<String> BAD_AUTHORIZATIONS = List.of("Basic !!!not-base64!!!", "Basic " + b64("no-colon"),
            "Basic " + b64(":"), "Basic " + b64("%ZZ:%ZZ"), "Basic " + b64("a:b:c"),
            "Basic " + b64("x".repeat(100_000)), "Basic " + b64("x".repeat(70_000) + ":y"), "Basic ", "Basic",
            "Basic " + Base64.getEncoder().encodeToString(new byte[] { (byte) 0xC3, 0x28, ':', (byte) 0xFF }),
            "Basic " + b64("\u0000:\u0000"), "Bearer abc", "Bearer " + ALG_NONE, "Digest x", "basic " + b64("a:b"),
            "Basic " + b64("a:b") + " " + b64("c:d"));

    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();

    private final AtomicInteger requests = new AtomicInteger();

    private HttpClient http;

    private long deadline;

    /**
     * One set of clients, tokens and signed-in browsers per {@link #IDENTITIES}: the
     * cases take turns, so that no account or client meets its rate limit (300 a minute)
     * and the fuzz reaches past it.
     */
    private final List<Callers> pool = new ArrayList<>();

    private final AtomicInteger turn = new AtomicInteger();

    private Callers callers;

    @Test
    void everyProviderRouteWhenFedHostileInputThenNoServerErrorNoForeignRedirectAndNoInternals() throws Exception {
        long started = System.nanoTime();
        TestUser admin = newAdmin();
        for (int i = 0; i < IDENTITIES; i++) {
            pool.add(callers(admin));
        }
        callers = pool.getFirst();
        List<Case> plan = interleaved(routes());
        AtomicInteger next = new AtomicInteger();
        try (HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build()) {
            http = client;
            deadline = System.nanoTime() + BUDGET.toNanos();
            try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < WORKERS; i++) {
                    Random random = new Random(SEED + i);
                    workers.submit(() -> {
                        for (int index = next.getAndIncrement(); index < plan.size()
                                && System.nanoTime() < deadline; index = next.getAndIncrement()) {
                            run(plan.get(index), random);
                        }
                    });
                }
            }
        }
        int ran = Math.min(next.get(), plan.size());
        System.out.printf("Provider fuzz: %d of %d cases, %d requests, %d s, %d failures%n", ran, plan.size(),
                requests.get(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), failures.size());
        if (!failures.isEmpty()) {
            throw new AssertionError(report());
        }
        assertThat(ran).as("cases run within the budget").isGreaterThan(500);
    }

    // Who calls.

    /** The clients, tokens, browser and external provider the cases use. */
    private record Callers(String confidentialId, String confidentialSecret, String publicId, String accessToken,
            String ssoCookie, String csrfCookie, String csrfField, String alias, String email) {
    }

    private enum Caller {

        ANONYMOUS, BASIC, POST, PUBLIC, BEARER, BROWSER

    }

    private Callers callers(TestUser admin) {
        Map<String, Object> confidential = client(admin, "confidential",
                List.of("authorization_code", "refresh_token", "client_credentials"));
        Map<String, Object> publicClient = client(admin, "public", List.of("authorization_code", "refresh_token"));
        String confidentialId = (String) confidential.get("client_id");
        String secret = (String) confidential.get("client_secret");
        Map<String, Object> tokens = client().post()
            .uri("/oauth2/token")
            .headers(headers -> headers.setBasicAuth(confidentialId, secret))
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("grant_type=client_credentials")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        String alias = "fz-" + UUID.randomUUID().toString().substring(0, 8);
        post(admin, "/api/admin/identity-providers",
                Map.of("alias", alias, "preset", "github", "client_id", "gh-" + alias, "client_secret", "gh-secret"),
                201);
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        browser.get("/login");
        HttpResponse<String> signedIn = browser.submit("/login",
                Map.of("username", registerUser(), "password", PASSWORD));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        browser.get("/login/forgot-password");
        String csrfField = browser.hidden().get("_csrf");
        assertThat(csrfField).as("the hosted form's CSRF field").isNotBlank();
        return new Callers(confidentialId, secret, (String) publicClient.get("client_id"),
                (String) tokens.get("access_token"), browser.cookie("kapi_sso").orElseThrow().getValue(),
                browser.cookie("kapi_csrf").orElseThrow().getValue(), csrfField, alias, registerUser());
    }

    private Map<String, Object> client(TestUser admin, String type, List<String> grants) {
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", "Fuzz " + type);
        body.put("client_type", type);
        body.put("grant_types", grants);
        body.put("redirect_uris", List.of(REDIRECT));
        body.put("post_logout_redirect_uris", List.of(BYE));
        body.put("scopes", List.of("openid", "profile", "email"));
        body.put("require_consent", false);
        return post(admin, ProviderIntegrationTests.CLIENTS, body, 201);
    }

    // The routes.

    private enum Check {

        /** Only the checks every answer gets. */
        ANY,
        /** An authorization request: redirects only to the registered redirect URI. */
        AUTHORIZE,
        /** A Spring Authorization Server endpoint that answers RFC 6749 JSON errors. */
        OAUTH_JSON,
        /** A hosted page: its HTML errors carry the pages' headers. */
        HOSTED

    }

    /**
     * A parameter's name, its valid value and the hostile values of its kind; an optional
     * one is left out of the valid request and sent only with one of its values.
     */
    private record Param(String name, String valid, List<Hostile> hostile, boolean optional) {
    }

    private record Hostile(String label, String encoded) {
    }

    /**
     * One route: its method, path, the parameters of its valid request, who calls it and
     * what is checked.
     */
    private record Route(String method, String path, List<Param> params, List<Caller> callers, Check check,
            Map<Caller, Integer> expected) {

        Route(String method, String path, List<Param> params, List<Caller> callers, Check check) {
            this(method, path, params, callers, check, Map.of());
        }

        /** The status the valid request of {@code caller} answers. */
        Route expecting(Caller caller, int status) {
            Map<Caller, Integer> more = new HashMap<>(expected);
            more.put(caller, status);
            return new Route(method, path, params, callers, check, Map.copyOf(more));
        }

        String name() {
            return method + " " + path;
        }
    }

    private List<Route> routes() throws Exception {
        CodeFlowIntegrationTests.Flow flow = new CodeFlowIntegrationTests.Flow();
        List<Param> authorize = List.of(param("response_type", "code", "token", "id_token", "code id_token", "none",
                "code code", "CODE", "code%00"),
                param("client_id", callers.publicId(), "unknown-client", callers.confidentialId()),
                new Param("redirect_uri", REDIRECT,
                        FOREIGN_REDIRECTS.stream().map(uri -> new Hostile("redirect_uri " + uri, enc(uri))).toList(),
                        false),
                param("scope", "openid profile",
                        "openid " + IntStream.range(0, 10_000).mapToObj(i -> "s" + i).collect(Collectors.joining(" ")),
                        "openid openid openid", "unknown", "openid\tprofile", "admin"),
                param("state", flow.state()), param("nonce", flow.nonce()),
                param("code_challenge", flow.challenge(), "short", "a".repeat(42), "a".repeat(129), "!".repeat(43),
                        "a".repeat(10_000)),
                param("code_challenge_method", "S256", "plain", "S512", "s256", "none"),
                optional("prompt", "login", "none", "consent", "select_account", "none login", "create"),
                optional("max_age", "300", "0", "9223372036854775808"),
                optional("ui_locales", "en", "xx-" + "a".repeat(5_000), "tr en de fr"),
                optional("login_hint", "fuzz@example.com"), optional("id_token_hint", concat("x", BAD_JWTS)),
                optional("acr_values", "urn:kapi:acr:mfa"), optional("request", "x", ALG_NONE),
                optional("request_uri", "urn:ietf:params:oauth:request_uri:x", "https://evil.example/request"),
                optional("response_mode", "query", "fragment", "form_post", "web_message"),
                optional("resource", "https://api.example.com", "not a uri"));
        List<Param> token = List.of(param("grant_type", "authorization_code", "password", "implicit",
                "urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:token-exchange",
                "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"),
                param("code", "not-a-real-code", "a".repeat(10_000)),
                param("redirect_uri", REDIRECT, FOREIGN_REDIRECTS.toArray(String[]::new)),
                param("code_verifier", flow.verifier(), "short", "a".repeat(42), "a".repeat(129), "!".repeat(43)),
                optional("refresh_token", "not-a-real-token"), optional("device_code", "not-a-real-code"),
                optional("scope", "openid",
                        "openid " + IntStream.range(0, 10_000).mapToObj(i -> "s" + i).collect(Collectors.joining(" "))),
                optional("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
                optional("client_assertion", BAD_JWTS.toArray(String[]::new)),
                optional("resource", "https://api.example.com", "not a uri", "javascript:x"), optional("audience", "x"),
                optional("requested_token_type", "urn:x"));
        List<Param> tokenParams = List.of(
                param("token", callers.accessToken(), "not-a-token", callers.accessToken() + "x", ALG_NONE),
                optional("token_type_hint", "access_token", "refresh_token", "id_token", "unknown"));
        List<Param> revoked = List.of(param("token", "not-a-token", "a".repeat(10_000), ALG_NONE),
                optional("token_type_hint", "access_token", "refresh_token", "id_token", "unknown"));
        List<Param> logout = List.of(param("id_token_hint", ALG_NONE, BAD_JWTS.toArray(String[]::new)),
                param("client_id", callers.publicId(), "unknown-client"),
                param("post_logout_redirect_uri", BYE, FOREIGN_REDIRECTS.toArray(String[]::new)), param("state", "s"),
                param("ui_locales", "en"), param("logout_hint", "x"));
        String loginReturn = authorizeTarget(flow);
        Param returnTo = param("return", loginReturn, FOREIGN_RETURNS.toArray(String[]::new));
        List<Param> loginPost = List.of(param("username", callers.email(), "a".repeat(10_000), "@", "admin'--"),
                param("password", "wrong-password-1"), returnTo, param("reauth", "1", "true", "2"),
                param("stepup", "mfa", "none", "otp"));
        List<Param> externalStart = List.of(
                param("return_to", "/login/external", FOREIGN_RETURNS.toArray(String[]::new)),
                optional("link_ticket", "not-a-ticket"), optional("prompt", "login"));
        List<Param> callback = List.of(param("code", "not-a-code"),
                param("state", "forged-" + UUID.randomUUID(), "a".repeat(10_000), "%2E%2E"),
                param("error", "access_denied", "server_error", "<script>"), param("error_description", "denied"),
                param("iss", "https://evil.example"));
        List<Caller> browsers = List.of(Caller.ANONYMOUS, Caller.BROWSER);
        List<Caller> clients = List.of(Caller.ANONYMOUS, Caller.BASIC, Caller.POST, Caller.PUBLIC);
        String external = "/auth/external/" + callers.alias();
        List<Route> routes = new ArrayList<>();
        // Signed out: to the sign-in page; signed in: the code at the redirect URI.
        routes.add(new Route("GET", "/oauth2/authorize", authorize, browsers, Check.AUTHORIZE)
            .expecting(Caller.ANONYMOUS, 302)
            .expecting(Caller.BROWSER, 302));
        routes.add(new Route("POST", "/oauth2/authorize", authorize, browsers, Check.AUTHORIZE)
            .expecting(Caller.ANONYMOUS, 302)
            .expecting(Caller.BROWSER, 302));
        routes.add(new Route("GET", "/oauth2/authorize",
                authorize.stream()
                    .map(p -> p.name().equals("client_id") ? param("client_id", callers.confidentialId()) : p)
                    .filter(p -> !p.optional())
                    .toList(),
                List.of(Caller.BROWSER), Check.AUTHORIZE)
            .expecting(Caller.BROWSER, 302));
        routes.add(new Route("POST", "/oauth2/par", authorize, clients, Check.ANY));
        routes.add(new Route("POST", "/oauth2/token", token, clients, Check.OAUTH_JSON));
        routes.add(new Route("POST", "/oauth2/token",
                List.of(param("grant_type", "client_credentials"), optional("scope", "profile", "openid", "a b c d"),
                        optional("client_assertion", BAD_JWTS.toArray(String[]::new))),
                List.of(Caller.BASIC, Caller.POST), Check.OAUTH_JSON)
            .expecting(Caller.BASIC, 200)
            .expecting(Caller.POST, 200));
        routes.add(new Route("POST", "/oauth2/token", List.of(param("grant_type", "refresh_token"),
                param("refresh_token", "not-a-token", "a".repeat(10_000), ALG_NONE), optional("scope", "openid")),
                List.of(Caller.BASIC, Caller.PUBLIC), Check.OAUTH_JSON)
            .expecting(Caller.BASIC, 400)
            .expecting(Caller.PUBLIC, 400));
        routes.add(new Route("POST", "/oauth2/introspect", tokenParams, clients, Check.OAUTH_JSON)
            .expecting(Caller.ANONYMOUS, 401)
            .expecting(Caller.BASIC, 200)
            .expecting(Caller.POST, 200));
        // Never a live token: the bearer cases use them.
        routes.add(new Route("POST", "/oauth2/revoke", revoked, clients, Check.OAUTH_JSON).expecting(Caller.BASIC, 200)
            .expecting(Caller.POST, 200));
        routes.add(new Route("POST", "/oauth2/device_authorization",
                List.of(param("client_id", callers.publicId(), "unknown-client"), param("scope", "openid profile")),
                List.of(Caller.ANONYMOUS, Caller.BASIC), Check.OAUTH_JSON));
        routes.add(new Route("GET", "/userinfo", List.of(param("schema", "openid")),
                List.of(Caller.ANONYMOUS, Caller.BEARER), Check.ANY));
        routes.add(new Route("POST", "/userinfo", List.of(param("claims", "{}")), List.of(Caller.BEARER), Check.ANY));
        routes.add(new Route("GET", "/connect/logout", logout, browsers, Check.ANY));
        routes.add(new Route("POST", "/connect/logout", logout, browsers, Check.ANY));
        routes.add(new Route("GET", "/.well-known/openid-configuration", List.of(optional("x", "1")),
                List.of(Caller.ANONYMOUS), Check.ANY)
            .expecting(Caller.ANONYMOUS, 200));
        routes.add(new Route("GET", "/.well-known/oauth-authorization-server", List.of(optional("x", "1")),
                List.of(Caller.ANONYMOUS), Check.ANY)
            .expecting(Caller.ANONYMOUS, 200));
        routes.add(new Route("GET", "/.well-known/jwks.json", List.of(param("kid", "x")), List.of(Caller.ANONYMOUS),
                Check.ANY));
        routes.add(new Route("GET", "/oauth2/jwks", List.of(param("kid", "x")), List.of(Caller.ANONYMOUS), Check.ANY));
        routes.add(new Route("GET", "/login",
                List.of(returnTo, optional("reauth", "1", "true"), optional("stepup", "mfa", "otp"),
                        optional("lang", "en", "xx"), optional("login_hint", "a@example.com")),
                browsers, Check.HOSTED)
            .expecting(Caller.ANONYMOUS, 200)
            .expecting(Caller.BROWSER, 303));
        routes.add(new Route("POST", "/login", loginPost, browsers, Check.HOSTED));
        routes.add(new Route(
                "POST", "/login/mfa", List.of(param("mfa_token", "not-a-token"),
                        param("code", "123456", "1234567", "abcdef", "-12345"), param("recovery_code", "x"), returnTo),
                browsers, Check.HOSTED));
        routes.add(new Route("POST", "/login/passkey",
                List.of(param("ceremony_id", "not-a-ceremony", UUID.randomUUID().toString()),
                        param("credential", "{\"id\":\"x\",\"type\":\"public-key\",\"response\":{}}",
                                "{\"id\":\"" + "x".repeat(20_000) + "\"}", "[".repeat(5_000), "null"),
                        param("mfa_token", "x"), returnTo),
                browsers, Check.HOSTED));
        routes.add(new Route("GET", "/login/external", List.of(returnTo, param("code", "x")), browsers, Check.HOSTED));
        routes.add(new Route("GET", "/login/email", List.of(returnTo), browsers, Check.HOSTED));
        routes.add(new Route("POST", "/login/email", List.of(param("email", callers.email(), "@", "a@b"), returnTo),
                List.of(Caller.ANONYMOUS), Check.HOSTED));
        routes.add(new Route(
                "POST", "/login/email/code", List.of(param("email", callers.email()),
                        param("code", "123456", "1234567", "abcdef"), param("ticket", "x"), returnTo),
                List.of(Caller.ANONYMOUS), Check.HOSTED));
        routes.add(new Route("GET", "/login/register", List.of(returnTo), browsers, Check.HOSTED));
        routes.add(new Route("POST", "/login/register",
                List.of(param("full_name", "Fuzz Register"),
                        param("email", "fuzz-reg-" + UUID.randomUUID() + "@example.com", "@", "a@b"),
                        param("password", "x", "short"), returnTo),
                List.of(Caller.ANONYMOUS), Check.HOSTED));
        routes.add(new Route("GET", "/login/forgot-password", List.of(returnTo), browsers, Check.HOSTED));
        routes.add(new Route("POST", "/login/forgot-password", List.of(param("email", callers.email(), "@"), returnTo),
                List.of(Caller.ANONYMOUS), Check.HOSTED));
        routes.add(new Route("GET", "/oauth2/consent",
                List.of(param("client_id", callers.confidentialId(), "unknown-client"),
                        param("scope", "openid profile email", "openid "
                                + IntStream.range(0, 10_000).mapToObj(i -> "s" + i).collect(Collectors.joining(" "))),
                        param("state", "s"), param("user_code", "ABCD-EFGH")),
                browsers, Check.HOSTED));
        routes.add(new Route("GET", "/oauth2/error",
                List.of(param("error", "invalid_request", "<script>", "invalid_redirect_uri"),
                        optional("error_description", "x"), optional("state", "s")),
                browsers, Check.HOSTED)
            .expecting(Caller.ANONYMOUS, 400)
            .expecting(Caller.BROWSER, 400));
        routes.add(new Route("GET", "/activate", List.of(param("code", "ABCD-EFGH")), browsers, Check.HOSTED));
        routes.add(new Route("GET", "/activate", List.of(param("user_code", "ABCD-EFGH", "a".repeat(10_000))), browsers,
                Check.ANY));
        routes.add(
                new Route("GET", "/hosted/hosted.css", List.of(param("v", "1")), List.of(Caller.ANONYMOUS), Check.ANY));
        routes.add(
                new Route("GET", "/hosted/passkey.js", List.of(param("v", "1")), List.of(Caller.ANONYMOUS), Check.ANY));
        routes.add(new Route("GET", external, externalStart, browsers, Check.ANY).expecting(Caller.ANONYMOUS, 302));
        routes.add(new Route("GET", external + "/callback", callback, browsers, Check.ANY));
        routes.add(new Route("GET", "/auth/external/no-such-alias/callback", callback, List.of(Caller.ANONYMOUS),
                Check.ANY));
        return routes;
    }

    /**
     * The valid authorization request of the public client, as the login page's return.
     */
    private String authorizeTarget(CodeFlowIntegrationTests.Flow flow) throws Exception {
        return CodeFlowIntegrationTests.authorizeRequest(callers.publicId(), flow, "openid profile");
    }

    private static Param param(String name, String valid, String... hostile) {
        return new Param(name, valid,
                List.of(hostile).stream().map(value -> new Hostile(label(value), enc(value))).toList(), false);
    }

    private static Param optional(String name, String... values) {
        return new Param(name, values[0],
                List.of(values).stream().map(value -> new Hostile(label(value), enc(value))).toList(), true);
    }

    // The plan.

    /** A request to make; the target and form are %-encoded. */
    private record Case(Route route, Caller caller, String method, String target, String contentType, byte[] body,
            Map<String, String> headers, String mutation, boolean foreignRedirect) {

        /** About how long the request line and headers are. */
        int headerBytes() {
            return target.length() + headers.entrySet()
                .stream()
                .mapToInt(header -> header.getKey().length() + header.getValue().length() + 4)
                .sum();
        }
    }

    /**
     * Every route's cases, one of each route in turn, so that a short budget covers all.
     */
    private List<Case> interleaved(List<Route> routes) {
        List<List<Case>> perRoute = routes.stream().map(this::cases).toList();
        List<Case> plan = new ArrayList<>();
        int longest = perRoute.stream().mapToInt(List::size).max().orElse(0);
        for (int i = 0; i < longest; i++) {
            for (List<Case> cases : perRoute) {
                if (i < cases.size()) {
                    plan.add(cases.get(i));
                }
            }
        }
        return plan;
    }

    private List<Case> cases(Route route) {
        List<Case> cases = new ArrayList<>();
        for (Caller caller : route.callers()) {
            cases.add(request(route, caller, route.method(), valid(route), "valid", false));
        }
        for (Caller caller : route.callers()) {
            for (Param param : route.params()) {
                List<Hostile> values = new ArrayList<>(param.optional() ? param.hostile() : COMMON);
                values.addAll(param.optional() ? COMMON : param.hostile());
                if (!param.optional()) {
                    cases.add(request(route, caller, route.method(), with(route, param.name(), null),
                            param.name() + " missing", false));
                }
                List<String[]> duplicated = new ArrayList<>(with(route, param.name(), enc(param.valid())));
                duplicated.add(pair(param.name(), enc(param.valid())));
                cases.add(request(route, caller, route.method(), duplicated, param.name() + " duplicated", false));
                for (Hostile value : values) {
                    boolean foreign = param.name().equals("redirect_uri") && value.label().startsWith("redirect_uri ");
                    cases.add(request(route, caller, route.method(), with(route, param.name(), value.encoded()),
                            param.name() + " " + value.label(), foreign));
                }
            }
            for (String authorization : BAD_AUTHORIZATIONS) {
                Case plain = request(route,
                        caller == Caller.BASIC || caller == Caller.BEARER ? Caller.ANONYMOUS : caller, route.method(),
                        valid(route), "Authorization " + label(authorization), false);
                Map<String, String> headers = new LinkedHashMap<>(plain.headers());
                headers.put("Authorization", authorization);
                cases.add(with(plain, headers));
            }
            cases.addAll(bodies(route, caller));
            for (String method : List.of("GET", "POST", "PUT", "DELETE", "PATCH")) {
                if (!method.equals(route.method())) {
                    cases.add(request(route, caller, method, valid(route), "method " + method, false));
                }
            }
            List<String[]> many = new ArrayList<>(valid(route));
            IntStream.range(0, 2_000).forEach(n -> many.add(pair("p" + n, "v")));
            cases.add(request(route, caller, route.method(), many, "2,000 unknown parameters", false));
        }
        return cases;
    }

    /** Hostile bodies of a POST route. */
    private List<Case> bodies(Route route, Caller caller) {
        if (!route.method().equals("POST")) {
            return List.of();
        }
        Case valid = request(route, caller, "POST", valid(route), "valid", false);
        String form = new String(valid.body(), UTF_8);
        List<Case> cases = new ArrayList<>();
        cases.add(sending(valid, "application/x-www-form-urlencoded", bytes(form + "&pad=" + "x".repeat(2_000_000)),
                "a 2 MB form"));
        cases.add(sending(valid, "application/x-www-form-urlencoded", bytes(form + "&pad=" + "x".repeat(70_000)),
                "a 70 KB form"));
        cases.add(sending(valid, "application/json", bytes(jsonOf(form)), "JSON instead of a form"));
        cases.add(sending(valid, "application/json", bytes("{" + "\"a\":{".repeat(5_000) + "}".repeat(5_001)),
                "deep JSON"));
        cases.add(sending(valid, "text/plain", valid.body(), "text/plain"));
        cases.add(sending(valid, null, valid.body(), "no content type"));
        cases.add(sending(valid, "application/x-www-form-urlencoded; charset=x-unknown", valid.body(),
                "an unknown charset"));
        cases.add(sending(valid, "application/x-www-form-urlencoded; charset=UTF-16", valid.body(), "UTF-16 declared"));
        cases.add(
                sending(valid, "multipart/form-data; boundary=zz",
                        bytes("--zz\r\nContent-Disposition: form-data; "
                                + "name=\"grant_type\"\r\n\r\nclient_credentials\r\n--zz"),
                        "a cut-off multipart body"));
        cases.add(sending(valid, "multipart/form-data", valid.body(), "multipart without a boundary"));
        cases.add(sending(valid, "application/x-www-form-urlencoded", bytes("%%%&=&==&a=%ZZ&%E0%A4%A"),
                "a malformed form"));
        cases.add(sending(valid, "application/x-www-form-urlencoded", new byte[] { 0, (byte) 0xFF, (byte) 0xFE, 0 },
                "binary bytes as a form"));
        cases.add(sending(valid, "*/*", valid.body(), "a wildcard content type"));
        cases.add(sending(valid, "application/x-www-form-urlencoded;;;=", valid.body(), "a malformed content type"));
        return cases;
    }

    /** The valid request's parameters (the optional ones left out). */
    private List<String[]> valid(Route route) {
        return route.params().stream().filter(p -> !p.optional()).map(p -> pair(p.name(), enc(p.valid()))).toList();
    }

    /**
     * The valid request's parameters with {@code name} set to an encoded value (added
     * when optional), or left out when the value is null.
     */
    private List<String[]> with(Route route, String name, String encodedValue) {
        List<String[]> pairs = new ArrayList<>();
        for (Param param : route.params()) {
            if (!param.name().equals(name)) {
                if (!param.optional()) {
                    pairs.add(pair(param.name(), enc(param.valid())));
                }
            }
            else if (encodedValue != null) {
                pairs.add(pair(name, encodedValue));
            }
        }
        return pairs;
    }

    /** The request of a caller: its credentials as a header, a cookie or form fields. */
    private Case request(Route route, Caller caller, String method, List<String[]> params, String mutation,
            boolean foreignRedirect) {
        List<String[]> pairs = new ArrayList<>(params);
        Callers callers = pool.get(turn.getAndIncrement() % pool.size());
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        switch (caller) {
            case BASIC -> headers.put("Authorization",
                    "Basic " + b64(callers.confidentialId() + ":" + callers.confidentialSecret()));
            case POST -> {
                pairs.add(pair("client_id", callers.confidentialId()));
                pairs.add(pair("client_secret", callers.confidentialSecret()));
            }
            case PUBLIC -> pairs.add(pair("client_id", callers.publicId()));
            case BEARER -> headers.put("Authorization", "Bearer " + callers.accessToken());
            case BROWSER -> cookies.add("kapi_sso=" + callers.ssoCookie());
            case ANONYMOUS -> {
            }
        }
        if (route.check() == Check.HOSTED && method.equals("POST")) {
            cookies.add("kapi_csrf=" + callers.csrfCookie());
            pairs.add(pair("_csrf", enc(callers.csrfField())));
        }
        if (!cookies.isEmpty()) {
            headers.put("Cookie", String.join("; ", cookies));
        }
        String encoded = pairs.stream().map(pair -> pair[0] + "=" + pair[1]).collect(Collectors.joining("&"));
        boolean form = !method.equals("GET") && !method.equals("DELETE");
        String target = route.path() + (form || encoded.isEmpty() ? "" : "?" + encoded);
        return new Case(route, caller, method, target, form ? "application/x-www-form-urlencoded" : null,
                form ? bytes(encoded) : new byte[0], Map.copyOf(headers), mutation, foreignRedirect);
    }

    private static Case sending(Case valid, String contentType, byte[] body, String mutation) {
        return new Case(valid.route(), valid.caller(), valid.method(), valid.target(), contentType, body,
                valid.headers(), mutation, false);
    }

    private static Case with(Case plain, Map<String, String> headers) {
        return new Case(plain.route(), plain.caller(), plain.method(), plain.target(), plain.contentType(),
                plain.body(), Map.copyOf(headers), plain.mutation(), false);
    }

    // Running and checking.

    private void run(Case request, Random random) {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(URI.create("http://localhost:" + port + request.target()))
                .timeout(REQUEST_TIMEOUT)
                .header("X-Forwarded-For",
                        "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
            if (request.contentType() != null) {
                builder.header("Content-Type", request.contentType());
            }
            request.headers().forEach(builder::header);
        }
        catch (IllegalArgumentException ex) {
            // not sendable by this client (an illegal header value): nothing to learn
            return;
        }
        builder.method(request.method(), request.body().length == 0 && request.method().equals("GET")
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        Answer answer = exchange(builder.build());
        String problem = problem(request, answer);
        if (problem != null) {
            failures.add(new Failure(request, problem, answer.body()));
        }
    }

    /** What is wrong with an answer, or null. */
    private String problem(Case request, Answer answer) {
        if (answer.error() != null) {
            return answer.error();
        }
        if (answer.status() >= 500) {
            return "answered " + answer.status();
        }
        Integer expected = request.route().expected().get(request.caller());
        if (request.mutation().equals("valid") && expected != null && answer.status() != expected) {
            return "answered its valid request " + answer.status() + " instead of " + expected;
        }
        if (request.mutation().equals("valid") && request.route().check() == Check.AUTHORIZE
                && request.caller() == Caller.BROWSER && !answer.header("Location").startsWith(REDIRECT + "?code=")) {
            return "answered its valid request without a code at the redirect URI";
        }
        // A page's hidden fields hold random tokens (CSRF, the return address), which may
        // spell "sql" by chance.
        String body = answer.header("Content-Type").contains("html")
                ? HIDDEN_VALUE.matcher(answer.body()).replaceAll("value=\"\"") : answer.body();
        String leak = FuzzAnswers.leak(answer.status(), answer.header("Content-Type"), body);
        if (leak != null) {
            return "answered " + answer.status() + " naming " + leak;
        }
        if (answer.headers().allValues("Set-Cookie").stream().anyMatch(cookie -> cookie.contains(CRLF_COOKIE))) {
            return "answered a cookie of the request's CRLF";
        }
        String location = answer.header("Location");
        if (!location.isEmpty() && !ownOrRegistered(location)) {
            return "answered " + answer.status() + " redirecting to " + location;
        }
        if (request.headerBytes() > TOMCAT_HEADER_LIMIT) {
            // Refused by Tomcat's own 400 before any of Kapı's code runs: no page, no
            // OAuth error of Kapı's to check (see notes/id-fuzz-security.md).
            return null;
        }
        Check check = request.route().check();
        if (check == Check.AUTHORIZE && request.foreignRedirect() && (answer.status() != 400 || !location.isEmpty())) {
            return "answered " + answer.status() + (location.isEmpty() ? "" : " to " + location)
                    + " instead of the 400 error page";
        }
        boolean sasError = request.method().equals("POST") && (answer.status() == 400 || answer.status() == 401)
                && !answer.header("Content-Type").contains("problem");
        if (check == Check.OAUTH_JSON && sasError) {
            if (!answer.header("Content-Type").contains("application/json") || !answer.body().contains("\"error\"")) {
                return "answered " + answer.status() + " without an RFC 6749 error";
            }
            if (request.route().path().equals("/oauth2/token")
                    && !answer.header("Cache-Control").contains("no-store")) {
                return "answered " + answer.status() + " without Cache-Control: no-store";
            }
        }
        if (check == Check.HOSTED && answer.status() >= 400 && answer.header("Content-Type").contains("text/html")
                && (answer.header("Content-Security-Policy").isEmpty()
                        || !answer.header("X-Frame-Options").equalsIgnoreCase("DENY"))) {
            return "answered an HTML " + answer.status() + " without the hosted pages' headers";
        }
        return null;
    }

    /**
     * A redirect to Kapı itself (relative, or at its own origin) or to the registered
     * redirect and logout addresses of the test's clients (any port of the loopback
     * address, RFC 8252 7.3), or to the GitHub stub the external provider is.
     */
    private boolean ownOrRegistered(String location) {
        URI uri;
        try {
            uri = URI.create(location);
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
        if (uri.getScheme() == null) {
            return uri.getRawAuthority() == null && location.startsWith("/") && !location.startsWith("//")
                    && !location.startsWith("/\\");
        }
        if (uri.getRawUserInfo() != null || !uri.getScheme().equals("http")) {
            return false;
        }
        if ("localhost".equals(uri.getHost())) {
            return uri.getPort() == port || uri.getPort() == GITHUB.port();
        }
        return "127.0.0.1".equals(uri.getHost())
                && ("/callback".equals(uri.getRawPath()) || "/bye".equals(uri.getRawPath()));
    }

    /** Sends once more after an I/O error (a stale pooled connection). */
    private Answer exchange(HttpRequest request) {
        for (int attempt = 1;; attempt++) {
            requests.incrementAndGet();
            CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request,
                    HttpResponse.BodyHandlers.ofByteArray());
            try {
                HttpResponse<byte[]> response = future.get(REQUEST_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
                return new Answer(response.statusCode(), response.headers(), new String(response.body(), UTF_8), null);
            }
            catch (TimeoutException ex) {
                future.cancel(true);
                return new Answer(0, null, "", "took longer than " + REQUEST_TIMEOUT.toSeconds() + " s");
            }
            catch (ExecutionException ex) {
                if (ex.getCause() instanceof HttpTimeoutException) {
                    return new Answer(0, null, "", "took longer than " + REQUEST_TIMEOUT.toSeconds() + " s");
                }
                if (attempt == 2) {
                    return new Answer(0, null, "", "no answer: " + ex.getCause());
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return new Answer(0, null, "", "interrupted");
            }
        }
    }

    private String report() {
        Map<String, Integer> perRoute = new TreeMap<>();
        failures.forEach(failure -> perRoute.merge(failure.request().route().name(), 1, Integer::sum));
        StringBuilder report = new StringBuilder(
                failures.size() + " fuzzed requests failed, by route: " + perRoute + "\n");
        failures.stream()
            .sorted(Comparator.comparing((Failure failure) -> failure.request().route().name())
                .thenComparing(failure -> failure.request().mutation()))
            .limit(Long.getLong("fuzz.report", 300))
            .forEach(failure -> report.append("  ").append(failure.line()).append('\n'));
        return report.toString();
    }

    private record Answer(int status, HttpHeaders headers, String body, String error) {

        String header(String name) {
            return headers == null ? "" : headers.firstValue(name).orElse("");
        }
    }

    private record Failure(Case request, String outcome, String body) {

        String line() {
            String target = request.target().length() > 160 ? request.target().substring(0, 160) + "…"
                    : request.target();
            return request.caller() + " " + request.method() + " " + target + " [" + request.mutation() + "]: "
                    + outcome + (body.isEmpty() ? "" : " — " + excerpt(body));
        }
    }

    // Small helpers.

    private static String[] pair(String name, String encodedValue) {
        return new String[] { name, encodedValue };
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, UTF_8);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(UTF_8);
    }

    private static String[] concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(rest);
        return all.toArray(String[]::new);
    }

    private static String label(String value) {
        return value.length() > 40 ? "a " + value.length() + "-character value" : "\"" + value + "\"";
    }

    /** A form as a JSON object of strings. */
    private static String jsonOf(String form) {
        return List.of(form.split("&"))
            .stream()
            .map(pair -> pair.split("=", 2))
            .map(pair -> "\"" + pair[0] + "\":\"" + (pair.length > 1 ? pair[1] : "") + "\"")
            .collect(Collectors.joining(",", "{", "}"));
    }

}
