package dev.kapi.identity.provider;

import java.time.Clock;
import java.util.Set;

import com.nimbusds.jose.jwk.source.JWKSource;
import jakarta.servlet.http.HttpServletRequest;
import com.nimbusds.jose.proc.SecurityContext;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2DeviceVerificationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.oidc.web.authentication.OidcLogoutAuthenticationSuccessHandler;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.web.OAuth2AuthorizationEndpointFilter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.preauth.AbstractPreAuthenticatedProcessingFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.hosted.HostedErrors;
import dev.kapi.identity.hosted.SsoContextRepository;
import dev.kapi.identity.hosted.SsoCookie;
import dev.kapi.identity.hosted.UnreadableParameters;
import dev.kapi.identity.provider.client.ClientTargets;
import dev.kapi.identity.session.Sessions;
import dev.kapi.identity.servicekey.ServiceKeyFilter;
import dev.kapi.identity.token.AccessTokens;
import dev.kapi.identity.token.SigningKeys;
import dev.kapi.shared.Problems;
import dev.kapi.shared.net.OutboundHttp;
import dev.kapi.shared.ratelimit.RateLimitFilter;
import dev.kapi.shared.ratelimit.RateLimiter;

/**
 * Kapı as an OAuth 2.1 / OpenID Connect provider: Spring Authorization Server's endpoints
 * in a filter chain of their own, ahead of the API's. A request to
 * {@code /oauth2/introspect} with a service key is left to the API chain, where
 * introspection works as it always did. No HTTP session is ever made: the signed-in
 * browser is Kapı's own session, tokens and grants live in PostgreSQL.
 */
@Configuration(proxyBeanMethods = false)
class ProviderSecurity {

    static final String JWKS = "/.well-known/jwks.json";

    static final String CONSENT_PAGE = "/oauth2/consent";

