package dev.kapi.identity.federation;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.net.OutboundHttp;
import dev.kapi.support.TestDns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An issuer on loopback, private or link-local addresses is refused unless
 * {@code KAPI_IDENTITY_PROVIDERS_ALLOW_PRIVATE}: Kapı fetches its documents itself.
 */
class IssuerTargetsTests {

    private static IssuerTargets targets(boolean allowPrivate) {
        TestDns dns = new TestDns();
        dns.answer("idp.example", "93.184.215.14");
        dns.answer("internal.example", "10.1.2.3");
        dns.answer("localhost", "127.0.0.1");
        OutboundHttp outbound = new OutboundHttp(dns, false);
        return new IssuerTargets(outbound, new FederationSettings(allowPrivate, Duration.ofMinutes(10),
                Duration.ofSeconds(60), Duration.ofSeconds(5)));
    }

    @Test
    void checkWhenThePublicInternetThenAccepted() {
        assertThat(targets(false).check("issuer_uri", "https://idp.example/realms/x")).hasHost("idp.example");
    }

    @Test
    void checkWhenLoopbackPrivateOrMetadataThenRefusedUnlessAllowed() {
        for (String issuer : new String[] { "https://127.0.0.1/", "https://internal.example", "https://169.254.169.254",
                "https://[::1]/", "https://localhost:8443/realms/x" }) {
            assertThatThrownBy(() -> targets(false).check("issuer_uri", issuer)).as(issuer)
                .isInstanceOfSatisfying(ApiException.class,
                        ex -> assertThat(ex.code()).isEqualTo("identity-provider-issuer-private"));
        }
        assertThat(targets(true).check("issuer_uri", "http://localhost:8080/realms/x")).hasPort(8080);
    }

    @Test
    void checkWhenPlainHttpOrAQueryThenInvalid() {
        for (String issuer : new String[] { "http://idp.example", "https://idp.example/?x=1", "https://u@idp.example",
                "idp.example" }) {
            assertThatThrownBy(() -> targets(false).check("issuer_uri", issuer)).as(issuer)
                .isInstanceOfSatisfying(ApiException.class,
                        ex -> assertThat(ex.code()).isEqualTo("identity-provider-issuer-invalid"));
        }
    }

}
