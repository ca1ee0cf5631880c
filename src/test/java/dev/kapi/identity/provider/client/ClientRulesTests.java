package dev.kapi.identity.provider.client;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kapi.shared.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The redirect URI, grant and scope rules of a client registration. */
class ClientRulesTests {

    @Test
    void redirectUriWhenLoopbackHttpOrHttpsThenAccepted() {
        for (String uri : List.of("http://127.0.0.1/cb", "http://127.0.0.1:51234/cb", "http://[::1]:8080/",
                "http://localhost:5173/callback", "http://LOCALHOST/cb", "https://app.example.com/cb?x=1")) {
            assertThatNoException().as(uri).isThrownBy(() -> ClientRules.redirectUri("redirect_uris[0]", uri));
        }
    }

    @Test
    void redirectUriWhenHttpElsewhereOrLooseThenRefused() {
        for (String uri : List.of("http://127.0.0.2/cb", "http://localhost.example.com/cb", "http://10.0.0.1/cb",
                "http://[::2]/cb", "https://*.example.com/cb", "https://app.example.com/*", "https://a.example.com/#x",
                "https://a.example.com/#", "https://u:p@a.example.com/", "//a.example.com/cb", "com.example.app:/cb",
                "https://a.example.com/ cb", "https://a.example.com/a,b", "javascript:alert(1)", "")) {
            assertThatExceptionOfType(ApiException.class).as(uri)
                .isThrownBy(() -> ClientRules.redirectUri("redirect_uris[0]", uri));
        }
    }

    @Test
    void checkWhenListsRepeatThenTheyAreMadeDistinctInTheirOrder() {
        ClientDefinition checked = ClientRules.check(new ClientDefinition(" Site ", ClientType.PUBLIC,
                List.of("https://a.example.com/cb", "https://a.example.com/cb"), List.of(),
                List.of("authorization_code", "refresh_token", "authorization_code"), List.of("openid", "openid"), true,
                null, null, null));

        assertThat(checked.name()).isEqualTo("Site");
        assertThat(checked.redirectUris()).containsExactly("https://a.example.com/cb");
        assertThat(checked.grantTypes()).containsExactly("authorization_code", "refresh_token");
        assertThat(checked.scopes()).containsExactly("openid");
        assertThat(checked.idTokenAlg()).isEqualTo("RS256");
    }

    @Test
    void checkWhenADeviceClientIsPublicThenItNeedsNoRedirectUri() {
        assertThatNoException().isThrownBy(() -> ClientRules.check(new ClientDefinition("CLI", ClientType.PUBLIC,
                List.of(), List.of(), List.of("urn:ietf:params:oauth:grant-type:device_code", "refresh_token"),
                List.of("openid", "offline_access"), true, null, null, null)));
    }

}
