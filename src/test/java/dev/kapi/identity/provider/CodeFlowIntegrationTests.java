package dev.kapi.identity.provider;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.util.UriComponentsBuilder;

import dev.kapi.identity.hosted.HostedBrowser;
import dev.kapi.identity.token.SecretTokens;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The authorization code flow with PKCE through the hosted sign-in page, with a browser
 * that runs no script and a public client: the code, the tokens it buys, the ID token's
 * claims checked as a relying party checks them, and the attacks on it (a replayed code,
 * a missing or wrong verifier, tokens outliving the session).
 */
class CodeFlowIntegrationTests extends IntegrationTest {

    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    private static final String BYE = "http://127.0.0.1:9/bye";

    @Autowired
    private JdbcClient jdbc;

    @Test
    void signInThenCodeThenTokensWithKapisSessionInTheIdToken() throws Exception {
        Client client = publicClient();
        String email = registerUser();
        Flow flow = new Flow();
        HostedBrowser browser = new HostedBrowser(port, randomIp());

        String code = signInAndAuthorize(browser, client, flow, email);

        Map<String, Object> tokens = exchange(client, code, flow.verifier()).expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(tokens).containsKeys("access_token", "id_token", "refresh_token");
        JWTClaimsSet id = verified((String) tokens.get("id_token"));
        UUID session = sessionOf(browser);
        long account = jdbc.sql("SELECT account_id FROM sessions WHERE id = :id")
            .param("id", session)
            .query(Long.class)
            .single();
        assertThat(id.getSubject()).isEqualTo(Long.toString(account));
        assertThat(id.getAudience()).containsExactly(client.id());
        assertThat(id.getStringClaim("sid")).isEqualTo(session.toString());
        assertThat(id.getStringClaim("nonce")).isEqualTo(flow.nonce());
        assertThat(id.getStringListClaim("amr")).containsExactly("pwd");
        assertThat(id.getStringClaim("acr")).isEqualTo("urn:kapi:acr:sfa");
        assertThat(id.getClaim("auth_time")).isNotNull();
        assertThat(id.getStringClaim("email")).isEqualTo(email);
        assertThat(id.getBooleanClaim("email_verified")).isFalse();
        JWTClaimsSet access = verified((String) tokens.get("access_token"));
        assertThat(access.getStringClaim("sid")).isEqualTo(session.toString());
        assertThat(access.getStringClaim("client_id")).isEqualTo(client.id());

        // userinfo: fresh claims by scope, while the session lives.
        Map<String, Object> info = as((String) tokens.get("access_token")).get()
            .uri("/userinfo")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(info).containsEntry("sub", Long.toString(account)).containsEntry("email", email);

        // No HTTP session was ever made.
        assertThat(browser.setCookies()).noneMatch(cookie -> cookie.toUpperCase().startsWith("JSESSIONID"));

        // The session ends: its tokens stop working at once.
        endSession(session);
        as((String) tokens.get("access_token")).get().uri("/userinfo").exchange().expectStatus().isUnauthorized();
        refresh(client, (String) tokens.get("refresh_token")).expectStatus().isBadRequest();
    }

