package dev.kapi.identity.provider.rp;

import java.text.ParseException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.test.context.TestComponent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.RefreshTokenOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.annotation.RegisteredOAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.HtmlUtils;

import com.nimbusds.jwt.SignedJWT;
import tools.jackson.databind.json.JsonMapper;

/**
 * The relying party's pages: who signed in (the ID token's claims), what Kapı's
 * {@code /userinfo} says with the access token, a refresh forced through an
 * {@code OAuth2AuthorizedClientManager}, and where a logout lands. Each shows its JSON in
 * a {@code <pre>} the browser test reads.
 */
@RestController
@TestComponent
final class RelyingPartyPages {

    private final JsonMapper json = JsonMapper.builder().build();

    private final RestClient http = RestClient.create();

    private final DefaultOAuth2AuthorizedClientManager forcingRefresh;

    RelyingPartyPages(ClientRegistrationRepository registrations, OAuth2AuthorizedClientRepository clients,
            ApplicationEventPublisher events) {
        RefreshTokenOAuth2AuthorizedClientProvider refresh = new RefreshTokenOAuth2AuthorizedClientProvider();
        // Every access token counts as expired: the refresh happens now, not in 30
        // minutes.
        refresh.setClockSkew(RelyingParty.FORCED_REFRESH);
        refresh.setApplicationEventPublisher(events);
        this.forcingRefresh = new DefaultOAuth2AuthorizedClientManager(registrations, clients);
        this.forcingRefresh.setAuthorizedClientProvider(refresh);
    }

    @GetMapping(path = "/", produces = MediaType.TEXT_HTML_VALUE)
    String claims(@AuthenticationPrincipal OidcUser user, CsrfToken csrf) {
        Map<String, Object> claims = new LinkedHashMap<>();
        user.getClaims().forEach((name, value) -> claims.put(name, plain(value)));
        return page("Signed in with Kapı",
                "<pre id=\"claims\">" + escaped(claims) + "</pre>"
                        + "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\""
                        + csrf.getParameterName() + "\" value=\"" + csrf.getToken()
                        + "\"><button id=\"logout\" type=\"submit\">Sign out</button></form>");
    }

    @GetMapping(path = "/userinfo", produces = MediaType.TEXT_HTML_VALUE)
    String userinfo(@RegisteredOAuth2AuthorizedClient(RelyingParty.REGISTRATION) OAuth2AuthorizedClient client) {
        return page("Userinfo", "<pre id=\"userinfo\">" + escaped(userinfoWith(client)) + "</pre>");
    }

    @GetMapping(path = "/refresh", produces = MediaType.TEXT_HTML_VALUE)
    String refresh(@RegisteredOAuth2AuthorizedClient(RelyingParty.REGISTRATION) OAuth2AuthorizedClient before,
            Authentication user, HttpServletRequest request, HttpServletResponse response) {
        OAuth2AuthorizedClient after = this.forcingRefresh
            .authorize(OAuth2AuthorizeRequest.withClientRegistrationId(RelyingParty.REGISTRATION)
                .principal(user)
                .attribute(HttpServletRequest.class.getName(), request)
                .attribute(HttpServletResponse.class.getName(), response)
                .build());
        Objects.requireNonNull(after, "no authorized client after the refresh");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("access_token_changed",
                !after.getAccessToken().getTokenValue().equals(before.getAccessToken().getTokenValue()));
        result.put("refresh_token_changed", after.getRefreshToken() != null && before.getRefreshToken() != null
                && !after.getRefreshToken().getTokenValue().equals(before.getRefreshToken().getTokenValue()));
        result.put("access_token_before", claimsOf(before.getAccessToken().getTokenValue()));
        result.put("access_token_after", claimsOf(after.getAccessToken().getTokenValue()));
        result.put("userinfo_after", userinfoWith(after));
        return page("Refreshed", "<pre id=\"refresh\">" + escaped(result) + "</pre>");
    }

    @GetMapping(path = "/logged-out", produces = MediaType.TEXT_HTML_VALUE)
    String loggedOut() {
        return page("Signed out", "<p id=\"logged-out\">Signed out</p>");
    }

    private Map<String, Object> userinfoWith(OAuth2AuthorizedClient client) {
        String uri = client.getClientRegistration().getProviderDetails().getUserInfoEndpoint().getUri();
        ResponseEntity<String> answer = this.http.get()
            .uri(uri)
            .headers(headers -> headers.setBearerAuth(client.getAccessToken().getTokenValue()))
            .exchange((request, response) -> ResponseEntity.status(response.getStatusCode())
                .body(new String(response.getBody().readAllBytes())));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("status", answer.getStatusCode().value());
        result.put("body", answer.getBody());
        return result;
    }

    /**
     * A JWT's claims for display; the relying party trusts it from the token response.
     */
    private static Map<String, Object> claimsOf(String jwt) {
        try {
            Map<String, Object> claims = new LinkedHashMap<>();
            SignedJWT.parse(jwt).getJWTClaimsSet().getClaims().forEach((name, value) -> claims.put(name, plain(value)));
            return claims;
        }
        catch (ParseException ex) {
            return Map.of("opaque", true);
        }
    }

    private static Object plain(Object value) {
        return (value instanceof Collection || value instanceof Number || value instanceof Boolean
                || value instanceof Map) ? value : String.valueOf(value);
    }

    private String escaped(Object value) {
        return HtmlUtils.htmlEscape(this.json.writeValueAsString(value));
    }

    private static String page(String title, String body) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body><h1>"
                + title + "</h1>" + body + "</body></html>";
    }

}
