package dev.kapi.identity;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;

import dev.kapi.support.IntegrationTest;
import dev.kapi.support.SecondInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tokens signed with rotating asymmetric keys, checked the way another service would:
 * with Nimbus against the JWKS Kapı publishes. Each algorithm runs on instances of its
 * own (KAPI_JWT_ALGORITHM), on the shared database and clock; the shared test instance
 * stays on HS256.
 */
class SigningKeysIntegrationTests extends IntegrationTest {

    private final List<SecondInstance> instances = new ArrayList<>();

    @AfterEach
    void stopInstances() {
        instances.forEach(SecondInstance::close);
        instances.clear();
    }

    @Test
    void jwksWhenHs256ThenOnlyTheProvidersKeysAndDiscoveryNamesTheIssuer() throws Exception {
        Map<String, Object> discovery = client().get()
            .uri("/.well-known/openid-configuration")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        String issuer = (String) discovery.get("issuer");
        assertThat(discovery).containsEntry("jwks_uri", issuer + "/.well-known/jwks.json")
            .containsEntry("introspection_endpoint", issuer + "/oauth2/introspect")
            .containsEntry("token_endpoint", issuer + "/oauth2/token")
            .containsEntry("id_token_signing_alg_values_supported", List.of("RS256", "ES256", "EdDSA"));
        // Kapı's own HS256 tokens are checked by Kapı alone; the JWKS holds the OpenID
        // provider's keys.
        JWKSet published = jwks(client());
        assertThat(published.getKeys()).extracting(key -> key.getAlgorithm().getName())
            .contains("RS256", "ES256")
            .doesNotContain("HS256");
        assertThat(published.toString()).doesNotContain("\"d\"").doesNotContain("\"p\"");
        String token = newUserToken();
        assertThat(claims(token).getIssuer()).isEqualTo(issuer);
        assertThat(SignedJWT.parse(token).getHeader().getAlgorithm().getName()).isEqualTo("HS256");
        as(newAdminToken()).post().uri("/api/admin/signing-keys/rotate").exchange().expectStatus().isEqualTo(409);
    }

    @ParameterizedTest
    @ValueSource(strings = { "ES256", "EdDSA", "RS256" })
    void tokenWhenSignedWithTheAlgorithmThenItVerifiesAgainstTheJwksUntilItsKeyIsRetired(String algorithm)
            throws Exception {
        RestTestClient api = on(start(algorithm, "30d"));
        String email = registerOn(api, false);
        // given: an admin rotated; the next key is published and signs after the publish
        // lead
        String admin = signIn(api, registerOn(api, true));
        Map<String, Object> rotated = api.post()
            .uri("/api/admin/signing-keys/rotate")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        clock.advance(
                Duration.between(clock.instant(), Instant.parse((String) rotated.get("activates_at"))).minusMinutes(1));
        String token = signIn(api, email);
        SignedJWT signed = SignedJWT.parse(token);
        assertThat(signed.getHeader().getAlgorithm().getName()).isEqualTo(algorithm);
        assertThat(signed.getHeader().getKeyID()).isNotBlank();

        // then: a standard library verifies it with the published keys, issuer and claims
        // included
        JWTClaimsSet claims = verify(token, jwks(api), algorithm);
        assertThat(claims.getIssuer()).isEqualTo("http://localhost:8000");
        assertThat(claims.getStringClaim("sid")).isNotBlank();
        assertThat(jwks(api).toString()).doesNotContain("\"d\"").doesNotContain("\"p\"");
        me(api, token).expectStatus().isOk();

        // when: the next key's time has come
        clock.advance(Duration.ofMinutes(1));

        // then: new tokens carry the new key; the old token and key stay good until it
        // expires
        String newer = signIn(api, registerOn(api, false));
        assertThat(SignedJWT.parse(newer).getHeader().getKeyID()).isEqualTo(rotated.get("kid"))
            .isNotEqualTo(signed.getHeader().getKeyID());
        verify(token, jwks(api), algorithm);
        verify(newer, jwks(api), algorithm);
        me(api, token).expectStatus().isOk();

        // when: the last token the old key signed has expired
        clock.advance(Duration.ofMinutes(31));

        // then: the old key is no longer published, and the token no longer verifies
        assertThat(jwks(api).getKeyByKeyId(signed.getHeader().getKeyID())).isNull();
        JWKSet published = jwks(api);
        assertThatExceptionOfType(BadJOSEException.class).isThrownBy(() -> verify(token, published, algorithm));
        me(api, token).expectStatus().isUnauthorized();
    }

