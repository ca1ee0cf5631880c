package dev.kapi.identity.federation;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.http.converter.StringHttpMessageConverter;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.core.oidc.IdTokenClaimNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestTemplate;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.net.OutboundHttp;

/**
 * Every call Kapı makes to a provider, through one HTTP client whose connections go only
 * to addresses the outbound guard passed: the issuer's discovery document (parsed by
 * Nimbus, its issuer checked, kept ten minutes), the code exchange (Spring Security's
 * token response client), the ID token's signature, issuer, audience, expiry and nonce
 * (Spring Security's {@link OidcIdTokenValidator}, then the nonce), and GitHub's user and
 * emails API. What a provider answers badly is a 502 {@code external-provider-failed},
 * never a 500.
 */
@Component
class UpstreamCalls {

    private static final Duration DISCOVERY_KEPT = Duration.ofMinutes(10);

    private static final int MAX_EMAILS = 100;

    private final RestClient rest;

    private final RestTemplate keys;

    private final RestClientAuthorizationCodeTokenResponseClient tokens;

    private final GitHubSettings gitHub;

    private final Clock clock;

    private final Cache<String, OIDCProviderMetadata> discovered = Caffeine.newBuilder()
        .expireAfterWrite(DISCOVERY_KEPT)
        .maximumSize(1_000)
        .build();

    private final Cache<String, NimbusJwtDecoder> decoders = Caffeine.newBuilder()
        .expireAfterAccess(DISCOVERY_KEPT)
        .maximumSize(1_000)
        .build();

    UpstreamCalls(OutboundHttp outbound, IssuerTargets targets, FederationSettings settings, GitHubSettings gitHub,
            Clock clock) {
        CloseableHttpClient http = outbound.client(targets.resolver(), settings.timeout(), settings.timeout(), 20);
        HttpComponentsClientHttpRequestFactory factory = new HttpComponentsClientHttpRequestFactory(http);
        this.rest = RestClient.builder()
            .requestFactory(factory)
            .messageConverters(List.of(new StringHttpMessageConverter(), new JacksonJsonHttpMessageConverter()))
            .build();
        this.keys = new RestTemplate(factory);
        this.tokens = new RestClientAuthorizationCodeTokenResponseClient();
        this.tokens.setRestClient(RestClient.builder()
            .requestFactory(factory)
            .messageConverters(
                    List.of(new FormHttpMessageConverter(), new OAuth2AccessTokenResponseHttpMessageConverter()))
            .defaultStatusHandler(new OAuth2ErrorResponseErrorHandler())
            .build());
        this.gitHub = gitHub;
        this.clock = clock;
    }

