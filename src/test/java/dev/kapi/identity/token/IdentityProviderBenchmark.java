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
