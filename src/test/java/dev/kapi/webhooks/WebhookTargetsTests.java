package dev.kapi.webhooks;

import java.net.URI;

import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.junit.jupiter.api.Test;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.net.CheckedResolver;
import dev.kapi.shared.net.OutboundHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The address check of webhook targets when private targets are not allowed (production's
 * default).
 */
class WebhookTargetsTests {

    private static final OutboundHttp OUTBOUND = new OutboundHttp(SystemDefaultDnsResolver.INSTANCE, false);

    private final WebhookTargets targets = new WebhookTargets(OUTBOUND, false);

    @Test
    void loopbackPrivateAndLinkLocalTargetsAreRefused() {
        for (String url : new String[] { "http://127.0.0.1:8080/hook", "http://localhost/hook", "https://10.1.2.3/",
                "http://172.16.0.1/", "http://192.168.1.10/", "http://169.254.169.254/latest/meta-data",
                "http://[::1]/hook", "http://[fd00::1]/", "http://[fe80::1]/", "http://100.64.0.1/", "http://0.0.0.0/",
                "http://[::ffff:127.0.0.1]/" }) {
            assertThatThrownBy(() -> targets.check(url)).as(url).isInstanceOfSatisfying(ApiException.class, ex -> {
                assertThat(ex.code()).isEqualTo("webhook-target-private");
                assertThat(ex.field()).isEqualTo("url");
            });
            // and the delivery's lookup, the one it connects to, refuses it too
            assertThatThrownBy(() -> targets.resolver().resolve(URI.create(url).getHost())).as(url)
                .isInstanceOf(CheckedResolver.RefusedAddressException.class);
        }
    }

    @Test
    void publicAddressesAreAllowed() throws Exception {
        assertThat(targets.check("https://93.184.216.34/hooks/kapi").getHost()).isEqualTo("93.184.216.34");
        assertThat(targets.resolver().resolve(URI.create("http://[2606:4700:4700::1111]/").getHost())).isNotEmpty();
    }

    @Test
    void onlyHttpAndHttpsUrlsOfBoundedLengthAreTaken() {
        for (String url : new String[] { "ftp://93.184.216.34/", "javascript:alert(1)", "http:///nohost",
                "https://user:pass@93.184.216.34/", "https://93.184.216.34/" + "a".repeat(2048), "not a url" }) {
            assertThatThrownBy(() -> targets.check(url)).as(url)
                .isInstanceOfSatisfying(ApiException.class,
                        ex -> assertThat(ex.code()).isEqualTo("webhook-url-invalid"));
        }
        assertThat(new WebhookTargets(OUTBOUND, true).check("http://127.0.0.1:9/hook").getPort()).isEqualTo(9);
    }

}
