package dev.kapi.identity;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.servlet.DispatcherType;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.servicekey.ServiceKeyFilter;
import dev.kapi.identity.servicekey.ServiceKeys;
import dev.kapi.identity.session.Sessions;
import dev.kapi.identity.token.AccessTokens;
import dev.kapi.shared.Problems;
import dev.kapi.shared.RouteRules;
import dev.kapi.shared.ratelimit.RateLimitFilter;
import dev.kapi.shared.ratelimit.RateLimiter;

/**
 * Who may call what. Every route needs a bearer token except those a module declares
 * public through its {@link RouteRules} (sign-up and sign-in here, the operational
 * endpoints, a provider's webhook); a token is accepted only while its session lives.
 * Failures answer with Kapı's problem body.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

    /**
     * No observation around every security filter, authentication and authorization: they
     * cost more than the cheap routes themselves, and {@code http.server.requests}
     * already times each request. Without this bean the filters are still wrapped even
     * when those observations are switched off by name.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, AccessTokens tokens, Sessions sessions,
            Problems problems, RateLimiter rateLimiter, List<RouteRules> modules, ServiceKeys serviceKeys,
            SecondFactors factors) throws Exception {
        RequestMatcher publicRoutes = matching(modules.stream().flatMap(rules -> rules.publicRoutes().stream()));
        RequestMatcher frozenAccountWrites = matching(
                modules.stream().flatMap(rules -> rules.frozenAccountWrites().stream()));
        RequestMatcher backupRoutes = matching(modules.stream().flatMap(rules -> rules.backupRoutes().stream()));
        AuthenticationEntryPoint unauthorized = (request, response, ex) -> {
            response.setHeader("WWW-Authenticate", "Bearer");
            problems.write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized");
        };
        AccessDeniedHandler forbidden = (request, response, ex) -> problems.write(request, response,
                HttpStatus.FORBIDDEN, "forbidden");
        return http.csrf(AbstractHttpConfigurer::disable).cors(cors -> {
        })
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(AbstractHttpConfigurer::disable)
            .formLogin(AbstractHttpConfigurer::disable)
            .httpBasic(AbstractHttpConfigurer::disable)
            .logout(AbstractHttpConfigurer::disable)
            .authorizeHttpRequests(
                    authorize -> authorize.dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR)
                        .permitAll()
                        // Each module declares its own (RouteRules): they check their
                        // callers themselves.
                        .requestMatchers(publicRoutes)
                        .permitAll()
                        .anyRequest()
                        .authenticated())
            .oauth2ResourceServer(server -> server.bearerTokenResolver(ignoringOn(publicRoutes))
                .jwt(jwt -> jwt.decoder(tokens.decoder()).jwtAuthenticationConverter(sessionBound(sessions)))
                .authenticationEntryPoint(unauthorized)
                .accessDeniedHandler(forbidden))
            .exceptionHandling(
                    handling -> handling.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
            .addFilterBefore(new ServiceKeyFilter(serviceKeys, problems, backupRoutes),
                    BearerTokenAuthenticationFilter.class)
            .addFilterAfter(new RateLimitFilter(rateLimiter, problems), BearerTokenAuthenticationFilter.class)
            .addFilterAfter(new FrozenAccountFilter(problems, frozenAccountWrites), RateLimitFilter.class)
            .addFilterAfter(new EnrolmentGuard(factors, problems), FrozenAccountFilter.class)
            .build();
    }

    /**
     * One matcher for the routes the modules declared, each as Spring's path patterns
     * match it.
     */
    private static RequestMatcher matching(Stream<RouteRules.Route> routes) {
        List<RequestMatcher> matchers = routes
            .<RequestMatcher>map(route -> PathPatternRequestMatcher.pathPattern(route.method(), route.pattern()))
            .toList();
        return matchers.isEmpty() ? request -> false : new OrRequestMatcher(matchers);
    }

    /**
     * A stale {@code Authorization} header must not break the routes that need none: a
     * client whose access token expired still signs in, refreshes and resets its
     * password. (Matched as routing matches, so {@code /auth/%6Cogin} is a public route
     * too and is limited per address, not per token.)
     */
    private static BearerTokenResolver ignoringOn(RequestMatcher publicRoutes) {
        DefaultBearerTokenResolver resolver = new DefaultBearerTokenResolver();
        // A service key is not a JWT: ServiceKeyFilter takes it where service keys are
        // accepted.
        return request -> publicRoutes.matches(request) || ServiceKeyFilter.carriesServiceKey(request) ? null
                : resolver.resolve(request);
    }

    /**
     * Accepts a verified JWT only if its session is live, and takes the role from the
     * account.
     */
    private static Converter<Jwt, AbstractAuthenticationToken> sessionBound(Sessions sessions) {
        return jwt -> {
            UUID sessionId;
            try {
                sessionId = UUID.fromString(jwt.getClaimAsString("sid"));
            }
            catch (IllegalArgumentException | NullPointerException ex) {
                throw new InvalidBearerTokenException("Token has no session");
            }
            CurrentAccount account = sessions.resolve(sessionId)
                .filter(found -> Long.toString(found.id()).equals(jwt.getSubject()))
                .orElseThrow(() -> new InvalidBearerTokenException("Session ended"));
            return new AccountAuthentication(account);
        };
    }

    /** The authentication of a request made with a live session's token. */
    static final class AccountAuthentication extends AbstractAuthenticationToken {

        private final CurrentAccount account;

        AccountAuthentication(CurrentAccount account) {
            super(List.of(new SimpleGrantedAuthority("ROLE_" + account.role().toUpperCase(Locale.ROOT))));
            this.account = account;
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return account;
        }

        @Override
        public String getName() {
            return Long.toString(account.id());
        }

    }

}
