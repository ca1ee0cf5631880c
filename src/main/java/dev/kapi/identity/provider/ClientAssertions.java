package dev.kapi.identity.provider;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.JwsAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionDecoderFactory;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.client.RestTemplate;

import dev.kapi.shared.net.CheckedResolver;
import dev.kapi.shared.net.OutboundHttp;

/**
 * The decoders of client assertions (RFC 7523, {@code private_key_jwt}) in place of
 * Spring Authorization Server's {@link JwtClientAssertionDecoderFactory}, whose key fetch
 * is a plain HTTP client of its own: here a client's {@code jwks_uri} is fetched through
 * {@link OutboundHttp} with the clients' checked lookup, so the address is checked when
 * the connection is made, not only when the client was saved (a name that resolves
 * elsewhere later, DNS rebinding), with bounded time and size. The claims are checked as
 * SAS checks them
 * ({@link JwtClientAssertionDecoderFactory#DEFAULT_JWT_VALIDATOR_FACTORY}), then the
 * assertion is used up ({@link UsedAssertions}).
 */
final class ClientAssertions implements JwtDecoderFactory<RegisteredClient> {

    /** The largest key set read from a client's {@code jwks_uri}. */
    static final int MAX_JWKS_BYTES = 64 * 1024;

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final RestTemplate keys;

    private final UsedAssertions used;

    private final JwtClientAssertionDecoderFactory secrets = new JwtClientAssertionDecoderFactory();

    private final Cache<String, JwtDecoder> decoders = Caffeine.newBuilder()
        .expireAfterAccess(Duration.ofHours(1))
        .maximumSize(1_000)
        .build();

    ClientAssertions(OutboundHttp outbound, CheckedResolver resolver, UsedAssertions used) {
        CloseableHttpClient http = outbound.client(resolver, TIMEOUT, TIMEOUT, 20);
        this.keys = new RestTemplate(new HttpComponentsClientHttpRequestFactory(http));
        this.keys.getInterceptors()
            .add((request, body, execution) -> new Bounded(execution.execute(request, body), MAX_JWKS_BYTES));
        this.used = used;
        this.secrets.setJwtValidatorFactory(this::validator);
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        JwsAlgorithm algorithm = client.getClientSettings().getTokenEndpointAuthenticationSigningAlgorithm();
        String url = client.getClientSettings().getJwkSetUrl();
        if (!(algorithm instanceof SignatureAlgorithm signature) || url == null || url.isBlank()) {
            // client_secret_jwt, or a client without keys: SAS's own answer.
            return secrets.createDecoder(client);
        }
        // Keyed by the URL too: a client given other keys gets a decoder for them.
        return decoders.get(client.getId() + " " + signature.getName() + " " + url, key -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(url)
                .jwsAlgorithm(signature)
                .restOperations(keys)
                .build();
            decoder.setJwtValidator(validator(client));
            return decoder;
        });
    }

    /** SAS's checks of the claims, and only when they pass, the single use. */
    private OAuth2TokenValidator<Jwt> validator(RegisteredClient client) {
        OAuth2TokenValidator<Jwt> claims = JwtClientAssertionDecoderFactory.DEFAULT_JWT_VALIDATOR_FACTORY.apply(client);
        OAuth2TokenValidator<Jwt> once = used.validator(client.getClientId());
        return jwt -> {
            OAuth2TokenValidatorResult result = claims.validate(jwt);
            return result.hasErrors() ? result : once.validate(jwt);
        };
    }

    /** An answer whose body ends in an error past {@code limit} bytes. */
    private record Bounded(ClientHttpResponse response, int limit) implements ClientHttpResponse {

        @Override
        public HttpStatusCode getStatusCode() throws IOException {
            return response.getStatusCode();
        }

        @Override
        public String getStatusText() throws IOException {
            return response.getStatusText();
        }

        @Override
        public HttpHeaders getHeaders() {
            return response.getHeaders();
        }

        @Override
        public InputStream getBody() throws IOException {
            if (response.getHeaders().getContentLength() > limit) {
                throw new IOException("key set larger than " + limit + " bytes");
            }
            InputStream body = response.getBody();
            return new InputStream() {

                private long read;

                @Override
                public int read() throws IOException {
                    int b = body.read();
                    count(b < 0 ? 0 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = body.read(buffer, offset, length);
                    count(Math.max(n, 0));
                    return n;
                }

                @Override
                public void close() throws IOException {
                    body.close();
                }

                private void count(int n) throws IOException {
                    read += n;
                    if (read > limit) {
                        throw new IOException("key set larger than " + limit + " bytes");
                    }
                }
            };
        }

        @Override
        public void close() {
            response.close();
        }

    }

}
