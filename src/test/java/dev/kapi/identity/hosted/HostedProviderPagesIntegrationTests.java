package dev.kapi.identity.hosted;

import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hosted pages around the provider's endpoints: consent (the client by name, each
 * scope explained, forms back to the authorization endpoint, a {@code form-action} that
 * lets the redirect reach the client), the error page that never redirects, and the
 * device flow's code entry.
 */
class HostedProviderPagesIntegrationTests extends IntegrationTest {

    @Test
    void consentWhenSignedInThenClientNameScopesAndFormsBackToTheAuthorizationEndpoint() {
        String clientId = registerClient("Etkinlik sitesi", "https://events.example.com/login/oauth2/code/kapi");
        String email = registerUser();
        HostedBrowser browser = new HostedBrowser(port, randomIp());
        browser.get("/login");
        browser.submit("/login", Map.of("username", email, "password", PASSWORD));

        HttpResponse<String> page = browser
            .get("/oauth2/consent?client_id=" + clientId + "&scope=openid%20profile%20email&state=st-1");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Etkinlik sitesi")
            .contains("data-scope=\"openid\"")
            .contains("name=\"scope\" value=\"profile\" checked")
            .contains("name=\"scope\" value=\"email\" checked")
            .contains("E-posta adresiniz")
            .contains(email)
            .contains("action=\"/oauth2/authorize\"")
            .contains("<input type=\"hidden\" name=\"state\" value=\"st-1\">")
            .contains("<input type=\"hidden\" name=\"client_id\" value=\"" + clientId + "\">")
            .contains("data-action=\"deny\"");
        // The deny form sends no scope at all.
        String deny = page.body().substring(page.body().indexOf("data-form=\"deny\""));
        assertThat(deny).doesNotContain("name=\"scope\"");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
            .hasValueSatisfying(csp -> assertThat(csp).contains("form-action 'self' https://events.example.com;"));
    }

    @Test
    void consentWhenSignedOutThenToTheSignInPageAndBack() {
        String clientId = registerClient("Mesajlar", "https://messages.example.com/cb");

        HttpResponse<String> page = new HostedBrowser(port, randomIp())
            .get("/oauth2/consent?client_id=" + clientId + "&scope=openid&state=st-2");

        assertThat(page.statusCode()).isEqualTo(303);
        assertThat(page.headers().firstValue("Location"))
            .hasValueSatisfying(location -> assertThat(location).startsWith("/login?return=")
                .contains("/oauth2/consent?client_id%3D" + clientId));
    }

    @Test
    void consentWhenClientUnknownThenErrorPageWithoutRedirect() {
        HttpResponse<String> page = new HostedBrowser(port, randomIp())
            .get("/oauth2/consent?client_id=nobody&scope=openid&state=st-3");

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Location")).isEmpty();
        assertThat(page.body()).contains("data-error=\"invalid_client\"");
    }

    @Test
    void errorPageWhenAnyCodeThenExplainsItEchoesNothingAndNeverRedirects() {
        HostedBrowser browser = new HostedBrowser(port, randomIp()).speaking("en");

        HttpResponse<String> known = browser.get("/oauth2/error?error=invalid_redirect_uri"
                + "&redirect_uri=https%3A%2F%2Fevil.example%2F&error_description=%3Cscript%3E");
        HttpResponse<String> unknown = browser.get("/oauth2/error?error=%3Cb%3Ehi");

        assertThat(known.statusCode()).isEqualTo(400);
        assertThat(known.headers().firstValue("Location")).isEmpty();
        assertThat(known.body()).contains("return address is not registered")
            .doesNotContain("evil.example")
            .doesNotContain("<script>");
        assertThat(unknown.body()).contains("data-error=\"error\"").doesNotContain("<b>hi");
        assertThat(known.headers().firstValue("Content-Security-Policy"))
            .hasValueSatisfying(csp -> assertThat(csp).contains("form-action 'self';"));
    }

    @Test
    void activateWhenNoUserCodeThenAFormThatGetsTheVerificationEndpoint() {
        HttpResponse<String> page = new HostedBrowser(port, randomIp()).get("/activate?code=WDJB-MJHT");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("method=\"get\" action=\"/activate\"")
            .contains("name=\"user_code\"")
            .contains("value=\"WDJB-MJHT\"")
            .contains("Cihaz kodu");
    }

    private String registerClient(String name, String redirectUri) {
        Map<String, Object> body = new HashMap<>();
        body.put("client_name", name);
        body.put("client_type", "confidential");
        body.put("redirect_uris", List.of(redirectUri));
        body.put("grant_types", List.of("authorization_code", "refresh_token"));
        body.put("scopes", List.of("openid", "profile", "email"));
        body.put("require_consent", true);
        return (String) post(newAdmin(), "/api/admin/oauth-clients", body, 201).get("client_id");
    }

}