    @Bean
    AuthorizationServerSettings authorizationServerSettings(AccessTokens tokens) {
        String issuer = tokens.issuer();
        return AuthorizationServerSettings.builder()
            .issuer(issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
            .jwkSetEndpoint(JWKS)
            .deviceVerificationEndpoint("/activate")
            .build();
    }

    /**
     * Signed tokens (access and ID) with Kapı's keys and claims, and rotating refresh
     * tokens for every client allowed them.
     */
    @Bean
    OAuth2TokenGenerator<OAuth2Token> providerTokenGenerator(ObjectProvider<JwtEncoder> encoders, ProviderClaims claims,
            Clock clock) {
        JwtGenerator jwts = new JwtGenerator(parameters -> encoders.getObject().encode(parameters));
        jwts.setJwtCustomizer(new ProviderTokenCustomizer(claims));
        // The system clock, not the injected one: SAS judges whether a stored token is
        // still active by Instant.now(), so its times must come from the same clock.
        return new DelegatingOAuth2TokenGenerator(jwts, new RotatingRefreshTokens(Clock.systemUTC()));
    }

    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 10)
    SecurityFilterChain providerFilterChain(HttpSecurity http, KapiAuthorizations authorizations,
            OAuth2TokenGenerator<OAuth2Token> tokenGenerator, AuthorizationServerSettings settings, SigningKeys keys,
            ProviderClaims claims, SsoContextRepository browsers, RegisteredClientRepository clients, KapiLogout logout,
            Clock clock, Problems problems, RateLimiter rateLimiter, Introspector introspector, HostedErrors errorPage,
            ClientAssertions clientAssertions) throws Exception {
        String issuer = settings.getIssuer();
        RequestMatcher jwks = PathPatternRequestMatcher.pathPattern(HttpMethod.GET, JWKS);
        OAuth2AuthorizationServerConfigurer[] server = new OAuth2AuthorizationServerConfigurer[1];
        // No request by reference (request_uri is refused), so no pushed requests: SAS
        // has
        // no /oauth2/par filter unless configured, but its client authentication still
        // matches the path; left out of this chain, it answers as any unknown path.
        RequestMatcher pushed = PathPatternRequestMatcher.pathPattern(settings.getPushedAuthorizationRequestEndpoint());
        http.oauth2AuthorizationServer(as -> {
            server[0] = as;
            as.authorizationService(authorizations)
                .tokenGenerator(tokenGenerator)
                .clientAuthentication(client -> client.authenticationConverter(PublicClients.converter())
                    // Before SAS's converters: a repeated code was a ClassCastException.
                    .authenticationConverters(converters -> converters.addFirst(new RepeatedParameters()))
                    .authenticationProvider(PublicClients.provider(clients))
                    // Keys fetched through the guarded outbound client, assertions
                    // used once.
                    .authenticationProviders(providers -> providers.forEach(provider -> {
                        if (provider instanceof JwtClientAssertionAuthenticationProvider assertions) {
                            assertions.setJwtDecoderFactory(clientAssertions);
                        }
                    })))
                // Kapı's hosted consent page, for authorizations and devices alike.
                .authorizationEndpoint(authorization -> authorization.consentPage(CONSENT_PAGE)
                    // No request by reference, no overlong state: refused before SAS
                    // would send the browser to sign in, or the client its code.
                    .authorizationRequestConverters(
                            converters -> converters.addFirst(new AuthorizationRequestRefusals()))
                    .authenticationProviders(providers -> providers.forEach(provider -> {
                        if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider code) {
                            // prompt=consent asks again even when remembered.
                            code.setAuthorizationConsentRequired(ConsentPrompt::required);
                        }
                    }))
                    .errorResponseHandler(new AuthorizationErrors(errorPage)))
                .deviceVerificationEndpoint(verification -> verification.consentPage(CONSENT_PAGE)
                    .authenticationProviders(providers -> providers.forEach(provider -> {
                        if (provider instanceof OAuth2DeviceVerificationAuthenticationProvider device) {
                            // Always confirmed (RFC 8628 5.4: a code typed in from
                            // someone
                            // else's screen).
                            device.setAuthorizationConsentRequired(context -> true);
                        }
                    })))
                // RFC 7662 section 4: a client learns about its own tokens only.
                .tokenIntrospectionEndpoint(introspection -> introspection.authenticationProviders(providers -> {
                    providers.clear();
                    providers.add(new ClientIntrospection(introspector));
                }))
                .authorizationServerMetadataEndpoint(metadata -> metadata.authorizationServerMetadataCustomizer(
                        builder -> builder.claims(all -> ProviderMetadata.rewrite(all, issuer, false))))
                .deviceAuthorizationEndpoint(device -> {
                })
                .oidc(oidc -> oidc
                    .providerConfigurationEndpoint(configuration -> configuration.providerConfigurationCustomizer(
                            builder -> builder.claims(all -> ProviderMetadata.rewrite(all, issuer, true))))
                    .userInfoEndpoint(userInfo -> userInfo.userInfoMapper(new FreshUserInfo(claims)))
                    .logoutEndpoint(endpoint -> endpoint.logoutResponseHandler(logoutResponse(logout))));
            // OpenID Connect's session tracking would make an HTTP session at every
            // authorization: Kapı's session is the browser's state.
            as.withObjectPostProcessor(new ObjectPostProcessor<OAuth2AuthorizationEndpointFilter>() {
                @Override
                public <O extends OAuth2AuthorizationEndpointFilter> O postProcess(O filter) {
                    filter.setSessionAuthenticationStrategy((authentication, request, response) -> {
                    });
                    return filter;
                }
            });
        });
        RequestMatcher endpoints = request -> server[0].getEndpointsMatcher().matches(request);
        RequestMatcher clientEndpoints = new OrRequestMatcher(
                PathPatternRequestMatcher.pathPattern(settings.getTokenEndpoint()),
                PathPatternRequestMatcher.pathPattern(settings.getTokenIntrospectionEndpoint()),
                PathPatternRequestMatcher.pathPattern(settings.getTokenRevocationEndpoint()),
                PathPatternRequestMatcher.pathPattern(settings.getDeviceAuthorizationEndpoint()));
        RequestMatcher userInfo = PathPatternRequestMatcher.pathPattern(settings.getOidcUserInfoEndpoint());
        BearerTokenResolver bearer = new DefaultBearerTokenResolver();
        return http
            // SAS's matchers read parameters: unreadable ones (see UnreadableParameters)
            // are matched as none, for the chain's first filter to answer.
            .securityMatcher(request -> {
                HttpServletRequest readable = UnreadableParameters.readable(request);
                return endpoints.matches(readable) && !jwks.matches(readable) && !pushed.matches(readable)
                        && !kapiIntrospection(readable, settings) && !activatePage(readable, settings);
            })
            .addFilterBefore(new UnreadableParameters((request, response) -> {
                if (PathPatternRequestMatcher.pathPattern(settings.getAuthorizationEndpoint()).matches(request)) {
                    errorPage.show(request, response, OAuth2ErrorCodes.INVALID_REQUEST);
                }
                else {
                    ClientErrors.unreadable(response);
                }
            }), DisableEncodeUrlFilter.class)
            .authorizeHttpRequests(authorize -> authorize.anyRequest().authenticated())
            // The signed-in browser: Kapı's session behind the single sign-on cookie.
            .securityContext(context -> context.securityContextRepository(browsers))
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(AbstractHttpConfigurer::disable)
            .formLogin(AbstractHttpConfigurer::disable)
            .httpBasic(AbstractHttpConfigurer::disable)
            .logout(AbstractHttpConfigurer::disable)
            // A bearer token is only ever looked at by /userinfo: at the client endpoints
            // it is no client credential (invalid_client below, not a bearer 401).
            .oauth2ResourceServer(resource -> resource
                .bearerTokenResolver(request -> userInfo.matches(request) ? bearer.resolve(request) : null)
                .jwt(jwt -> jwt.decoder(providerTokens(keys, issuer))))
            // A browser that must sign in first (an authorization, a device's code).
            .exceptionHandling(
                    handling -> handling
                        .defaultAuthenticationEntryPointFor(new KapiLoginEntryPoint(issuer),
                                new OrRequestMatcher(
                                        PathPatternRequestMatcher.pathPattern(settings.getAuthorizationEndpoint()),
                                        PathPatternRequestMatcher
                                            .pathPattern(settings.getDeviceVerificationEndpoint())))
                        // A client that named no credentials: RFC 6749's invalid_client.
                        .defaultAuthenticationEntryPointFor(new ClientErrors(), clientEndpoints))
            .addFilterBefore(new RateLimitFilter(rateLimiter, problems), AbstractPreAuthenticatedProcessingFilter.class)
            .addFilterAfter(new AuthenticationRequirements(clock), AbstractPreAuthenticatedProcessingFilter.class)
            .build();
    }

    /**
     * Client assertions' decoders. The system clock, as SAS's timestamp check of the same
     * assertions (see the generator).
     */
    @Bean
    ClientAssertions clientAssertions(OutboundHttp outbound, ClientTargets targets, JdbcClient jdbc) {
        return new ClientAssertions(outbound, targets.resolver(), new UsedAssertions(jdbc, Clock.systemUTC()));
    }

    @Bean
    KapiLogout kapiLogout(Sessions sessions, SsoCookie cookie, AuditLog audit) {
        return new KapiLogout(sessions, cookie, audit);
    }

    private static OidcLogoutAuthenticationSuccessHandler logoutResponse(KapiLogout logout) {
        OidcLogoutAuthenticationSuccessHandler handler = new OidcLogoutAuthenticationSuccessHandler();
        handler.setLogoutHandler(logout);
        return handler;
    }

    /**
     * Introspection with a bearer credential (a service key, or a user's token that gets
     * its 403) is Kapı's own route, as before; clients authenticate there with their own
     * credentials (Basic or the form), never a bearer token.
     */
    private static boolean kapiIntrospection(HttpServletRequest request, AuthorizationServerSettings settings) {
        String authorization = request.getHeader("Authorization");
        return settings.getTokenIntrospectionEndpoint().equals(request.getRequestURI())
                && (ServiceKeyFilter.carriesServiceKey(request)
                        || authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7));
    }

    /**
     * {@code /activate} without a {@code user_code} is Kapı's page asking for one; with
     * it, SAS's device verification.
     */
    private static boolean activatePage(HttpServletRequest request, AuthorizationServerSettings settings) {
        return settings.getDeviceVerificationEndpoint().equals(request.getRequestURI())
                && request.getParameter("user_code") == null;
    }

    /**
     * Verifies the provider's own access tokens (at {@code /userinfo}) by Kapı's
     * published keys; whether one is still live is the stored authorization's business.
     */
    static JwtDecoder providerTokens(SigningKeys keys, String issuer) {
        JWKSource<SecurityContext> source = (selector, context) -> selector.select(keys.published());
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(source)
            .jwsAlgorithms(algorithms -> algorithms.addAll(Set.of(SignatureAlgorithm.RS256, SignatureAlgorithm.ES256)))
            .build();
        // Not the default validators: they want typ JWT, and these are at+jwt.
        // The system clock, as the tokens' own times (see the generator).
        decoder.setJwtValidator(
                new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(), new JwtIssuerValidator(issuer)));
        return decoder;
    }

}
