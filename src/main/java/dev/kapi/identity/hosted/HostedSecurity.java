package dev.kapi.identity.hosted;

import java.util.Set;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.session.DisableEncodeUrlFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.kapi.shared.Problems;
import dev.kapi.shared.ratelimit.RateLimitFilter;
import dev.kapi.shared.ratelimit.RateLimiter;

/**
 * The security chain of the hosted pages, and only of them: {@code /login/**},
 * {@code /oauth2/consent}, {@code /oauth2/error}, {@code GET /activate} without a
 * {@code user_code} (with one, the provider's device verification takes it) and their
 * files under {@code /hosted/}. It sits between the provider's chain and the API's. No
 * HTTP session: the security context comes from the single sign-on cookie
 * ({@link SsoContextRepository}), and CSRF is a double-submit cookie
 * ({@code __Host-kapi_csrf}, SameSite=Strict, HttpOnly) checked against the form's hidden
 * field.
 */
@Configuration(proxyBeanMethods = false)
class HostedSecurity {

    /** The requests this chain owns. */
    static final RequestMatcher PAGES = new OrRequestMatcher(PathPatternRequestMatcher.pathPattern("/login"),
            PathPatternRequestMatcher.pathPattern("/login/**"),
            PathPatternRequestMatcher.pathPattern("/oauth2/consent"),
            PathPatternRequestMatcher.pathPattern("/oauth2/error"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/hosted/**"),
            request -> "GET".equals(request.getMethod()) && request.getParameter("user_code") == null
                    && PathPatternRequestMatcher.pathPattern("/activate").matches(request));

    @Bean
    @Order(2)
    SecurityFilterChain hostedPagesFilterChain(HttpSecurity http, SsoContextRepository contexts, SsoCookie cookie,
            HostedPages pages, HostedErrors errors, RateLimiter rateLimiter, Problems problems) throws Exception {
        CookieCsrfTokenRepository csrf = new CookieCsrfTokenRepository();
        csrf.setCookieName(cookie.secure() ? "__Host-kapi_csrf" : "kapi_csrf");
        csrf.setCookieCustomizer(
                builder -> builder.httpOnly(true).secure(cookie.secure()).sameSite("Strict").path("/"));
        return http.securityMatcher(PAGES)
            // Before CSRF's check, the first to read the form.
            .addFilterBefore(UnreadableParameters.page(errors), DisableEncodeUrlFilter.class)
            .securityContext(context -> context.securityContextRepository(contexts))
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .requestCache(AbstractHttpConfigurer::disable)
            .formLogin(AbstractHttpConfigurer::disable)
            .httpBasic(AbstractHttpConfigurer::disable)
            .logout(AbstractHttpConfigurer::disable)
            .csrf(configurer -> configurer.csrfTokenRepository(csrf))
            .authorizeHttpRequests(authorize -> authorize.anyRequest().permitAll())
            .exceptionHandling(handling -> handling.accessDeniedHandler((request, response, ex) -> pages.write(request,
                    response, HttpStatus.FORBIDDEN, "hosted.error.csrf")))
            .headers(headers -> headers
                .contentSecurityPolicy(policy -> policy.policyDirectives(HostedPolicy.contentSecurityPolicy(Set.of())))
                .frameOptions(frame -> frame.deny())
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
            .addFilterAfter(new RateLimitFilter(rateLimiter, problems), AnonymousAuthenticationFilter.class)
            .build();
    }

}
