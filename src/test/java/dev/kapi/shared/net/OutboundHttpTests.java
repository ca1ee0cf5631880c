package dev.kapi.shared.net;

import java.time.Duration;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;

import dev.kapi.support.TestDns;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbound clients against a real server on loopback, with names answered by a test
 * name server: what the check refuses is never connected to, by name or by literal, and
 * the operator's switch lets services be reached on loopback.
 */
class OutboundHttpTests {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final TestDns dns = new TestDns();

    private final OutboundHttp outbound = new OutboundHttp(dns, false);

    @AfterEach
    void close() throws Exception {
        outbound.destroy();
    }

    @Test
    void aClientThatMayNotReachPrivateAddressesNeverConnectsToAHostThatResolvesToOne() {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
        dns.answer("intranet.test", "127.0.0.1");
        CloseableHttpClient client = outbound.client(outbound.resolver(false), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 10);

        for (String url : new String[] { "http://intranet.test:" + server.getPort() + "/",
                "http://127.0.0.1:" + server.getPort() + "/", "http://[::ffff:127.0.0.1]:" + server.getPort() + "/" }) {
            assertThatThrownBy(
                    () -> client.execute(ClassicRequestBuilder.post(url).build(), response -> response.getCode()))
                .as(url)
                .isInstanceOf(CheckedResolver.RefusedAddressException.class);
        }
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aPrivateIpv4DisguisedAsNat64IsRefusedEvenWherePrivateAddressesAreAllowed() {
        CloseableHttpClient client = outbound.client(outbound.resolver(true), Duration.ofSeconds(2),
                Duration.ofSeconds(2), 10);

        assertThatThrownBy(
                () -> client.execute(ClassicRequestBuilder.get("http://[64:ff9b::a9fe:a9fe]/latest/meta-data").build(),
                        response -> response.getCode()))
            .isInstanceOf(CheckedResolver.RefusedAddressException.class);
    }

    @Test
    void servicesAreReachedOnLoopbackOnlyWhenTheOperatorAllowsIt() throws Exception {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(204)));
        String url = "http://localhost:" + server.getPort() + "/bot/sendMessage";
        CloseableHttpClient refusing = outbound.serviceClient(Duration.ofSeconds(2), Duration.ofSeconds(2), 10);
        OutboundHttp allowing = new OutboundHttp(dns, true);
        try {
            assertThatThrownBy(
                    () -> refusing.execute(ClassicRequestBuilder.post(url).build(), response -> response.getCode()))
                .isInstanceOf(CheckedResolver.RefusedAddressException.class);
            int status = allowing.serviceClient(Duration.ofSeconds(2), Duration.ofSeconds(2), 10)
                .execute(ClassicRequestBuilder.post(url).build(), response -> response.getCode());
            assertThat(status).isEqualTo(204);
        }
        finally {
            allowing.destroy();
        }
        assertThat(server.getAllServeEvents()).hasSize(1);
    }

}
