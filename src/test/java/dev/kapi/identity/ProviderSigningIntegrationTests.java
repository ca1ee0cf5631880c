package dev.kapi.identity;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;
import org.springframework.test.web.servlet.client.RestTestClient;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import dev.kapi.support.IntegrationTest;
import dev.kapi.support.SecondInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The OpenID provider's signatures: the {@link JwtEncoder} bean signs with Kapı's
 * rotating RS256 and ES256 keys, which the JWKS publishes even while Kapı's own tokens
 * are HS256, and a relying party's library (Nimbus) verifies them; a token made for a
 * client never opens Kapı's own API.
 */
class ProviderSigningIntegrationTests extends IntegrationTest {

    @Autowired
    JwtEncoder encoder;

    @Test
    void encodeWhenRs256OrEs256ThenNimbusVerifiesItAgainstThePublishedJwksWithItsTypeKept() throws Exception {
        for (SignatureAlgorithm algorithm : List.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256)) {
            Jwt jwt = encoder.encode(JwtEncoderParameters.from(JwsHeader.with(algorithm).type("at+jwt").build(),
                    claims("events-site").claim("client_id", "events-site").claim("scope", "openid profile").build()));

            SignedJWT signed = SignedJWT.parse(jwt.getTokenValue());
            assertThat(signed.getHeader().getAlgorithm().getName()).isEqualTo(algorithm.getName());
            assertThat(signed.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
            assertThat(jwt.getHeaders()).containsEntry("kid", signed.getHeader().getKeyID());
            JWTClaimsSet verified = relyingParty(jwks(client()), algorithm.getName(), "at+jwt").process(signed, null);
            assertThat(verified.getSubject()).isEqualTo("42");
            assertThat(verified.getAudience()).containsExactly("events-site");
            assertThat(verified.getStringClaim("client_id")).isEqualTo("events-site");
            assertThat(verified.getExpirationTime().toInstant())
                .isEqualTo(jwt.getExpiresAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
    }

    @Test
    void encodeWhenNoAlgorithmIsNamedThenRs256AndAnAlgorithmWithoutKeysIsRefused() throws Exception {
        Jwt jwt = encoder.encode(JwtEncoderParameters.from(claims("events-site").build()));
        SignedJWT signed = SignedJWT.parse(jwt.getTokenValue());
        assertThat(signed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(signed.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        relyingParty(jwks(client()), "RS256", "JWT").process(signed, null);

        assertThatExceptionOfType(JwtEncodingException.class).isThrownBy(() -> encoder
            .encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.PS256).build(), claims("x").build())));
    }

    @Test
    void rotateWhenAnAdminNamesAProviderAlgorithmUnderHs256ThenOnlyThatLineTurnsOver() throws Exception {
        TestUser admin = newAdmin();
        String before = SignedJWT
            .parse(encoder.encode(JwtEncoderParameters.from(claims("events-site").build())).getTokenValue())
            .getHeader()
            .getKeyID();
        String es256 = SignedJWT
            .parse(encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.ES256).build(),
                    claims("events-site").build()))
                .getTokenValue())
            .getHeader()
            .getKeyID();

        Map<String, Object> rotated = post(admin, "/api/admin/signing-keys/rotate?algorithm=RS256&immediate=true", 200);

        assertThat(rotated).containsEntry("algorithm", "RS256").containsEntry("state", "signing");
        JWKSet published = jwks(client());
        assertThat(published.getKeyByKeyId(before)).isNull();
        assertThat(published.getKeyByKeyId((String) rotated.get("kid"))).isNotNull();
        assertThat(published.getKeyByKeyId(es256)).as("the ES256 line is left alone").isNotNull();
        Jwt after = encoder.encode(JwtEncoderParameters.from(claims("events-site").build()));
        assertThat(after.getHeaders()).containsEntry("kid", rotated.get("kid"));
        relyingParty(published, "RS256", "JWT").process(SignedJWT.parse(after.getTokenValue()), null);
        assertThat(invalidFields(post(admin, "/api/admin/signing-keys/rotate?algorithm=HS256", 400)))
            .containsExactly("algorithm");
        // Kapı's own tokens are HS256 here: nothing of theirs to rotate.
        post(admin, "/api/admin/signing-keys/rotate", 409);
    }

    /**
     * On an instance whose own tokens are RS256, an ID token and a client's access token
     * signed by the very key that signs Kapı's tokens, for a live session of the account,
     * are refused by Kapı's API; the same claims without a client's marks are accepted,
     * so the marks are what refuses them.
     */
    @Test
    void kapisApiWhenGivenAnIdTokenOrAClientsAccessTokenSignedByItsOwnKeyThenRefusesThem() throws Exception {
        try (SecondInstance instance = anotherInstance().property("kapi.identity.signing.algorithm", "RS256").start()) {
            RestTestClient api = bindToServer().baseUrl(instance.baseUrl()).build();
            String email = uniqueEmail();
            api.post()
                .uri("/auth/register")
                .header("X-Forwarded-For", randomIp())
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", email, "password", PASSWORD, "full_name", "Cross Token"))
                .exchange()
                .expectStatus()
                .isCreated();
            String own = api.post()
                .uri("/auth/login")
                .header("X-Forwarded-For", randomIp())
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("username", email, "password", PASSWORD))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Token.class)
                .returnResult()
                .getResponseBody()
                .access_token();
            JWTClaimsSet ownClaims = SignedJWT.parse(own).getJWTClaimsSet();
            JwtEncoder providerEncoder = instance.getBean(JwtEncoder.class);
            JwtClaimsSet.Builder same = JwtClaimsSet.builder()
                .issuer(ownClaims.getIssuer())
                .subject(ownClaims.getSubject())
                .claim("sid", ownClaims.getStringClaim("sid"))
                .issuedAt(clock.instant())
                .expiresAt(clock.instant().plusSeconds(600))
                .id("cross-" + System.nanoTime());
            JwsHeader rs256 = JwsHeader.with(SignatureAlgorithm.RS256).build();
            String idToken = providerEncoder.encode(JwtEncoderParameters.from(rs256,
                    JwtClaimsSet.builder()
                        .claims(all -> all.putAll(same.build().getClaims()))
                        .audience(List.of("events-site"))
                        .claim("azp", "events-site")
                        .claim("nonce", "n-0S6_WzA2Mj")
                        .build()))
                .getTokenValue();
            String accessToken = providerEncoder
                .encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).type("at+jwt").build(),
                        JwtClaimsSet.builder()
                            .claims(all -> all.putAll(same.build().getClaims()))
                            .claim("client_id", "events-site")
                            .build()))
                .getTokenValue();
            String lookalike = providerEncoder.encode(JwtEncoderParameters.from(rs256, same.build())).getTokenValue();
            assertThat(SignedJWT.parse(idToken).getHeader().getKeyID())
                .isEqualTo(SignedJWT.parse(own).getHeader().getKeyID());

            me(api, own).expectStatus().isOk();
            me(api, lookalike).expectStatus().isOk();
            me(api, idToken).expectStatus().isUnauthorized();
            me(api, accessToken).expectStatus().isUnauthorized();
        }
    }

    private JwtClaimsSet.Builder claims(String audience) {
        Instant now = clock.instant();
        return JwtClaimsSet.builder()
            .issuer("http://localhost:8000")
            .subject("42")
            .audience(List.of(audience))
            .issuedAt(now)
            .expiresAt(now.plusSeconds(300))
            .id("jti-" + System.nanoTime());
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
     * A relying party's verification with Nimbus: the published keys, the algorithm
     * pinned, the type expected, the issuer and the claims required. The expiry is judged
     * at the test clock's time, the one the tokens were issued at: that clock stands
     * still unless a test moves it, so against the real time a token would expire once
     * the JVM has run six minutes since the clock started (as after the API fuzz's 90 s),
     * whatever ran before.
     */
    private DefaultJWTProcessor<SecurityContext> relyingParty(JWKSet keys, String algorithm, String type) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType(type)));
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(JWSAlgorithm.parse(algorithm), new ImmutableJWKSet<>(keys)));
        processor.setJWTClaimsSetVerifier(
                new DefaultJWTClaimsVerifier<>(new JWTClaimsSet.Builder().issuer("http://localhost:8000").build(),
                        Set.of("sub", "aud", "iat", "jti")) {
                    @Override
                    protected Date currentTime() {
                        return Date.from(clock.instant());
                    }
                });
        return processor;
    }

}
