package dev.kapi.identity.provider.logout;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
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

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Back-channel logout end to end: a relying party (WireMock on loopback) signed in
 * through the code flow, the Kapı session ends one way or another, and the relying
 * party's back-channel endpoint receives one logout token it can verify against the
 * published keys.
 */
class BackchannelLogoutIntegrationTests extends IntegrationTest {

    private static final String REDIRECT = "http://127.0.0.1:9/callback";

    static final WireMockServer RP = start();

    private static WireMockServer start() {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return server;
    }

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private LogoutDelivery delivery;

    @Test
    void theUserEndingTheSessionSendsOneVerifiableLogoutTokenToTheClientThatHoldsAGrantOfIt() throws Exception {
        String path = "/bcl/" + UUID.randomUUID();
        RP.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        Client client = client("http://127.0.0.1:" + RP.port() + path, "ES256");
        String email = registerUser();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        JWTClaimsSet id = signIn(browser, client, email);
        UUID session = sessionOf(browser);
        assertThat(id.getStringClaim("sid")).isEqualTo(session.toString());

        // The user ends the browser's session from another one of theirs.
        String token = login(email);
        as(token).delete().uri("/users/me/sessions/" + session).exchange().expectStatus().isNoContent();
        delivery.deliverDue();
        delivery.deliverDue();

        List<LoggedRequest> received = RP.findAll(postRequestedFor(urlPathEqualTo(path)));
        assertThat(received).hasSize(1);
        LoggedRequest request = received.get(0);
        assertThat(request.getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        JWTClaimsSet logout = verifiedLogoutToken(request, JWSAlgorithm.ES256);
        assertThat(logout.getIssuer()).isEqualTo(id.getIssuer());
        assertThat(logout.getAudience()).containsExactly(client.id());
        assertThat(logout.getSubject()).isEqualTo(id.getSubject());
        assertThat(logout.getStringClaim("sid")).isEqualTo(id.getStringClaim("sid"));
        assertThat(logout.getJSONObjectClaim("events")).containsOnlyKeys(LogoutDelivery.EVENT);
        assertThat(logout.getClaim("nonce")).isNull();
        assertThat(logout.getJWTID()).isNotBlank();
        assertThat(logout.getExpirationTime().toInstant())
            .isEqualTo(logout.getIssueTime().toInstant().plus(Duration.ofMinutes(2)));
        assertThat(status(client, session)).isEqualTo("delivered");
    }

    @Autowired
    private ExpiredSessionLogouts expired;

    @Autowired
    private dev.kapi.identity.session.Sessions sessions;

    @Autowired
    private dev.kapi.identity.IdentitySettings identity;

    @Test
    void aSessionThatExpiresIdleOrAtItsAbsoluteLifetimeSendsItsLogoutOnce() throws Exception {
        String path = "/bcl/" + UUID.randomUUID();
        RP.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        Client client = client("http://127.0.0.1:" + RP.port() + path, "RS256");
        HostedBrowser idleBrowser = new HostedBrowser(port, randomIp());
        JWTClaimsSet idle = signIn(idleBrowser, client, registerUser());
        HostedBrowser oldBrowser = new HostedBrowser(port, randomIp());
        JWTClaimsSet old = signIn(oldBrowser, client, registerUser());
        HostedBrowser liveBrowser = new HostedBrowser(port, randomIp());
        signIn(liveBrowser, client, registerUser());
        UUID idleSession = sessionOf(idleBrowser);
        UUID oldSession = sessionOf(oldBrowser);
        UUID liveSession = sessionOf(liveBrowser);

        // Still live: the sweep sends nothing.
        expired.sweepAll();
        assertThat(deliveries(client)).isZero();

        // One unused for the idle timeout, one at its absolute lifetime (as the clock
        // reads: no session is ended by anyone).
        java.time.Instant now = clock.instant();
        jdbc.sql("UPDATE sessions SET last_used_at = :at WHERE id = :id")
            .param("at", java.sql.Timestamp.from(now.minus(identity.session().idleTimeout()).minusSeconds(1)))
            .param("id", idleSession)
            .update();
        jdbc.sql("UPDATE sessions SET expires_at = :at WHERE id = :id")
            .param("at", java.sql.Timestamp.from(now))
            .param("id", oldSession)
            .update();
        expired.sweepAll();
        expired.sweepAll();
        delivery.deliverDue();

        List<LoggedRequest> received = RP.findAll(postRequestedFor(urlPathEqualTo(path)));
        assertThat(received).hasSize(2);
        Set<String> sids = new java.util.HashSet<>();
        for (LoggedRequest request : received) {
            JWTClaimsSet logout = verifiedLogoutToken(request, JWSAlgorithm.RS256);
            assertThat(logout.getAudience()).containsExactly(client.id());
            sids.add(logout.getStringClaim("sid"));
        }
        assertThat(sids).containsExactlyInAnyOrder(idle.getStringClaim("sid"), old.getStringClaim("sid"));
        assertThat(status(client, idleSession)).isEqualTo("delivered");
        assertThat(status(client, oldSession)).isEqualTo("delivered");

        // Once: after its delivery row is pruned, neither a later sweep nor an explicit
        // end of the expired session sends it again; the live session sent nothing.
        jdbc.sql("DELETE FROM oauth2_logout_deliveries WHERE registered_client_id = :c")
            .param("c", client.registeredId())
            .update();
        expired.sweepAll();
        long account = Long.parseLong(idle.getSubject());
        sessions.end(account, idleSession, "test");
        delivery.deliverDue();
        assertThat(deliveries(client)).isZero();
        assertThat(RP.findAll(postRequestedFor(urlPathEqualTo(path)))).hasSize(2);
        assertThat(jdbc.sql("SELECT count(*) FROM oauth2_logout_deliveries WHERE session_id = :s")
            .param("s", liveSession)
            .query(Long.class)
            .single()).isZero();
    }

    private long deliveries(Client client) {
        return jdbc.sql("SELECT count(*) FROM oauth2_logout_deliveries WHERE registered_client_id = :c")
            .param("c", client.registeredId())
            .query(Long.class)
            .single();
    }

    @Test
    void anAdminDeletingTheAccountStillSendsTheLogoutOfItsSessions() throws Exception {
        String path = "/bcl/" + UUID.randomUUID();
        RP.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(204)));
        Client client = client("http://127.0.0.1:" + RP.port() + path, "RS256");
        String email = registerUser();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        JWTClaimsSet id = signIn(browser, client, email);
        long account = Long.parseLong(id.getSubject());

