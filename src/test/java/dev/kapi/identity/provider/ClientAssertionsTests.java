package dev.kapi.identity.provider;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import dev.kapi.shared.net.OutboundHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A client's {@code jwks_uri} is fetched through the guarded outbound client: where
 * private targets are not allowed, a key set at a loopback address is never asked for
 * (the address is judged when the connection is made, whatever it was when the client was
 * saved), and a key set past the size bound is not read.
 */
class ClientAssertionsTests {

    private static final WireMockServer KEYS = new WireMockServer(WireMockConfiguration.options().dynamicPort());

    private static RSAKey key;

    private final OutboundHttp outbound = new OutboundHttp(SystemDefaultDnsResolver.INSTANCE, false);

    @BeforeAll
    static void start() throws Exception {
        KEYS.start();
        key = new RSAKeyGenerator(2048).keyID("rp").generate();
    }

    @AfterAll
    static void stop() {
        KEYS.stop();
    }

    @BeforeEach
    void context() {
        AuthorizationServerSettings settings = AuthorizationServerSettings.builder()
            .issuer("https://kapi.test")
            .build();
        AuthorizationServerContextHolder.setContext(new AuthorizationServerContext() {
            @Override
            public String getIssuer() {
                return "https://kapi.test";
            }

            @Override
            public AuthorizationServerSettings getAuthorizationServerSettings() {
                return settings;
            }
        });
    }

    @AfterEach
    void clear() throws Exception {
        AuthorizationServerContextHolder.resetContext();
        outbound.destroy();
    }

    @Test
    void aKeySetAtAPrivateAddressIsNeverFetchedWhenPrivateTargetsAreNotAllowed() throws Exception {
        String path = serve(new JWKSet(key.toPublicJWK()).toString());
        RegisteredClient client = client("http://127.0.0.1:" + KEYS.port() + path);

        ClientAssertions guarded = new ClientAssertions(outbound, outbound.resolver(false),
                new UsedAssertions(null, Clock.systemUTC()));
        assertThatThrownBy(() -> guarded.createDecoder(client).decode(assertion(client, "https://elsewhere.test")))
            .isInstanceOf(JwtException.class)
            .isNotInstanceOf(JwtValidationException.class);
        assertThat(KEYS.findAll(WireMock.getRequestedFor(WireMock.urlPathEqualTo(path)))).isEmpty();

        // The same client where private targets are allowed: the keys are fetched, the
        // signature verifies, and only the audience is wrong.
        ClientAssertions open = new ClientAssertions(outbound, outbound.resolver(true),
                new UsedAssertions(null, Clock.systemUTC()));
        assertThatThrownBy(() -> open.createDecoder(client).decode(assertion(client, "https://elsewhere.test")))
            .isInstanceOf(JwtValidationException.class)
            .hasMessageContaining("aud");
        assertThat(KEYS.findAll(WireMock.getRequestedFor(WireMock.urlPathEqualTo(path)))).isNotEmpty();
    }

    @Test
    void aKeySetPastTheSizeBoundIsNotRead() throws Exception {
        String padding = "x".repeat(ClientAssertions.MAX_JWKS_BYTES);
        String json = new JWKSet(key.toPublicJWK()).toString();
        String path = serve(json.substring(0, json.length() - 1) + ",\"padding\":\"" + padding + "\"}");
        RegisteredClient client = client("http://127.0.0.1:" + KEYS.port() + path);

        ClientAssertions open = new ClientAssertions(outbound, outbound.resolver(true),
                new UsedAssertions(null, Clock.systemUTC()));
        assertThatThrownBy(() -> open.createDecoder(client).decode(assertion(client, "https://elsewhere.test")))
            .isInstanceOf(JwtException.class)
            .isNotInstanceOf(JwtValidationException.class);
        assertThat(KEYS.findAll(WireMock.getRequestedFor(WireMock.urlPathEqualTo(path)))).isNotEmpty();
    }

    private static String serve(String body) {
        String path = "/jwks/" + UUID.randomUUID();
        KEYS.stubFor(WireMock.get(WireMock.urlPathEqualTo(path)).willReturn(WireMock.okJson(body)));
        return path;
    }

    private static RegisteredClient client(String jwksUri) {
        return RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId("rp-" + UUID.randomUUID())
            .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .clientSettings(ClientSettings.builder()
                .jwkSetUrl(jwksUri)
                .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS256)
                .build())
            .build();
    }

    private static String assertion(RegisteredClient client, String audience) throws Exception {
        Instant now = Clock.systemUTC().instant();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(client.getClientId())
                    .subject(client.getClientId())
                    .audience(audience)
                    .jwtID(UUID.randomUUID().toString())
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plusSeconds(60)))
                    .build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

}
