package dev.kapi.identity;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hourly housekeeping removes external sign-ins that were started and never came back
 * once their 10 minutes are over, and one-time codes never exchanged once their 60
 * seconds are, and neither before: rows made by real flows against GitHub's endpoints
 * (WireMock), the clock moved.
 */
class ExternalSignInHousekeepingIntegrationTests extends IntegrationTest {

    @Autowired
    private Housekeeping housekeeping;

    @Autowired
    private JdbcClient jdbc;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void housekeepingWhenAStartedSignInOrAnUnexchangedCodeExpiredThenItsRowIsRemovedAndNotBefore() throws Exception {
        String alias = "gh-" + UUID.randomUUID().toString().substring(0, 8);
        post(newAdmin(), "/api/admin/identity-providers", Map.of("alias", alias, "preset", "github", "client_id",
                "gh-client-" + alias, "client_secret", "gh-secret"), 201);
        String accessToken = "gho_" + alias;
        GITHUB.stubFor(WireMock.post(WireMock.urlPathEqualTo("/login/oauth/access_token"))
            .withRequestBody(WireMock.containing("client_id=gh-client-" + alias))
            .willReturn(WireMock.okJson("{\"access_token\":\"" + accessToken
                    + "\",\"token_type\":\"bearer\",\"scope\":\"read:user,user:email\"}")));
        GITHUB.stubFor(WireMock.get(WireMock.urlPathEqualTo("/user"))
            .withHeader("Authorization", WireMock.equalTo("Bearer " + accessToken))
            .willReturn(WireMock.okJson("{\"id\":5151" + Math.abs(alias.hashCode() % 1000)
                    + ",\"login\":\"tidy\",\"name\":\"Tidy Cat\"}")));
        GITHUB.stubFor(WireMock.get(WireMock.urlPathEqualTo("/user/emails"))
            .withHeader("Authorization", WireMock.equalTo("Bearer " + accessToken))
            .willReturn(WireMock.okJson("[{\"email\":\"" + uniqueEmail() + "\",\"primary\":true,\"verified\":true}]")));

        // One browser starts and never comes back; another comes back and never
        // exchanges its code.
        start(alias);
        Started finished = start(alias);
        HttpResponse<String> back = send("/auth/external/" + alias + "/callback?code=gh-code&state=" + finished.state(),
                finished.cookie());
        assertThat(back.headers().firstValue("Location").orElseThrow()).contains("code=");
        assertThat(states(alias)).isEqualTo(1);
        assertThat(codes(alias)).isEqualTo(1);

        clock.advance(Duration.ofSeconds(59));
        housekeeping.prune();
        assertThat(codes(alias)).as("a code still good stays").isEqualTo(1);

        clock.advance(Duration.ofSeconds(2));
        assertThat(housekeeping.prune().externalSignIns()).isPositive();
        assertThat(codes(alias)).isZero();
        assertThat(states(alias)).as("a started sign-in still waits for its callback").isEqualTo(1);

        clock.advance(Duration.ofMinutes(10));
        assertThat(housekeeping.prune().externalSignIns()).isPositive();
        assertThat(states(alias)).isZero();
    }

    private record Started(String state, String cookie) {
    }

    private Started start(String alias) throws IOException, InterruptedException {
        HttpResponse<String> started = send("/auth/external/" + alias + "?return_to="
                + UriUtils.encodeQueryParam(SPA.origin() + "/signed-in", StandardCharsets.UTF_8), null);
        assertThat(started.statusCode()).as(started.body()).isEqualTo(302);
        String location = started.headers().firstValue("Location").orElseThrow();
        String cookie = started.headers().firstValue("Set-Cookie").orElseThrow();
        return new Started(UriComponentsBuilder.fromUriString(location).build().getQueryParams().getFirst("state"),
                cookie.substring(0, cookie.indexOf(';')));
    }

    private HttpResponse<String> send(String path, String cookie) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("X-Forwarded-For", randomIp());
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private long states(String alias) {
        return jdbc
            .sql("SELECT count(*) FROM external_sign_in_states s JOIN identity_providers p "
                    + "ON p.id = s.provider_id WHERE p.alias = :alias")
            .param("alias", alias)
            .query(Long.class)
            .single();
    }

    private long codes(String alias) {
        return jdbc.sql("SELECT count(*) FROM external_sign_in_codes WHERE alias = :alias")
            .param("alias", alias)
            .query(Long.class)
            .single();
    }

}