    /**
     * The client registration of a provider, sending users back to {@code redirectUri}.
     */
    ClientRegistration registration(IdentityProvider provider, String secret, String redirectUri) {
        ClientRegistration.Builder builder = ClientRegistration.withRegistrationId(provider.alias())
            .clientId(provider.clientId())
            .clientSecret(secret)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri(redirectUri)
            .scope(provider.scopes())
            .clientName(provider.displayName());
        if (provider.type() == ProviderType.GITHUB) {
            return builder.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
                .authorizationUri(gitHub.base() + "/login/oauth/authorize")
                .tokenUri(gitHub.base() + "/login/oauth/access_token")
                .userInfoUri(gitHub.api() + "/user")
                .userNameAttributeName("id")
                .build();
        }
        OIDCProviderMetadata metadata = discover(provider.issuerUri());
        List<com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
        boolean basic = methods == null || methods.isEmpty()
                || methods.contains(com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
        if (metadata.getAuthorizationEndpointURI() == null || metadata.getTokenEndpointURI() == null
                || metadata.getJWKSetURI() == null) {
            throw failed();
        }
        return builder
            .clientAuthenticationMethod(basic ? ClientAuthenticationMethod.CLIENT_SECRET_BASIC
                    : ClientAuthenticationMethod.CLIENT_SECRET_POST)
            .authorizationUri(metadata.getAuthorizationEndpointURI().toASCIIString())
            .tokenUri(metadata.getTokenEndpointURI().toASCIIString())
            .jwkSetUri(metadata.getJWKSetURI().toASCIIString())
            .issuerUri(metadata.getIssuer().getValue())
            .userNameAttributeName(IdTokenClaimNames.SUB)
            .build();
    }

    /**
     * Exchanges the provider's code (with the PKCE verifier the request kept) and answers
     * who signed in.
     */
    ExternalUser exchange(IdentityProvider provider, ClientRegistration registration,
            OAuth2AuthorizationRequest request, String code, String nonce) {
        OAuth2AuthorizationResponse response = OAuth2AuthorizationResponse.success(code)
            .redirectUri(request.getRedirectUri())
            .state(request.getState())
            .build();
        OAuth2AccessTokenResponse tokenResponse;
        try {
            tokenResponse = tokens.getTokenResponse(new OAuth2AuthorizationCodeGrantRequest(registration,
                    new OAuth2AuthorizationExchange(request, response)));
        }
        catch (RuntimeException ex) {
            throw failed();
        }
        return provider.type() == ProviderType.GITHUB ? gitHubUser(tokenResponse.getAccessToken().getTokenValue())
                : oidcUser(registration, tokenResponse, nonce);
    }

    private ExternalUser oidcUser(ClientRegistration registration, OAuth2AccessTokenResponse response, String nonce) {
        Object idToken = response.getAdditionalParameters().get("id_token");
        if (!(idToken instanceof String value) || value.length() > 16_384) {
            throw failed();
        }
        Jwt jwt;
        try {
            jwt = decoders
                .get(registration.getRegistrationId() + " " + registration.getClientId() + " "
                        + registration.getProviderDetails().getJwkSetUri(), key -> decoder(registration))
                .decode(value);
        }
        catch (RuntimeException ex) {
            throw failed();
        }
        if (!Objects.equals(nonce, jwt.getClaimAsString("nonce"))) {
            throw failed();
        }
        Object verified = jwt.getClaims().get("email_verified");
        List<String> amr = jwt.getClaimAsStringList("amr");
        return new ExternalUser(jwt.getSubject(), bounded(jwt.getClaimAsString("email")),
                Boolean.TRUE.equals(verified) || "true".equals(verified), bounded(jwt.getClaimAsString("name")),
                amr != null && amr.contains("mfa"));
    }

    /**
     * The ID token's decoder: the issuer's keys (Nimbus keeps them), then Spring
     * Security's ID token checks at Kapı's clock.
     */
    private NimbusJwtDecoder decoder(ClientRegistration registration) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(registration.getProviderDetails().getJwkSetUri())
            .restOperations(keys)
            .jwsAlgorithms(algorithms -> algorithms
                .addAll(List.of(SignatureAlgorithm.RS256, SignatureAlgorithm.RS384, SignatureAlgorithm.RS512,
                        SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.PS256)))
            .build();
        OidcIdTokenValidator validator = new OidcIdTokenValidator(registration);
        validator.setClock(clock);
        decoder.setJwtValidator(validator);
        return decoder;
    }

    private ExternalUser gitHubUser(String accessToken) {
        try {
            Map<String, Object> user = rest.get()
                .uri(gitHub.api() + "/user")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .body(new ParameterizedTypeReference<Map<String, Object>>() {
                });
            List<Map<String, Object>> emails = rest.get()
                .uri(gitHub.api() + "/user/emails")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .body(new ParameterizedTypeReference<List<Map<String, Object>>>() {
                });
            if (user == null || !(user.get("id") instanceof Number id)) {
                throw failed();
            }
            Map<String, Object> primary = emails == null ? null
                    : emails.stream()
                        .limit(MAX_EMAILS)
                        .filter(email -> Boolean.TRUE.equals(email.get("primary")))
                        .findFirst()
                        .orElse(null);
            String email = primary == null ? null : bounded(String.valueOf(primary.get("email")));
            boolean verified = primary != null && Boolean.TRUE.equals(primary.get("verified"));
            Object name = user.get("name") != null ? user.get("name") : user.get("login");
            return new ExternalUser(Long.toString(id.longValue()), email, verified,
                    name == null ? null : bounded(name.toString()), false);
        }
        catch (RestClientException ex) {
            throw failed();
        }
    }

    private OIDCProviderMetadata discover(String issuer) {
        OIDCProviderMetadata known = discovered.getIfPresent(issuer);
        if (known != null) {
            return known;
        }
        try {
            String document = rest.get()
                .uri(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration")
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .body(String.class);
            if (document == null || document.length() > 65_536) {
                throw failed();
            }
            OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(document);
            if (!issuer.equals(metadata.getIssuer().getValue())) {
                throw failed();
            }
            discovered.put(issuer, metadata);
            return metadata;
        }
        catch (RestClientException | ParseException ex) {
            throw failed();
        }
    }

    private static String bounded(String value) {
        return value == null || value.length() > 320 ? null : value;
    }

    static ApiException failed() {
        return new ApiException(org.springframework.http.HttpStatus.BAD_GATEWAY, "external-provider-failed");
    }

}