    @Test
    void rotationWhenImmediateThenTheOldKeyLeavesTheJwksAndItsTokensFailAtOnceOnEveryInstanceButSessionsRefresh()
            throws Exception {
        SecondInstance firstInstance = start("ES256", "30d");
        RestTestClient first = on(firstInstance);
        RestTestClient second = on(start("ES256", "30d"));
        Token session = session(first, registerOn(first, false));
        String token = session.access_token();
        String old = kid(token);
        // Both instances have verified the token (and remember it), a relying party has
        // verified it too.
        me(first, token).expectStatus().isOk();
        me(second, token).expectStatus().isOk();
        verify(token, jwks(second), "ES256");
        String adminEmail = registerOn(first, true);

        // when: an admin rotates at once, for a suspected leak (the clock does not move)
        Map<String, Object> rotated = first.post()
            .uri("/api/admin/signing-keys/rotate?immediate=true")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + signIn(first, adminEmail))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        // then: the JWKS holds the new key alone, and the old token is refused, here at
        // once and on the other
        // instance as soon as it hears of it
        assertThat(rotated).containsEntry("state", "signing");
        assertThat(ofAlgorithm(jwks(first), "ES256")).extracting(JWK::getKeyID)
            .containsExactly((String) rotated.get("kid"));
        me(first, token).expectStatus().isUnauthorized();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(jwks(second).getKeyByKeyId(old)).isNull();
            me(second, token).expectStatus().isUnauthorized();
        });
        // and: a relying party loading the JWKS with Nimbus can no longer verify it
        JWKSet loaded = JWKSet.load(URI.create(base(firstInstance) + "/.well-known/jwks.json").toURL());
        assertThat(loaded.getKeyByKeyId(old)).isNull();
        assertThatExceptionOfType(BadJOSEException.class).isThrownBy(() -> verify(token, loaded, "ES256"));
        // and: the admin's listing says the old key was revoked then
        Map<String, Object> listed = first.get()
            .uri("/api/admin/signing-keys")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + signIn(first, adminEmail))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_ARRAY)
            .returnResult()
            .getResponseBody()
            .stream()
            .filter(key -> old.equals(key.get("kid")))
            .findFirst()
            .orElseThrow();
        assertThat(listed).containsEntry("state", "revoked");
        assertThat(Instant.parse((String) listed.get("published_until"))).isEqualTo(clock.instant())
            .isEqualTo(Instant.parse((String) listed.get("signs_until")));

        // and: the session survives: its refresh token answers a token of the new key
        // that both accept
        Token refreshed = second.post()
            .uri("/auth/refresh")
            .header("X-Forwarded-For", randomIp())
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("refresh_token", session.refresh_token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody();
        assertThat(kid(refreshed.access_token())).isEqualTo(rotated.get("kid"));
        verify(refreshed.access_token(), loaded, "ES256");
        me(first, refreshed.access_token()).expectStatus().isOk();
        me(second, refreshed.access_token()).expectStatus().isOk();
    }

    @Test
    void rotationWhenScheduledThenTheNextKeyIsPublishedBeforeItSignsAndBothInstancesSignWithTheSameKey()
            throws Exception {
        RestTestClient first = on(start("ES256", "1d"));
        RestTestClient second = on(start("ES256", "1d"));
        String email = registerOn(first, false);
        String current = kid(signIn(first, email));
        assertThat(kid(signIn(second, email))).isEqualTo(current);

        // when: the rotation is less than the publish lead (1 h) away
        clock.advance(Duration.ofHours(23).plusMinutes(1));
        assertThat(kid(signIn(first, email))).isEqualTo(current);

        // then: both publish the next key, which does not sign yet
        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> assertThat(ofAlgorithm(jwks(second), "ES256")).hasSize(2));
        assertThat(ofAlgorithm(jwks(first), "ES256")).hasSize(2);
        assertThat(kid(signIn(second, email))).isEqualTo(current);
        String next = ofAlgorithm(jwks(second), "ES256").stream()
            .map(key -> key.getKeyID())
            .filter(kid -> !kid.equals(current))
            .findFirst()
            .orElseThrow();

        // when: its time has come
        clock.advance(Duration.ofHours(1));

        // then: both sign with it, and the old key stays published until the tokens it
        // signed expired
        assertThat(kid(signIn(first, email))).isEqualTo(next);
        assertThat(kid(signIn(second, email))).isEqualTo(next);
        assertThat(jwks(second).getKeyByKeyId(current)).isNotNull();
        clock.advance(Duration.ofMinutes(31));
        assertThat(jwks(first).getKeyByKeyId(current)).isNull();
        assertThat(jwks(second).getKeyByKeyId(current)).isNull();
    }

    private SecondInstance start(String algorithm, String rotation) {
        SecondInstance instance = anotherInstance().property("kapi.identity.signing.algorithm", algorithm)
            .property("kapi.identity.signing.rotation", rotation)
            .start();
        instances.add(instance);
        return instance;
    }

    private static RestTestClient on(SecondInstance instance) {
        return bindToServer().baseUrl(base(instance)).build();
    }

    private static String base(SecondInstance instance) {
        return instance.baseUrl();
    }

    private static String registerOn(RestTestClient api, boolean admin) {
        String email = uniqueEmail();
        Map<String, Object> body = admin
                ? Map.of("email", email, "password", PASSWORD, "full_name", "Key Admin", "admin_secret", ADMIN_SECRET)
                : Map.of("email", email, "password", PASSWORD, "full_name", "Key User");
        api.post()
            .uri(admin ? "/auth/register/admin" : "/auth/register")
            .header("X-Forwarded-For", randomIp())
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isCreated();
        return email;
    }

    private static String signIn(RestTestClient api, String email) {
        return session(api, email).access_token();
    }

    private static Token session(RestTestClient api, String email) {
        return api.post()
            .uri("/auth/login")
            .header("X-Forwarded-For", randomIp())
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody();
    }

    private static RestTestClient.ResponseSpec me(RestTestClient api, String token) {
        return api.get()
            .uri("/users/me")
            .header("X-Forwarded-For", randomIp())
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .exchange();
    }

    private static JWKSet jwks(RestTestClient api) throws Exception {
        return JWKSet.parse(api.get()
            .uri("/.well-known/jwks.json")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody());
    }

    /**
     * The published keys of one algorithm: the JWKS also holds the OpenID provider's
     * (RS256 and ES256 always).
     */
    private static List<JWK> ofAlgorithm(JWKSet keys, String algorithm) {
        return keys.getKeys().stream().filter(key -> key.getAlgorithm().getName().equals(algorithm)).toList();
    }

    /**
     * As a relying party would: the key its kid names from the published set
     * (JWKMatcher), the algorithm pinned, the signature checked with Nimbus's verifier
     * for that key type (Nimbus's key selector does not convert Ed25519 keys), then iss
     * and the claims required.
     */
    private static JWTClaimsSet verify(String token, JWKSet keys, String algorithm) throws Exception {
        SignedJWT signed = SignedJWT.parse(token);
        if (!signed.getHeader().getAlgorithm().getName().equals(algorithm)) {
            throw new BadJOSEException("Another algorithm");
        }
        List<JWK> matching = new JWKSelector(JWKMatcher.forJWSHeader(signed.getHeader())).select(keys);
        if (matching.isEmpty()) {
            throw new BadJOSEException("No published key " + signed.getHeader().getKeyID());
        }
        JWK key = matching.getFirst();
        JWSVerifier verifier = switch (key) {
            case ECKey ec -> new ECDSAVerifier(ec);
            case OctetKeyPair okp -> new Ed25519Verifier(okp);
            case RSAKey rsa -> new RSASSAVerifier(rsa);
            default -> throw new BadJOSEException("Unexpected key type " + key.getKeyType());
        };
        if (!signed.verify(verifier)) {
            throw new BadJOSEException("Bad signature");
        }
        new DefaultJWTClaimsVerifier<>(new JWTClaimsSet.Builder().issuer("http://localhost:8000").build(),
                Set.of("sub", "sid", "exp", "iat"))
            .verify(signed.getJWTClaimsSet(), null);
        return signed.getJWTClaimsSet();
    }

    private static String kid(String token) throws Exception {
        return SignedJWT.parse(token).getHeader().getKeyID();
    }

    private static JWTClaimsSet claims(String token) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet();
        }
        catch (java.text.ParseException ex) {
            throw new AssertionError(ex);
        }
    }

}
