package dev.kapi.shared.net;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * HTTP clients for calls out of Kapı whose connections go to the addresses that were
 * looked up and checked ({@link CheckedResolver} is their connection manager's only
 * resolver): Apache HttpClient 5, HTTP/1.1 with kept-alive pooled connections (closed
 * after 30 s idle), no redirects, no automatic retries (a resent POST could send a
 * message twice), no cookies. Names are looked up by the system's resolver, or by a
 * {@link DnsResolver} bean when there is one. {@code kapi.outbound.allow-private}
 * ({@code KAPI_OUTBOUND_ALLOW_PRIVATE}) lets the services an operator configured
 * (WhatsApp Cloud, Telegram) be at loopback, private or link-local addresses; webhook
 * targets, chosen by admins, have their own switch.
 */
@Component
public class OutboundHttp implements DisposableBean {

    private final DnsResolver dns;

    private final boolean servicesMayBePrivate;

    private final List<CloseableHttpClient> clients = new CopyOnWriteArrayList<>();

    @Autowired
    OutboundHttp(ObjectProvider<DnsResolver> dns, OutboundSettings settings) {
        this(dns.getIfAvailable(() -> SystemDefaultDnsResolver.INSTANCE), settings.allowPrivate());
    }

    /**
     * Outside Spring (a test of a client): the given resolver, and whether services may
     * be at private addresses.
     */
    public OutboundHttp(DnsResolver dns, boolean servicesMayBePrivate) {
        this.dns = dns;
        this.servicesMayBePrivate = servicesMayBePrivate;
    }

    /** The checked lookup, refusing non-public addresses unless {@code allowPrivate}. */
    public CheckedResolver resolver(boolean allowPrivate) {
        return new CheckedResolver(dns, allowPrivate);
    }

    /**
     * A client for a service the operator configured: private addresses as
     * {@code kapi.outbound.allow-private} says.
     */
    public CloseableHttpClient serviceClient(Duration connectTimeout, Duration responseTimeout, int maxConnections) {
        return client(resolver(servicesMayBePrivate), connectTimeout, responseTimeout, maxConnections);
    }

    /**
     * A client that connects only to what {@code resolver} answered, with at most
     * {@code maxConnections} connections (per host and in all; a call waits up to
     * {@code connectTimeout} for one), each given {@code connectTimeout} to connect and
     * {@code responseTimeout} between the bytes of an answer.
     */
    public CloseableHttpClient client(CheckedResolver resolver, Duration connectTimeout, Duration responseTimeout,
            int maxConnections) {
        CloseableHttpClient client = HttpClients.custom()
            .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(resolver)
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnections)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(connectTimeout))
                    .setSocketTimeout(Timeout.of(responseTimeout))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .build())
                .build())
            .setDefaultRequestConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(connectTimeout))
                .setResponseTimeout(Timeout.of(responseTimeout))
                .build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableContentCompression()
            .disableAuthCaching()
            .evictExpiredConnections()
            .evictIdleConnections(TimeValue.ofSeconds(30))
            .build();
        clients.add(client);
        return client;
    }

    @Override
    public void destroy() throws IOException {
        for (CloseableHttpClient client : clients) {
            client.close();
        }
    }

}
