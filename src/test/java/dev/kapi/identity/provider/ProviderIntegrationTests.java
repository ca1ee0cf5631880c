package dev.kapi.identity.provider;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

import dev.kapi.identity.hosted.HostedBrowser;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import org.assertj.core.api.InstanceOfAssertFactories;

/**
 * Kapı as an OAuth 2.1 / OpenID provider over real HTTP: the discovery documents say
 * exactly what works and every endpoint they name answers; the client-credentials grant
 * gives an RFC 9068 access token signed with the published keys; an authorization request
 * is checked before anyone is asked to sign in.
 */
class ProviderIntegrationTests extends IntegrationTest {

    static final String CLIENTS = "/api/admin/oauth-clients";

    @Test
    void discoveryListsExactlyWhatWorksAndEveryAdvertisedEndpointAnswers() {
        Map<String, Object> openid = document("/.well-known/openid-configuration");
        Map<String, Object> oauth = document("/.well-known/oauth-authorization-server");

        for (Map<String, Object> document : List.of(openid, oauth)) {
            String issuer = (String) document.get("issuer");
            assertThat(document)
                .containsEntry("grant_types_supported",
                        List.of("authorization_code", "refresh_token", "client_credentials",
                                "urn:ietf:params:oauth:grant-type:device_code"))
                .containsEntry("response_types_supported", List.of("code"))
                .containsEntry("code_challenge_methods_supported", List.of("S256"))
                .containsEntry("token_endpoint_auth_methods_supported",
                        List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "none"))
                .containsEntry("scopes_supported",
                        List.of("openid", "profile", "email", "offline_access", "roles", "entitlements"))
                .containsEntry("end_session_endpoint", issuer + "/connect/logout")
                .containsEntry("backchannel_logout_supported", true)
                .containsEntry("backchannel_logout_session_supported", true)
                .containsEntry("device_authorization_endpoint", issuer + "/oauth2/device_authorization")
                .containsEntry("jwks_uri", issuer + "/.well-known/jwks.json")
                .containsEntry("acr_values_supported", List.of("urn:kapi:acr:mfa", "urn:kapi:acr:sfa"))
                .doesNotContainKeys("tls_client_certificate_bound_access_tokens", "dpop_signing_alg_values_supported");
            assertThat(document.toString()).doesNotContain("password", "token-exchange", "client_secret_jwt",
                    "tls_client_auth");
            assertThat(document.get("claims_supported")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .contains("sid", "auth_time", "amr", "acr", "email", "email_verified", "name", "preferred_username",
                        "locale", "role", "entitlements");
        }
        assertThat(openid).containsEntry("id_token_signing_alg_values_supported", List.of("RS256", "ES256", "EdDSA"))
            .containsEntry("subject_types_supported", List.of("public"));

        // Every endpoint named answers at its path (none is a 404 or a failure), and none
        // makes an HTTP session.
        for (Map.Entry<String, Object> entry : openid.entrySet()) {
            if (!entry.getKey().endsWith("_endpoint") && !entry.getKey().equals("jwks_uri")) {
                continue;
            }
            String path = URI.create((String) entry.getValue()).getPath();
            HttpMethod method = switch (entry.getKey()) {
                case "token_endpoint", "revocation_endpoint", "introspection_endpoint",
                        "device_authorization_endpoint" ->
                    HttpMethod.POST;
                default -> HttpMethod.GET;
            };
            EntityExchangeResult<byte[]> answer = client().method(method)
                .uri(path)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .exchange()
                .expectBody()
                .returnResult();
            int status = answer.getStatus().value();
            assertThat(status).as(entry.getKey() + " " + path).isNotEqualTo(404).isLessThan(500);
            assertThat(String.valueOf(answer.getResponseHeaders().get(HttpHeaders.SET_COOKIE)))
                .doesNotContain("JSESSIONID");
        }
    }

