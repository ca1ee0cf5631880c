package dev.kapi.shared.web;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/**
 * Web-wide settings: the clock, answer language (Turkish by default, English on request),
 * CORS for browser clients and the OpenAPI description's bearer scheme.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "Kapı API", version = "v1",
                description = "Accounts, authentication, admin and domain APIs."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
class WebConfiguration {

    static final Locale TURKISH = Locale.forLanguageTag("tr");

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * What Tomcat refuses before Kapı's filters run (headers over 8 KB) gets Kapı's
     * security headers and a minimal problem, not Tomcat's HTML page; runs after Spring
     * Boot's customizer, whose error report valve it replaces.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> containerErrors() {
        return factory -> factory.addContextCustomizers(context -> ContainerErrors.install(context.getParent()));
    }

    @Bean
    LocaleResolver localeResolver() {
        AcceptHeaderLocaleResolver resolver = new AcceptHeaderLocaleResolver();
        resolver.setSupportedLocales(List.of(TURKISH, Locale.ENGLISH));
        resolver.setDefaultLocale(TURKISH);
        return resolver;
    }

    /**
     * Declared as the URL-based source it is: Spring Security applies CORS to every
     * filter chain built from the shared {@code HttpSecurity} (the OpenID provider's
     * {@code /oauth2/token} and {@code /userinfo}, which single-page apps call across
     * origins, as well as the API's) only when it finds a bean of this type.
     */
    @Bean
    UrlBasedCorsConfigurationSource corsConfigurationSource(CorsSettings settings) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource() {
            @Override
            public CorsConfiguration getCorsConfiguration(HttpServletRequest request) {
                // A navigation (a link, a redirect, a form's POST on a hosted page) is
                // never a CORS request, and a page with Referrer-Policy: no-referrer
                // sends "Origin: null" with its form, which CORS would refuse.
                return "navigate".equals(request.getHeader("Sec-Fetch-Mode")) ? null
                        : super.getCorsConfiguration(request);
            }
        };
        if (!settings.allowedOrigins().isEmpty()) {
            CorsConfiguration cors = new CorsConfiguration();
            cors.setAllowedOrigins(settings.allowedOrigins());
            cors.setAllowedMethods(List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"));
            cors.setAllowedHeaders(List.of("Authorization", "Content-Type", "Accept-Language", "X-Request-Id",
                    "If-Match", "If-None-Match"));
            cors.setExposedHeaders(List.of("Retry-After", "X-Request-Id", "Location", "ETag", "X-Next-Cursor"));
            cors.setMaxAge(3600L);
            source.registerCorsConfiguration("/**", cors);
        }
        return source;
    }

}