    @Test
    void aReplayedCodeFailsAndKillsTheTokensTheFirstExchangeGot() throws Exception {
        Client client = publicClient();
        Flow flow = new Flow();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        String code = signInAndAuthorize(browser, client, flow, registerUser());
        Map<String, Object> tokens = exchange(client, code, flow.verifier()).expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        as((String) tokens.get("access_token")).get().uri("/userinfo").exchange().expectStatus().isOk();

        exchange(client, code, flow.verifier()).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.error")
            .isEqualTo("invalid_grant");

        as((String) tokens.get("access_token")).get().uri("/userinfo").exchange().expectStatus().isUnauthorized();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE type = 'oauth-code-replayed' AND details = :d")
            .param("d", "client " + client.registeredId())
            .query(Long.class)
            .single()).isOne();
    }

    @Test
    void aCodeNeedsItsOwnVerifier() throws Exception {
        Client client = publicClient();
        Flow flow = new Flow();
        String code = signInAndAuthorize(new HostedBrowser(port, randomIp()), client, flow, registerUser());

        exchange(client, code, null).expectStatus().is4xxClientError();
        Flow other = new Flow();
        String second = signInAndAuthorize(new HostedBrowser(port, randomIp()), client, other, registerUser());
        exchange(client, second, flow.verifier()).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.error")
            .isEqualTo("invalid_grant");
        // Nothing the thief could use is left: the right verifier now fails too.
        exchange(client, second, other.verifier()).expectStatus().is4xxClientError();
    }

    @Test
    void rpInitiatedLogoutEndsTheKapiSessionAndGoesOnlyToARegisteredAddress() throws Exception {
        Client client = publicClient();
        Flow flow = new Flow();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        String code = signInAndAuthorize(browser, client, flow, registerUser());
        Map<String, Object> tokens = exchange(client, code, flow.verifier()).expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        String idToken = (String) tokens.get("id_token");
        UUID session = sessionOf(browser);

        // An address the client never registered: refused here, nothing ends.
        HttpResponse<String> elsewhere = browser.get("/connect/logout?id_token_hint=" + idToken
                + "&post_logout_redirect_uri=" + URLEncoder.encode("https://evil.example/", StandardCharsets.UTF_8));
        assertThat(elsewhere.statusCode()).isEqualTo(400);
        assertThat(elsewhere.headers().firstValue("Location")).isEmpty();
        as((String) tokens.get("access_token")).get().uri("/userinfo").exchange().expectStatus().isOk();

        HttpResponse<String> out = browser.get("/connect/logout?id_token_hint=" + idToken + "&post_logout_redirect_uri="
                + URLEncoder.encode(BYE, StandardCharsets.UTF_8) + "&state=bye1");
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location")).contains(BYE + "?state=bye1");
        assertThat(out.headers().allValues("Set-Cookie"))
            .anyMatch(c -> c.startsWith("kapi_sso=;") || c.startsWith("kapi_sso=") && c.contains("Max-Age=0"));
        assertThat(jdbc.sql("SELECT revoked_at IS NOT NULL FROM sessions WHERE id = :id")
            .param("id", session)
            .query(Boolean.class)
            .single()).isTrue();
        as((String) tokens.get("access_token")).get().uri("/userinfo").exchange().expectStatus().isUnauthorized();
        // Signed out: the next authorization asks for a sign-in again.
        assertThat(relative(browser.get(authorizeRequest(client.id(), new Flow(), "openid"))
            .headers()
            .firstValue("Location")
            .orElseThrow())).startsWith("/login?return=");
    }

    @Test
    void aPublicClientRefreshesWithItsIdAloneAndTheTokenRotates() throws Exception {
        Client client = publicClient();
        Flow flow = new Flow();
        String code = signInAndAuthorize(new HostedBrowser(port, randomIp()), client, flow, registerUser());
        Map<String, Object> tokens = exchange(client, code, flow.verifier()).expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        Map<String, Object> refreshed = refresh(client, (String) tokens.get("refresh_token")).expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(refreshed.get("refresh_token")).isNotEqualTo(tokens.get("refresh_token"));
        as((String) refreshed.get("access_token")).get().uri("/userinfo").exchange().expectStatus().isOk();

        // The old one again after the grace: the whole grant is gone.
        clock.advance(java.time.Duration.ofSeconds(11));
        refresh(client, (String) tokens.get("refresh_token")).expectStatus().isBadRequest();
        refresh(client, (String) refreshed.get("refresh_token")).expectStatus().isBadRequest();
        // Another client's id gets nothing either.
        Client other = publicClient();
        refresh(other, (String) refreshed.get("refresh_token")).expectStatus().isBadRequest();
    }

    @Test
    void promptLoginAndMaxAgeAskForTheSameSessionAgainAndAcrMfaForASecondFactor() throws Exception {
        Client client = publicClient();
        Flow flow = new Flow();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        String email = registerUser();
        signInAndAuthorize(browser, client, flow, email);
        UUID session = sessionOf(browser);

        for (String extra : List.of("&prompt=login", "&max_age=60")) {
            if (extra.contains("max_age")) {
                clock.advance(java.time.Duration.ofSeconds(61));
            }
            HttpResponse<String> again = browser.get(authorizeRequest(client.id(), new Flow(), "openid") + extra);
            assertThat(again.statusCode()).isEqualTo(302);
            String location = relative(again.headers().firstValue("Location").orElseThrow());
            assertThat(location).startsWith("/login?return=").endsWith("&reauth=1");
            assertThat(java.net.URLDecoder.decode(location, StandardCharsets.UTF_8)).doesNotContain("prompt=login");
        }
        HttpResponse<String> stepUp = browser
            .get(authorizeRequest(client.id(), new Flow(), "openid") + "&acr_values=urn%3Akapi%3Aacr%3Amfa");
        assertThat(relative(stepUp.headers().firstValue("Location").orElseThrow())).endsWith("&reauth=1&stepup=mfa");
        // prompt=none cannot ask: the client hears login_required.
        HttpResponse<String> none = browser
            .get(authorizeRequest(client.id(), new Flow(), "openid") + "&prompt=none&max_age=1");
        assertThat(none.headers().firstValue("Location").orElseThrow()).startsWith(REDIRECT + "?error=login_required");
        assertThat(sessionOf(browser)).isEqualTo(session);
    }

    @Test
    void theDeviceFlowForACliWithConsentAlwaysAsked() throws Exception {
        TestUser admin = newAdmin();
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", "CLI");
        body.put("client_type", "public");
        body.put("grant_types", List.of("urn:ietf:params:oauth:grant-type:device_code", "refresh_token"));
        body.put("scopes", List.of("openid", "profile"));
        body.put("require_consent", false);
        String clientId = (String) post(admin, ProviderIntegrationTests.CLIENTS, body, 201).get("client_id");

        Map<String, Object> device = client().post()
            .uri("/oauth2/device_authorization")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("client_id=" + clientId + "&scope=profile")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(device).containsKeys("device_code", "user_code", "verification_uri", "expires_in");
        String poll = "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&client_id=" + clientId
                + "&device_code=" + device.get("device_code");
        client().post()
            .uri("/oauth2/token")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(poll)
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.error")
            .isEqualTo("authorization_pending");

        HostedBrowser browser = new HostedBrowser(port, randomIp());
        String activate = "/activate?user_code="
                + URLEncoder.encode((String) device.get("user_code"), StandardCharsets.UTF_8);
        HttpResponse<String> toLogin = browser.get(activate);
        assertThat(toLogin.statusCode()).isEqualTo(302);
        browser.get(relative(toLogin.headers().firstValue("Location").orElseThrow()));
        HttpResponse<String> signedIn = browser.submit("/login",
                Map.of("username", registerUser(), "password", PASSWORD));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        HttpResponse<String> toConsent = browser.get(relative(signedIn.headers().firstValue("Location").orElseThrow()));
        // Consent is always asked for a device, even of a client that needs none.
        assertThat(toConsent.statusCode()).isEqualTo(302);
        String consentPage = relative(toConsent.headers().firstValue("Location").orElseThrow());
        assertThat(consentPage).startsWith("/oauth2/consent?");
        HttpResponse<String> consent = browser.get(consentPage);
        assertThat(consent.statusCode()).isEqualTo(200);
        assertThat(consent.body()).contains("CLI");
        HttpResponse<String> approved = browser.submit("/activate", Map.of("scope", "profile"));
        assertThat(approved.statusCode()).isEqualTo(302);

        Map<String, Object> tokens = client().post()
            .uri("/oauth2/token")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(poll)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(tokens).containsKeys("access_token", "refresh_token");
        assertThat(verified((String) tokens.get("access_token")).getStringClaim("sid"))
            .isEqualTo(sessionOf(browser).toString());
        // The device's grant and the consent given for it are in the audit trail.
        long account = jdbc.sql("SELECT account_id FROM sessions WHERE id = :id")
            .param("id", sessionOf(browser))
            .query(Long.class)
            .single();
        assertThat(grantsAudited(account)).containsExactly("client=" + clientId + ",grant=" + DEVICE_CODE);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_events WHERE type = 'oauth-consent-granted' AND target_id = :a")
            .param("a", account)
            .query(Long.class)
            .single()).isOne();
    }

    @Test
    void everySuccessfulGrantIsAuditedOnceAndNothingElseIs() throws Exception {
        Client client = publicClient();
        Flow flow = new Flow();
        String email = registerUser();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        String code = signInAndAuthorize(browser, client, flow, email);
        long account = jdbc.sql("SELECT account_id FROM sessions WHERE id = :id")
            .param("id", sessionOf(browser))
            .query(Long.class)
            .single();
        // The request and the code alone are no grant yet.
        assertThat(grantsAudited(account)).isEmpty();

        Map<String, Object> tokens = exchange(client, code, flow.verifier()).expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(grantsAudited(account)).containsExactly("client=" + client.id() + ",grant=authorization_code");
        Map<String, Object> refreshed = refresh(client, (String) tokens.get("refresh_token")).expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        // Revoking a token saves its grant again: no grant in the trail.
        client().post()
            .uri("/oauth2/revoke")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("client_id=" + client.id() + "&token=" + refreshed.get("access_token"))
            .exchange()
            .expectStatus()
            .isOk();
        // A refresh with another client's id and a replayed code fail: not audited.
        refresh(publicClient(), (String) refreshed.get("refresh_token")).expectStatus().isBadRequest();
        exchange(client, code, flow.verifier()).expectStatus().isBadRequest();
        assertThat(grantsAudited(account)).containsExactly("client=" + client.id() + ",grant=authorization_code",
                "client=" + client.id() + ",grant=refresh_token");

        // A machine client's grant: no account, the client named.
        Map<String, Object> machine = confidential(newAdmin(), "Raporlar", List.of("reports.read"));
        client().post()
            .uri("/oauth2/token")
            .headers(withBasic(machine))
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("grant_type=client_credentials")
            .exchange()
            .expectStatus()
            .isOk();
        assertThat(jdbc
            .sql("SELECT count(*) FROM audit_events WHERE type = 'oauth-token-granted' "
                    + "AND target_id IS NULL AND details = :d")
            .param("d", "client=" + machine.get("client_id") + ",grant=client_credentials")
            .query(Long.class)
            .single()).isOne();
    }

    @Test
    void aClientThatAsksForEdDsaGetsEd25519IdTokensARelyingPartyVerifiesByThePublishedKey() throws Exception {
        Client client = publicClient("EdDSA");
        Flow flow = new Flow();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        String code = signInAndAuthorize(browser, client, flow, registerUser());
        Map<String, Object> tokens = exchange(client, code, flow.verifier()).expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        // The relying party's view, with Nimbus: the header names EdDSA and a kid that
        // the JWKS publishes as an Ed25519 key, whose signature holds.
        for (String token : List.of((String) tokens.get("id_token"),
                (String) refresh(client, (String) tokens.get("refresh_token")).expectStatus()
                    .isOk()
                    .expectBody(JSON_OBJECT)
                    .returnResult()
                    .getResponseBody()
                    .get("id_token"))) {
            com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(token);
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
            JWKSet jwks = JWKSet.parse(client().get()
                .uri("/.well-known/jwks.json")
                .exchange()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody());
            com.nimbusds.jose.jwk.OctetKeyPair key = (com.nimbusds.jose.jwk.OctetKeyPair) jwks
                .getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(key.getCurve()).isEqualTo(com.nimbusds.jose.jwk.Curve.Ed25519);
            assertThat(key.isPrivate()).isFalse();
            assertThat(jwt.verify(new com.nimbusds.jose.crypto.Ed25519Verifier(key))).isTrue();
            JWTClaimsSet id = jwt.getJWTClaimsSet();
            assertThat(id.getIssuer()).isEqualTo("http://localhost:8000");
            assertThat(id.getAudience()).containsExactly(client.id());
            assertThat(id.getStringClaim("sid")).isEqualTo(sessionOf(browser).toString());
            assertThat(id.getExpirationTime()).isInTheFuture();
        }
        assertThat(com.nimbusds.jwt.SignedJWT.parse((String) tokens.get("id_token"))
            .getJWTClaimsSet()
            .getStringClaim("nonce")).isEqualTo(flow.nonce());
        // The access token keeps the provider's default (RS256, at+jwt) whatever the ID
        // token's algorithm.
        assertThat(com.nimbusds.jwt.SignedJWT.parse((String) tokens.get("access_token")).getHeader().getAlgorithm())
            .isEqualTo(JWSAlgorithm.RS256);
    }

    @Test
    void es256IdTokensPassSpringSecuritysRelyingPartyDecoderAndOnlyWithTheAlgorithmPinned() throws Exception {
        Client client = publicClient("ES256");
        Flow flow = new Flow();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        String code = signInAndAuthorize(browser, client, flow, registerUser());
        String idToken = (String) exchange(client, code, flow.verifier()).expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("id_token");

        // What oauth2Login does with an ID token: the decoder of Spring Security's
        // client, keys from the JWKS, OidcIdTokenValidator (iss, aud, azp, exp, iat).
        org.springframework.security.oauth2.client.registration.ClientRegistration registration = org.springframework.security.oauth2.client.registration.ClientRegistration
            .withRegistrationId("kapi")
            .clientId(client.id())
            .clientAuthenticationMethod(org.springframework.security.oauth2.core.ClientAuthenticationMethod.NONE)
            .authorizationGrantType(org.springframework.security.oauth2.core.AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri(REDIRECT)
            .scope("openid", "profile", "email")
            .authorizationUri("http://localhost:" + port + "/oauth2/authorize")
            .tokenUri("http://localhost:" + port + "/oauth2/token")
            .jwkSetUri("http://localhost:" + port + "/.well-known/jwks.json")
            .issuerUri("http://localhost:8000")
            .build();
        org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory es256 = new org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory();
        es256.setJwsAlgorithmResolver(
                registered -> org.springframework.security.oauth2.jose.jws.SignatureAlgorithm.ES256);
        org.springframework.security.oauth2.jwt.Jwt decoded = es256.createDecoder(registration).decode(idToken);
        assertThat(decoded.getHeaders()).containsEntry("alg", "ES256");
        assertThat(decoded.getAudience()).containsExactly(client.id());
        assertThat(decoded.getClaimAsString("nonce")).isEqualTo(flow.nonce());
        assertThat(decoded.getClaimAsString("sid")).isEqualTo(sessionOf(browser).toString());

        // A relying party that expects RS256 (the default) refuses it; so does one
        // whose signature check meets a changed claim.
        org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory rs256 = new org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> rs256.createDecoder(registration).decode(idToken))
            .isInstanceOf(org.springframework.security.oauth2.jwt.JwtException.class);
        String[] parts = idToken.split("\\.");
        String forged = parts[0] + "."
                + Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                        .replace(client.id(), client.id() + "x")
                        .getBytes(StandardCharsets.UTF_8))
                + "." + parts[2];
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> es256.createDecoder(registration).decode(forged))
            .isInstanceOf(org.springframework.security.oauth2.jwt.JwtException.class);
    }

    private static final String DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";

    /** The grants audited for an account, oldest first. */
    private List<String> grantsAudited(long account) {
        return jdbc
            .sql("SELECT details FROM audit_events WHERE type = 'oauth-token-granted' AND target_id = :a "
                    + "AND actor_id = :a ORDER BY id")
            .param("a", account)
            .query(String.class)
            .list();
    }

    @Test
    void aRevokedConsentTakesTheClientsTokensOfTheAccountWithIt() throws Exception {
        Client client = publicClient();
        Flow flow = new Flow();
        String email = registerUser();
        String code = signInAndAuthorize(new HostedBrowser(port, randomIp()), client, flow, email);
        Map<String, Object> tokens = exchange(client, code, flow.verifier()).expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        String apiToken = login(email);
        long account = accountIdOf(apiToken);
        jdbc.sql("INSERT INTO oauth2_authorization_consent (registered_client_id, principal_name, authorities) "
                + "VALUES (:client, :account, 'SCOPE_openid,SCOPE_profile,SCOPE_email')")
            .param("client", client.registeredId())
            .param("account", Long.toString(account))
            .update();

        as(apiToken).delete().uri("/users/me/consents/" + client.id()).exchange().expectStatus().is2xxSuccessful();

        as((String) tokens.get("access_token")).get().uri("/userinfo").exchange().expectStatus().isUnauthorized();
        refresh(client, (String) tokens.get("refresh_token")).expectStatus().isBadRequest();
    }

    @Test
    void introspectionAnswersServiceKeysAndResourceServersForEveryTokenAndOtherClientsOnlyForTheirOwn()
            throws Exception {
        Client spa = publicClient();
        Flow flow = new Flow();
        String email = registerUser();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        Map<String, Object> tokens = exchange(spa, signInAndAuthorize(browser, spa, flow, email), flow.verifier())
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        String access = (String) tokens.get("access_token");
        String refreshToken = (String) tokens.get("refresh_token");
        String kapiToken = login(email);
        String session = sessionOf(browser).toString();
        TestUser admin = newAdmin();
        String serviceKey = (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "introspect", "scopes", List.of("introspect")), 201)
            .get("key");
        Map<String, Object> api = confidential(admin, "API", List.of("introspect"));
        Map<String, Object> other = confidential(admin, "Raporlar", List.of("reports.read"));
        String othersOwn = (String) client().post()
            .uri("/oauth2/token")
            .headers(headers -> headers.setBasicAuth((String) other.get("client_id"),
                    (String) other.get("client_secret")))
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("grant_type=client_credentials")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("access_token");

        // A service key: Kapı's own token as before, and the provider's, of any client.
        assertThat(introspect(withBearer(serviceKey), kapiToken)).containsEntry("active", true)
            .containsEntry("role", "user")
            .containsEntry("sid", sessionOfToken(kapiToken));
        Map<String, Object> byKey = introspect(withBearer(serviceKey), access);
        assertThat(byKey).containsEntry("active", true)
            .containsEntry("client_id", spa.id())
            .containsEntry("sid", session)
            .containsEntry("token_type", "Bearer")
            .containsKeys("sub", "exp", "iat");
        assertThat(((String) byKey.get("scope")).split(" ")).containsExactlyInAnyOrder("openid", "profile", "email");
        assertThat(introspect(withBearer(serviceKey), refreshToken)).containsEntry("active", true)
            .containsEntry("client_id", spa.id())
            .containsEntry("sid", session)
            .doesNotContainKey("token_type");
        // A confidential client with the introspect scope (a resource server): the same.
        assertThat(introspect(withBasic(api), access)).containsEntry("active", true)
            .containsEntry("client_id", spa.id())
            .containsEntry("sid", session);
        assertThat(introspect(withBasic(api), refreshToken)).containsEntry("active", true)
            .containsEntry("client_id", spa.id());
        assertThat(introspect(withBasic(api), kapiToken)).containsEntry("active", true)
            .containsEntry("sub", Long.toString(accountIdOf(kapiToken)))
            .containsEntry("role", "user");
        // Any other client learns about its own tokens only (RFC 7662 section 4).
        assertThat(introspect(withBasic(other), othersOwn)).containsEntry("active", true)
            .containsEntry("client_id", other.get("client_id"));
        assertThat(introspect(withBasic(other), access)).isEqualTo(Map.of("active", false));
        assertThat(introspect(withBasic(other), refreshToken)).isEqualTo(Map.of("active", false));
        assertThat(introspect(withBasic(other), kapiToken)).isEqualTo(Map.of("active", false));
        // Wrong credentials learn nothing at all.
        client().post()
            .uri("/oauth2/introspect")
            .headers(headers -> headers.setBasicAuth((String) api.get("client_id"), "wrong"))
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("token=" + access)
            .exchange()
            .expectStatus()
            .isUnauthorized();

        // The session ends: both of its provider tokens are inactive for everyone at
        // once.
        endSession(sessionOf(browser));
        for (String token : List.of(access, refreshToken)) {
            assertThat(introspect(withBearer(serviceKey), token)).isEqualTo(Map.of("active", false));
            assertThat(introspect(withBasic(api), token)).isEqualTo(Map.of("active", false));
        }
        // The account's other session (its Kapı token) lives on.
        assertThat(introspect(withBasic(api), kapiToken)).containsEntry("active", true);
    }

    private Map<String, Object> confidential(TestUser admin, String name, List<String> scopes) {
        return post(admin, ProviderIntegrationTests.CLIENTS, Map.of("client_name", name, "client_type", "confidential",
                "grant_types", List.of("client_credentials"), "scopes", scopes), 201);
    }

    private static java.util.function.Consumer<org.springframework.http.HttpHeaders> withBearer(String key) {
        return headers -> headers.setBearerAuth(key);
    }

    private static java.util.function.Consumer<org.springframework.http.HttpHeaders> withBasic(
            Map<String, Object> client) {
        return headers -> headers.setBasicAuth((String) client.get("client_id"), (String) client.get("client_secret"));
    }

    private Map<String, Object> introspect(java.util.function.Consumer<org.springframework.http.HttpHeaders> caller,
            String token) {
        return client().post()
            .uri("/oauth2/introspect")
            .headers(caller)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("token=" + token)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    private String sessionOfToken(String kapiToken) {
        String payload = new String(Base64.getUrlDecoder().decode(kapiToken.split("\\.")[1]), StandardCharsets.UTF_8);
        java.util.regex.Matcher sid = java.util.regex.Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(payload);
        assertThat(sid.find()).isTrue();
        return sid.group(1);
    }

    /** The PKCE verifier and nonce of one authorization request. */
    record Flow(String verifier, String nonce, String state) {

        Flow() {
            this(SecretTokens.generate(), SecretTokens.generate(), SecretTokens.generate());
        }

        String challenge() throws Exception {
            return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        }
    }

    record Client(String id, String registeredId) {
    }

    private Client publicClient() {
        return publicClient(null);
    }

    private Client publicClient(String idTokenAlgorithm) {
        TestUser admin = newAdmin();
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", "SPA");
        body.put("client_type", "public");
        body.put("grant_types", List.of("authorization_code", "refresh_token"));
        body.put("redirect_uris", List.of(REDIRECT));
        body.put("post_logout_redirect_uris", List.of(BYE));
        body.put("scopes", List.of("openid", "profile", "email"));
        body.put("require_consent", false);
        if (idTokenAlgorithm != null) {
            body.put("id_token_signed_response_alg", idTokenAlgorithm);
        }
        String clientId = (String) post(admin, ProviderIntegrationTests.CLIENTS, body, 201).get("client_id");
        String id = jdbc.sql("SELECT id FROM oauth2_registered_client WHERE client_id = :id")
            .param("id", clientId)
            .query(String.class)
            .single();
        return new Client(clientId, id);
    }

    static String authorizeRequest(String clientId, Flow flow, String scope) throws Exception {
        return "/oauth2/authorize?response_type=code&client_id=" + clientId + "&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8) + "&state=" + flow.state() + "&nonce=" + flow.nonce()
                + "&code_challenge=" + flow.challenge() + "&code_challenge_method=S256&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
    }

    /** Through the sign-in page to the code at the client's redirect URI. */
    private String signInAndAuthorize(HostedBrowser browser, Client client, Flow flow, String email) throws Exception {
        String request = authorizeRequest(client.id(), flow, "openid profile email");
        HttpResponse<String> toLogin = browser.get(request);
        assertThat(toLogin.statusCode()).isEqualTo(302);
        browser.get(relative(toLogin.headers().firstValue("Location").orElseThrow()));
        HttpResponse<String> signedIn = browser.submit("/login", Map.of("username", email, "password", PASSWORD));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        HttpResponse<String> authorized = browser
            .get(relative(signedIn.headers().firstValue("Location").orElseThrow()));
        assertThat(authorized.statusCode()).isEqualTo(302);
        String location = authorized.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(REDIRECT + "?");
        Map<String, List<String>> query = UriComponentsBuilder.fromUriString(location).build().getQueryParams();
        assertThat(query.get("state")).containsExactly(flow.state());
        return query.get("code").get(0);
    }

    /** A redirect's target on this server as a path and query. */
    static String relative(String location) {
        URI uri = URI.create(location);
        return uri.getScheme() == null ? location
                : uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec exchange(Client client, String code,
            String verifier) {
        String form = "grant_type=authorization_code&code=" + code + "&client_id=" + client.id() + "&redirect_uri="
                + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8)
                + (verifier == null ? "" : "&code_verifier=" + verifier);
        return client().post()
            .uri("/oauth2/token")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body(form)
            .exchange();
    }

    private org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec refresh(Client client,
            String refreshToken) {
        return client().post()
            .uri("/oauth2/token")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("grant_type=refresh_token&client_id=" + client.id() + "&refresh_token=" + refreshToken)
            .exchange();
    }

    private UUID sessionOf(HostedBrowser browser) {
        String cookie = browser.cookie("kapi_sso").orElseThrow().getValue();
        return jdbc.sql("SELECT id FROM sessions WHERE sso_token_hash = :hash")
            .param("hash", sha256(cookie))
            .query(UUID.class)
            .single();
    }

    @Autowired
    private dev.kapi.identity.session.Sessions sessions;

    private void endSession(UUID session) {
        long account = jdbc.sql("SELECT account_id FROM sessions WHERE id = :id")
            .param("id", session)
            .query(Long.class)
            .single();
        sessions.end(account, session, "test");
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** An ID or access token's claims, checked against the published keys. */
    JWTClaimsSet verified(String token) throws Exception {
        String jwks = client().get()
            .uri("/.well-known/jwks.json")
            .exchange()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier((type, context) -> {
        });
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
                new ImmutableJWKSet<>(JWKSet.parse(jwks))));
        return processor.process(token, null);
    }

}