    @Test
    void clientCredentialsGivesAnAtJwtSignedWithThePublishedKeysAndAWrongSecretIsInvalidClient() throws Exception {
        TestUser admin = newAdmin();
        Map<String, Object> created = post(admin, CLIENTS, Map.of("client_name", "Raporlar", "client_type",
                "confidential", "grant_types", List.of("client_credentials"), "scopes", List.of("reports.read")), 201);
        String clientId = (String) created.get("client_id");
        String secret = (String) created.get("client_secret");

        Map<String, Object> token = client().post()
            .uri("/oauth2/token")
            .headers(headers -> headers.setBasicAuth(clientId, secret))
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("grant_type=client_credentials&scope=reports.read")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(token).containsEntry("token_type", "Bearer").containsEntry("scope", "reports.read");
        String accessToken = (String) token.get("access_token");
        JWTClaimsSet claims = verified(accessToken);
        assertThat(claims.getSubject()).isEqualTo(clientId);
        assertThat(claims.getAudience()).containsExactly(clientId);
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(claims.getStringClaim("scope")).isEqualTo("reports.read");
        assertThat(claims.getIssuer()).isEqualTo("http://localhost:8000");
        // Not a Kapı API token.
        as(accessToken).get().uri("/users/me").exchange().expectStatus().isUnauthorized();

        client().post()
            .uri("/oauth2/token")
            .headers(headers -> headers.setBasicAuth(clientId, secret + "x"))
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("grant_type=client_credentials")
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.error")
            .isEqualTo("invalid_client");
    }

    @Test
    void anAuthorizationRequestIsCheckedBeforeSignInAndPromptNoneAnswersTheClient() {
        TestUser admin = newAdmin();
        String redirect = "http://127.0.0.1:9/callback";
        String clientId = (String) post(admin, CLIENTS,
                Map.of("client_name", "SPA", "client_type", "public", "grant_types",
                        List.of("authorization_code", "refresh_token"), "redirect_uris", List.of(redirect), "scopes",
                        List.of("openid", "profile")),
                201)
            .get("client_id");
        String request = "/oauth2/authorize?response_type=code&client_id=" + clientId + "&scope=openid%20profile"
                + "&state=s1&code_challenge=" + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                + "&code_challenge_method=S256&redirect_uri=";

        HostedBrowser browser = new HostedBrowser(port, randomIp());

        // A redirect URI not registered: an error here, never a redirect anywhere.
        HttpResponse<String> wrong = browser.get(request + "https://evil.example/steal");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(wrong.headers().firstValue("Location")).isEmpty();

        // No Kapı session: the sign-in page, which comes back to the same request.
        HttpResponse<String> anonymous = browser.get(request + redirect);
        assertThat(anonymous.statusCode()).isEqualTo(302);
        String location = CodeFlowIntegrationTests.relative(anonymous.headers().firstValue("Location").orElseThrow());
        assertThat(location).startsWith("/login?return=");
        assertThat(URLDecoder.decode(location.substring("/login?return=".length()), StandardCharsets.UTF_8))
            .isEqualTo(request + redirect);

        // prompt=none without a session: the client hears login_required.
        HttpResponse<String> none = browser.get(request + redirect + "&prompt=none");
        assertThat(none.statusCode()).isEqualTo(302);
        assertThat(none.headers().firstValue("Location"))
            .contains(redirect + "?error=login_required&state=s1&iss=http%3A%2F%2Flocalhost%3A8000");
        assertThat(browser.setCookies()).noneMatch(cookie -> cookie.toUpperCase().startsWith("JSESSIONID"));
    }