        // The deletion takes the sessions and grants with it: the logout was written
        // before.
        as(newAdminToken()).delete().uri("/users/" + account).exchange().expectStatus().isNoContent();
        assertThat(jdbc.sql("SELECT count(*) FROM oauth2_authorization WHERE account_id = :a")
            .param("a", account)
            .query(Long.class)
            .single()).isZero();
        delivery.deliverDue();

        List<LoggedRequest> received = RP.findAll(postRequestedFor(urlPathEqualTo(path)));
        assertThat(received).hasSize(1);
        JWTClaimsSet logout = verifiedLogoutToken(received.get(0), JWSAlgorithm.RS256);
        assertThat(logout.getSubject()).isEqualTo(id.getSubject());
        assertThat(logout.getStringClaim("sid")).isEqualTo(id.getStringClaim("sid"));
    }

    @Test
    void aFailingRelyingPartyIsRetriedAfterTheBackOffAndThenDeliveredOnce() throws Exception {
        String path = "/bcl/" + UUID.randomUUID();
        RP.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(500)));
        Client client = client("http://127.0.0.1:" + RP.port() + path, "RS256");
        String email = registerUser();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        signIn(browser, client, email);
        UUID session = sessionOf(browser);
        as(login(email)).delete().uri("/users/me/sessions/" + session).exchange().expectStatus().isNoContent();

        delivery.deliverDue();
        assertThat(RP.findAll(postRequestedFor(urlPathEqualTo(path)))).hasSize(1);
        assertThat(status(client, session)).isEqualTo("pending");

        // Not before the back-off.
        RP.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        delivery.deliverDue();
        assertThat(RP.findAll(postRequestedFor(urlPathEqualTo(path)))).hasSize(1);

        clock.advance(delivery.backoff(1).plusSeconds(1));
        delivery.deliverDue();
        delivery.deliverDue();
        assertThat(RP.findAll(postRequestedFor(urlPathEqualTo(path)))).hasSize(2);
        assertThat(status(client, session)).isEqualTo("delivered");
    }

    @Test
    void aClientWithoutABackChannelAddressOrWithoutAGrantOfTheSessionGetsNothing() throws Exception {
        String path = "/bcl/" + UUID.randomUUID();
        RP.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(200)));
        Client signedIn = client(null, "RS256");
        // Has an address, but no grant of the session that ends.
        Client bystander = client("http://127.0.0.1:" + RP.port() + path, "RS256");
        String email = registerUser();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        signIn(browser, signedIn, email);
        UUID session = sessionOf(browser);
        as(login(email)).delete().uri("/users/me/sessions/" + session).exchange().expectStatus().isNoContent();
        delivery.deliverDue();

        assertThat(RP.findAll(postRequestedFor(urlPathEqualTo(path)))).isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM oauth2_logout_deliveries WHERE session_id = :s")
            .param("s", session)
            .query(Long.class)
            .single()).isZero();
        assertThat(bystander.id()).isNotBlank();
    }

    @Test
    void theOutboxHoldsNoTokenOnlyWhereToSendIt() throws Exception {
        String path = "/bcl/" + UUID.randomUUID();
        RP.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(500)));
        Client client = client("http://127.0.0.1:" + RP.port() + path, "RS256");
        String email = registerUser();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        signIn(browser, client, email);
        UUID session = sessionOf(browser);
        as(login(email)).delete().uri("/users/me/sessions/" + session).exchange().expectStatus().isNoContent();
        delivery.deliverDue();

        Map<String, Object> row = jdbc.sql("SELECT * FROM oauth2_logout_deliveries WHERE session_id = :s")
            .param("s", session)
            .query()
            .singleRow();
        String sent = form(RP.findAll(postRequestedFor(urlPathEqualTo(path))).get(0)).get("logout_token");
        assertThat(row.values()).noneMatch(value -> value != null && value.toString().contains(sent));
        assertThat(row.values()).noneMatch(value -> value != null && value.toString().startsWith("ey"));
    }

    record Client(String id, String registeredId) {
    }

    private Client client(String backchannel, String algorithm) {
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", "RP");
        body.put("client_type", "public");
        body.put("grant_types", List.of("authorization_code", "refresh_token"));
        body.put("redirect_uris", List.of(REDIRECT));
        body.put("scopes", List.of("openid", "profile", "email"));
        body.put("require_consent", false);
        body.put("id_token_signed_response_alg", algorithm);
        if (backchannel != null) {
            body.put("backchannel_logout_uri", backchannel);
        }
        String clientId = (String) post(newAdmin(), "/api/admin/oauth-clients", body, 201).get("client_id");
        String id = jdbc.sql("SELECT id FROM oauth2_registered_client WHERE client_id = :id")
            .param("id", clientId)
            .query(String.class)
            .single();
        return new Client(clientId, id);
    }

    /**
     * Through the sign-in page, the code and the token exchange: the ID token's claims.
     */
    private JWTClaimsSet signIn(HostedBrowser browser, Client client, String email) throws Exception {
        String verifier = SecretTokens.generate();
        String challenge = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String request = "/oauth2/authorize?response_type=code&client_id=" + client.id()
                + "&scope=openid&state=s1&nonce=n1&code_challenge=" + challenge
                + "&code_challenge_method=S256&redirect_uri=" + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8);
        HttpResponse<String> toLogin = browser.get(request);
        assertThat(toLogin.statusCode()).isEqualTo(302);
        browser.get(relative(toLogin.headers().firstValue("Location").orElseThrow()));
        HttpResponse<String> signedIn = browser.submit("/login", Map.of("username", email, "password", PASSWORD));
        assertThat(signedIn.statusCode()).isEqualTo(303);
        HttpResponse<String> authorized = browser
            .get(relative(signedIn.headers().firstValue("Location").orElseThrow()));
        assertThat(authorized.statusCode()).isEqualTo(302);
        String code = UriComponentsBuilder.fromUriString(authorized.headers().firstValue("Location").orElseThrow())
            .build()
            .getQueryParams()
            .getFirst("code");
        Map<String, Object> tokens = client().post()
            .uri("/oauth2/token")
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("grant_type=authorization_code&code=" + code + "&client_id=" + client.id() + "&redirect_uri="
                    + URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8) + "&code_verifier=" + verifier)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        DefaultJWTProcessor<SecurityContext> processor = processor(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
        processor.setJWSTypeVerifier((type, context) -> {
        });
        return processor.process((String) tokens.get("id_token"), null);
    }

    private JWTClaimsSet verifiedLogoutToken(LoggedRequest request, JWSAlgorithm algorithm) throws Exception {
        String token = form(request).get("logout_token");
        DefaultJWTProcessor<SecurityContext> processor = processor(algorithm);
        // Only a logout+jwt passes: an ID token cannot stand in for a logout token.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("logout+jwt")));
        return processor.process(token, null);
    }

    private DefaultJWTProcessor<SecurityContext> processor(JWSAlgorithm... algorithms) throws Exception {
        String jwks = client().get()
            .uri("/.well-known/jwks.json")
            .exchange()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(Set.of(algorithms), new ImmutableJWKSet<>(JWKSet.parse(jwks))));
        return processor;
    }

    private static Map<String, String> form(LoggedRequest request) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : request.getBodyAsString().split("&")) {
            int at = pair.indexOf('=');
            fields.put(URLDecoder.decode(pair.substring(0, at), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(at + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    private String status(Client client, UUID session) {
        return jdbc
            .sql("SELECT status FROM oauth2_logout_deliveries WHERE registered_client_id = :c AND session_id = :s")
            .param("c", client.registeredId())
            .param("s", session)
            .query(String.class)
            .single();
    }

    private UUID sessionOf(HostedBrowser browser) throws Exception {
        String cookie = browser.cookie("kapi_sso").orElseThrow().getValue();
        return jdbc.sql("SELECT id FROM sessions WHERE sso_token_hash = :hash")
            .param("hash", MessageDigest.getInstance("SHA-256").digest(cookie.getBytes(StandardCharsets.UTF_8)))
            .query(UUID.class)
            .single();
    }

    private static String relative(String location) {
        URI uri = URI.create(location);
        return uri.getScheme() == null ? location
                : uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

}
