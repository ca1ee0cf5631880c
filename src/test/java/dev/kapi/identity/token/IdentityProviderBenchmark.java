package dev.kapi.identity.token;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.kapi.identity.provider.rp.CookieJarBrowser;
import dev.kapi.support.IntegrationTest;
import dev.kapi.support.SecondInstance;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Identity provider figures, outside the normal build ({@code mvn -Pbenchmark test
 * -Dtest=IdentityProviderBenchmark}): the cost of signing and verifying one access token
 * per algorithm (Kapı's claims and headers, keys as {@link SigningKeys} makes them, one
 * thread), and introspection throughput over HTTP with 32 concurrent clients in this JVM
 * (they share the two cores with the server).
 */
class IdentityProviderBenchmark extends IntegrationTest {

    private static final int ROUNDS = 3;

    @Test
    void signAndVerifyCostPerAlgorithm() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://localhost:8000")
            .subject("42")
            .claim("sid", UUID.randomUUID().toString())
            .issueTime(new Date())
            .expirationTime(new Date(System.currentTimeMillis() + 1_800_000))
            .jwtID(UUID.randomUUID().toString())
            .build();
        for (String algorithm : List.of("HS256", "ES256", "EdDSA", "RS256")) {
            JWSSigner signer;
            JWSVerifier verifier;
            JWSHeader header;
            if ("HS256".equals(algorithm)) {
                byte[] secret = new byte[64];
                new java.security.SecureRandom().nextBytes(secret);
                signer = new MACSigner(secret);
                verifier = new MACVerifier(secret);
                header = new JWSHeader(JWSAlgorithm.HS256);
            }
            else {
                JWK key = SigningKeys.generate(algorithm);
                SigningKeys.Crypto crypto = SigningKeys.crypto(key);
                signer = crypto.signer();
                verifier = crypto.verifier();
                header = new JWSHeader.Builder(JWSAlgorithm.parse(algorithm)).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT)
                    .build();
            }
            int count = "RS256".equals(algorithm) ? 2_000 : 20_000;
            double signMicros = Double.MAX_VALUE;
            double verifyMicros = Double.MAX_VALUE;
            String token = null;
            for (int round = 0; round < ROUNDS + 1; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    SignedJWT jwt = new SignedJWT(header, claims);
                    jwt.sign(signer);
                    token = jwt.serialize();
                }
                long signed = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    assertThat(SignedJWT.parse(token).verify(verifier)).isTrue();
                }
                long verified = System.nanoTime();
                if (round > 0) { // the first round warms the JIT up
                    signMicros = Math.min(signMicros, (signed - start) / 1_000.0 / count);
                    verifyMicros = Math.min(verifyMicros, (verified - signed) / 1_000.0 / count);
                }
            }
            System.out.printf("BENCH %-6s sign %8.1f µs  verify %8.1f µs  token %d bytes%n", algorithm, signMicros,
                    verifyMicros, token.length());
        }
    }

    @Test
    void introspectionThroughput() throws Exception {
        TestUser admin = newAdmin();
        String key = (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "bench", "scopes", List.of("introspect")), 201)
            .get("key");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            tokens.add(newUserToken());
        }
        measure("rate limits on", port, key, tokens);
        // Introspection's limit is counted in the instance's memory (a local route), the
        // others in PostgreSQL;
        // bench/identity.sh measures GET /users/me with the limits off; so does this
        // second instance.
        try (SecondInstance unlimited = anotherInstance().property("kapi.rate-limits.enabled", false).start()) {
            measure("rate limits off", unlimited.port(), key, tokens);
        }
    }

    /**
     * The OpenID provider's rows, on an instance with the rate limits off: authorization
     * codes exchanged per second at {@code /oauth2/token} (codes made first through the
     * real flow, a signed-in browser's cookie jar asking {@code /oauth2/authorize} again
     * and again; only the exchanges are timed), client-credentials tokens per second, and
     * {@code /userinfo} reads per second; each a median of three runs with 32 clients,
     * the first two beside the raw rate of the signature they need (one thread, Nimbus,
     * keys as {@link SigningKeys} makes them).
     */
    @Test
    void providerThroughput() throws Exception {
        TestUser admin = newAdmin();
        String redirect = "http://127.0.0.1:9/callback";
        Map<String, Object> web = post(admin, "/api/admin/oauth-clients",
                Map.of("client_name", "bench web", "client_type", "confidential", "redirect_uris", List.of(redirect),
                        "grant_types", List.of("authorization_code", "refresh_token"), "scopes",
                        List.of("openid", "profile", "email"), "require_consent", false),
                201);
        Map<String, Object> service = post(admin, "/api/admin/oauth-clients", Map.of("client_name", "bench service",
                "client_type", "confidential", "grant_types", List.of("client_credentials"), "scopes", List.of()), 201);
        String email = registerUser();
        try (SecondInstance unlimited = anotherInstance().property("kapi.rate-limits.enabled", false).start()) {
            String base = "http://localhost:" + unlimited.port();
            CookieJarBrowser browser = new CookieJarBrowser(base, randomIp());
            String authorize = "/oauth2/authorize?response_type=code&client_id=" + web.get("client_id")
                    + "&redirect_uri=" + redirect + "&scope=openid%20profile%20email&state=s";
            String login = CookieJarBrowser.location(browser.get(authorize + "&code_challenge="
                    + CookieJarBrowser.challenge("warm-up") + "&code_challenge_method=S256"));
            browser.get(login);
            browser.get(CookieJarBrowser
                .location(browser.submit("/login", Map.of("username", email, "password", PASSWORD))));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            String webBasic = basic(web);
            List<Double> exchanges = new ArrayList<>();
            String accessToken = null;
            for (int round = 0; round < ROUNDS; round++) {
                List<String[]> codes = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    String verifier = CookieJarBrowser.random();
                    String answer = CookieJarBrowser.location(browser.get(authorize + "&code_challenge="
                            + CookieJarBrowser.challenge(verifier) + "&code_challenge_method=S256"));
                    codes.add(new String[] { CookieJarBrowser.parameter(answer, "code"), verifier });
                }
                AtomicLong next = new AtomicLong();
                List<String> issued = java.util.Collections.synchronizedList(new ArrayList<>());
                long start = System.nanoTime();
                concurrently(() -> {
                    for (int i = (int) next.getAndIncrement(); i < codes.size(); i = (int) next.getAndIncrement()) {
                        HttpResponse<String> response = http
                            .send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                                .header("Authorization", webBasic)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers
                                    .ofString("grant_type=authorization_code&code=" + codes.get(i)[0] + "&redirect_uri="
                                            + redirect + "&code_verifier=" + codes.get(i)[1]))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200 || !response.body().contains("id_token")) {
                            throw new AssertionError(response.statusCode() + " " + response.body());
                        }
                        issued.add(response.body());
                    }
                });
                exchanges.add(codes.size() / ((System.nanoTime() - start) / 1e9));
                String last = issued.get(issued.size() - 1);
                accessToken = last.replaceAll(".*\"access_token\":\"([^\"]+)\".*", "$1");
            }
            System.out.printf(
                    "BENCH code exchanges (/oauth2/token authorization_code, ID + access token RS256): "
                            + "%.0f/s median of %s; RS256 signatures alone: %.0f/s%n",
                    median(exchanges), rounded(exchanges), signaturesPerSecond("RS256"));

            String serviceBasic = basic(service);
            List<Double> credentials = throughput(http,
                    () -> HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                        .header("Authorization", serviceBasic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                        .build(),
                    "access_token");
            System.out.printf(
                    "BENCH client-credentials tokens (RS256): %.0f/s median of %s; RS256 signatures alone: "
                            + "%.0f/s, ES256: %.0f/s%n",
                    median(credentials), rounded(credentials), signaturesPerSecond("RS256"),
                    signaturesPerSecond("ES256"));

            String bearer = "Bearer " + accessToken;
            List<Double> userinfo = throughput(http,
                    () -> HttpRequest.newBuilder(URI.create(base + "/userinfo"))
                        .header("Authorization", bearer)
                        .GET()
                        .build(),
                    "\"sub\"");
            System.out.printf("BENCH /userinfo reads: %.0f/s median of %s%n", median(userinfo), rounded(userinfo));
        }
    }

    private interface Client {

        void run() throws Exception;

    }

    private static void concurrently(Client client) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 32; c++) {
                clients.add(pool.submit(() -> {
                    client.run();
                    return null;
                }));
            }
            for (Future<?> running : clients) {
                running.get();
            }
        }
    }

    /** Requests per second of 32 clients for 5 seconds, three times. */
    private static List<Double> throughput(HttpClient http, java.util.function.Supplier<HttpRequest> request,
            String expected) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            AtomicLong done = new AtomicLong();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            long start = System.nanoTime();
            concurrently(() -> {
                while (System.nanoTime() < deadline) {
                    HttpResponse<String> response = http.send(request.get(), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200 || !response.body().contains(expected)) {
                        throw new AssertionError(response.statusCode() + " " + response.body());
                    }
                    done.incrementAndGet();
                }
            });
            rates.add(done.get() / ((System.nanoTime() - start) / 1e9));
        }
        return rates;
    }

    /**
     * Signatures per second of one thread with a key as Kapı makes it (best of rounds).
     */
    private static double signaturesPerSecond(String algorithm) throws Exception {
        JWK key = SigningKeys.generate(algorithm);
        JWSSigner signer = SigningKeys.crypto(key).signer();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(algorithm)).keyID(key.getKeyID()).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("http://localhost:8000")
            .subject("42")
            .audience("client")
            .claim("sid", UUID.randomUUID().toString())
            .issueTime(new Date())
            .expirationTime(new Date(System.currentTimeMillis() + 1_800_000))
            .build();
        int count = "RS256".equals(algorithm) ? 2_000 : 20_000;
        double best = 0;
        for (int round = 0; round < ROUNDS + 1; round++) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                new SignedJWT(header, claims).sign(signer);
            }
            if (round > 0) {
                best = Math.max(best, count / ((System.nanoTime() - start) / 1e9));
            }
        }
        return best;
    }

    private static String basic(Map<String, Object> client) {
        return "Basic " + java.util.Base64.getEncoder()
            .encodeToString((client.get("client_id") + ":" + client.get("client_secret"))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static List<Long> rounded(List<Double> values) {
        return values.stream().map(Math::round).toList();
    }

    private static void measure(String label, int port, String key, List<String> tokens) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI uri = URI.create("http://localhost:" + port + "/oauth2/introspect");
        for (Duration run : List.of(Duration.ofSeconds(5), Duration.ofSeconds(10))) {
            AtomicLong done = new AtomicLong();
            long deadline = System.nanoTime() + run.toNanos();
            try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
                List<Future<?>> clients = new ArrayList<>();
                for (int c = 0; c < 32; c++) {
                    String body = "token=" + tokens.get(c % tokens.size());
                    clients.add(pool.submit(() -> {
                        while (System.nanoTime() < deadline) {
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(), HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200 || !response.body().contains("\"active\":true")) {
                                throw new AssertionError(response.statusCode() + " " + response.body());
                            }
                            done.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (Future<?> client : clients) {
                    client.get();
                }
            }
            System.out.printf("BENCH introspection, %s, %s: %.0f/s%n", label, run,
                    done.get() / (double) run.toSeconds());
        }
    }

}