    @Test
    void anAuthorizationErrorThatCannotGoBackToTheClientIsTheHostedErrorPageInTheBrowsersLanguage() {
        String redirect = "http://127.0.0.1:9/callback";
        String clientId = (String) post(newAdmin(), CLIENTS,
                Map.of("client_name", "SPA", "client_type", "public", "grant_types", List.of("authorization_code"),
                        "redirect_uris", List.of(redirect), "scopes", List.of("openid", "profile")),
                201)
            .get("client_id");
        String pkce = "&state=s1&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
        HostedBrowser browser = new HostedBrowser(port, randomIp());

        Map<String, String> cases = Map.of(
                "/oauth2/authorize?response_type=code&client_id=nobody&scope=openid&redirect_uri=" + redirect + pkce,
                "invalid_client",
                "/oauth2/authorize?response_type=code&client_id="
                        + clientId + "&scope=openid&redirect_uri=" + "https://evil.example/steal" + pkce,
                "invalid_redirect_uri",
                "/oauth2/authorize?response_type=code&client_id=" + clientId + "&scope=openid&redirect_uri=" + redirect
                        + "/other" + pkce,
                "invalid_redirect_uri",
                "/oauth2/authorize?response_type=code&client_id=" + clientId + "&scope=openid" + pkce,
                "invalid_redirect_uri");
        cases.forEach((request, code) -> {
            HttpResponse<String> page = browser.get(request);
            assertThat(page.statusCode()).as(request).isEqualTo(400);
            assertThat(page.headers().firstValue("Location")).as(request).isEmpty();
            assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("frame-ancestors 'none'");
            assertThat(page.body()).as(request)
                .contains("data-error=\"" + code + "\"")
                .doesNotContain("evil.example")
                .contains("<html lang=\"tr\"");
        });

        // In English when the request asks for it, and the same page at /oauth2/error.
        HttpResponse<String> english = browser
            .get("/oauth2/authorize?response_type=code&client_id=nobody&scope=openid&ui_locales=en&redirect_uri="
                    + redirect + pkce);
        assertThat(english.body()).contains("This application is not registered with Kapı.");
        assertThat(browser.get("/oauth2/error?error=invalid_client&lang=en").body())
            .contains("This application is not registered with Kapı.");

        // An error with a registered redirect URI still goes back to the client.
        HttpResponse<String> scope = browser.get("/oauth2/authorize?response_type=code&client_id=" + clientId
                + "&scope=openid%20admin&redirect_uri=" + redirect + pkce);
        assertThat(scope.statusCode()).isEqualTo(302);
        assertThat(scope.headers().firstValue("Location").orElseThrow()).startsWith(redirect + "?error=invalid_scope")
            .contains("state=s1");
    }

    /** The relying party's key set, served where its {@code jwks_uri} points. */
    private static final com.github.tomakehurst.wiremock.WireMockServer KEYS = keyServer();

    private static com.github.tomakehurst.wiremock.WireMockServer keyServer() {
        com.github.tomakehurst.wiremock.WireMockServer server = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
        server.start();
        return server;
    }

    @Test
    void privateKeyJwtAuthenticatesAClientByTheKeysAtItsJwksUriAndNothingElseDoes() throws Exception {
        com.nimbusds.jose.jwk.RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("rp-1").generate();
        com.nimbusds.jose.jwk.RSAKey stranger = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("rp-1")
            .generate();
        String path = "/jwks/" + java.util.UUID.randomUUID();
        KEYS.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(path))
            .willReturn(
                    com.github.tomakehurst.wiremock.client.WireMock.okJson(new JWKSet(key.toPublicJWK()).toString())));
        Map<String, Object> created = post(newAdmin(), CLIENTS,
                Map.of("client_name", "Signed", "client_type", "confidential", "grant_types",
                        List.of("client_credentials"), "scopes", List.of("reports.read"), "jwks_uri",
                        "http://127.0.0.1:" + KEYS.port() + path),
                201);
        String clientId = (String) created.get("client_id");
        String audience = "http://localhost:8000/oauth2/token";

        EntityExchangeResult<String> answer = assertion(clientId, assertionFor(key, clientId, clientId, audience, 60))
            .expectBody(String.class)
            .returnResult();
        assertThat(answer.getStatus().value()).as(answer.getResponseBody()).isEqualTo(200);
        Map<String, Object> token = new tools.jackson.databind.json.JsonMapper().readValue(answer.getResponseBody(),
                new tools.jackson.core.type.TypeReference<Map<String, Object>>() {
                });
        assertThat(verified((String) token.get("access_token")).getStringClaim("client_id")).isEqualTo(clientId);
        assertThat(KEYS.findAll(com.github.tomakehurst.wiremock.client.WireMock
            .getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(path)))).isNotEmpty();

        // Another key with the same kid, another audience, another issuer, an expired
        // assertion: invalid_client, no token.
        for (String bad : List.of(assertionFor(stranger, clientId, clientId, audience, 60),
                assertionFor(key, clientId, clientId, "https://other.example/oauth2/token", 60),
                assertionFor(key, "someone-else", clientId, audience, 60),
                assertionFor(key, clientId, clientId, audience, -120))) {
            assertion(clientId, bad).expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("invalid_client");
        }
        // A client registered without keys cannot use the method at all.
        Map<String, Object> secretOnly = post(newAdmin(), CLIENTS, Map.of("client_name", "Secret", "client_type",
                "confidential", "grant_types", List.of("client_credentials"), "scopes", List.of("reports.read")), 201);
        String other = (String) secretOnly.get("client_id");
        assertion(other, assertionFor(key, other, other, audience, 60)).expectStatus().isUnauthorized();
    }

    @Test
    void aClientAssertionIsUsedOnceAndNeedsAJtiAndAShortLife() throws Exception {
        com.nimbusds.jose.jwk.RSAKey key = new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(2048).keyID("rp-2").generate();
        String path = "/jwks/" + java.util.UUID.randomUUID();
        KEYS.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .get(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(path))
            .willReturn(
                    com.github.tomakehurst.wiremock.client.WireMock.okJson(new JWKSet(key.toPublicJWK()).toString())));
        Map<String, Object> created = post(newAdmin(), CLIENTS,
                Map.of("client_name", "Once", "client_type", "confidential", "grant_types",
                        List.of("client_credentials"), "scopes", List.of("reports.read"), "jwks_uri",
                        "http://127.0.0.1:" + KEYS.port() + path),
                201);
        String clientId = (String) created.get("client_id");
        String audience = "http://localhost:8000/oauth2/token";

        // OpenID Connect Core 9: the same assertion a second time, before it expires, is
        // refused.
        String assertion = assertionFor(key, clientId, clientId, audience, 60);
        assertion(clientId, assertion).expectStatus().isOk();
        assertion(clientId, assertion).expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.error")
            .isEqualTo("invalid_client")
            .jsonPath("$.access_token")
            .doesNotExist();
        // A fresh jti works again.
        assertion(clientId, assertionFor(key, clientId, clientId, audience, 60)).expectStatus().isOk();
        // Without a jti, or living longer than the bound, it could not be held to once.
        for (String bad : List.of(assertionFor(key, clientId, clientId, audience, 60, null),
                assertionFor(key, clientId, clientId, audience, 600, java.util.UUID.randomUUID().toString()))) {
            assertion(clientId, bad).expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.error")
                .isEqualTo("invalid_client");
        }
    }

    private org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec assertion(String clientId,
            String assertion) {
        return client().post()
            .uri("/oauth2/token")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("grant_type=client_credentials&client_id=" + clientId
                    + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                    + "&client_assertion=" + assertion)
            .exchange();
    }

    /** A client assertion (RFC 7523) as a relying party signs one. */
    private static String assertionFor(com.nimbusds.jose.jwk.RSAKey key, String issuer, String subject, String audience,
            long lifetimeSeconds) throws Exception {
        return assertionFor(key, issuer, subject, audience, lifetimeSeconds, java.util.UUID.randomUUID().toString());
    }

    private static String assertionFor(com.nimbusds.jose.jwk.RSAKey key, String issuer, String subject, String audience,
            long lifetimeSeconds, String jti) throws Exception {
        java.time.Instant now = java.time.Instant.now();
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .build(),
                new JWTClaimsSet.Builder().issuer(issuer)
                    .subject(subject)
                    .audience(audience)
                    .jwtID(jti)
                    .issueTime(java.util.Date.from(now.minusSeconds(Math.max(0, -lifetimeSeconds) + 1)))
                    .expirationTime(java.util.Date.from(now.plusSeconds(lifetimeSeconds)))
                    .build());
        jwt.sign(new com.nimbusds.jose.crypto.RSASSASigner(key));
        return jwt.serialize();
    }

    private Map<String, Object> document(String path) {
        return client().get()
            .uri(path)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    /** The claims of a provider access token, checked as a resource server would. */
    JWTClaimsSet verified(String token) throws Exception {
        String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
                StandardCharsets.UTF_8);
        assertThat(header).contains("\"typ\":\"at+jwt\"");
        String jwks = client().get()
            .uri("/.well-known/jwks.json")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(com.nimbusds.jose.JWSAlgorithm.RS256, com.nimbusds.jose.JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(JWKSet.parse(jwks))));
        return processor.process(token, null);
    }

}
