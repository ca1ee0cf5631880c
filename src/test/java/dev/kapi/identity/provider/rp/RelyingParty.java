package dev.kapi.identity.provider.rp;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.Banner;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.servlet.OAuth2ClientWebSecurityAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizedClientRepository;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.web.SecurityFilterChain;

import static org.springframework.security.config.Customizer.withDefaults;

/**
 * Another team's service that signs its users in with Kapı, as any Spring application
 * would: Spring Security's {@code oauth2Login} against the issuer it discovers,
 * RP-initiated and back-channel logout, and a few pages that show what it got. It runs in
 * the tests' JVM on its own port, with its own settings ({@code relying-party.yml}) and
 * only the auto-configuration a web application with an OAuth client needs: nothing of
 * Kapı's. A test configuration, not a {@code @SpringBootConfiguration}: neither Kapı's
 * component scan nor its tests' search for their configuration may find it.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableWebSecurity
@ImportAutoConfiguration({ PropertyPlaceholderAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
        DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class,
        HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class,
        OAuth2ClientAutoConfiguration.class, OAuth2ClientWebSecurityAutoConfiguration.class })
@Import(RelyingPartyPages.class)
public class RelyingParty {

    /** The registration id, the last part of its redirect and back-channel URIs. */
    public static final String REGISTRATION = "kapi";

    @Bean
    SecurityFilterChain relyingPartyChain(HttpSecurity http, ClientRegistrationRepository registrations)
            throws Exception {
        OidcClientInitiatedLogoutSuccessHandler logoutSuccess = new OidcClientInitiatedLogoutSuccessHandler(
                registrations);
        logoutSuccess.setPostLogoutRedirectUri("{baseUrl}/logged-out");
        return http
            .authorizeHttpRequests(authorize -> authorize.requestMatchers("/logged-out", "/error")
                .permitAll()
                .anyRequest()
                .authenticated())
            .oauth2Login(withDefaults())
            .oidcLogout(logout -> logout.backChannel(withDefaults()))
            .logout(logout -> logout.logoutSuccessHandler(logoutSuccess))
            .build();
    }

    /**
     * ID tokens checked by the provider's clock: the tests move Kapı's clock, which the
     * real one of this JVM does not follow.
     */
    @Bean
    JwtDecoderFactory<ClientRegistration> idTokenDecoderFactory(Clock providerClock) {
        OidcIdTokenDecoderFactory factory = new OidcIdTokenDecoderFactory();
        factory.setJwtValidatorFactory(registration -> {
            JwtTimestampValidator timestamps = new JwtTimestampValidator();
            timestamps.setClock(providerClock);
            OidcIdTokenValidator idToken = new OidcIdTokenValidator(registration);
            idToken.setClock(providerClock);
            return new DelegatingOAuth2TokenValidator<>(timestamps, idToken);
        });
        return factory;
    }

    /** Hands out the signed-in user's access token, refreshing it when it expired. */
    @Bean
    OAuth2AuthorizedClientManager authorizedClientManager(ClientRegistrationRepository registrations,
            OAuth2AuthorizedClientRepository clients, Clock providerClock) {
        DefaultOAuth2AuthorizedClientManager manager = new DefaultOAuth2AuthorizedClientManager(registrations, clients);
        manager.setAuthorizedClientProvider(OAuth2AuthorizedClientProviderBuilder.builder()
            .authorizationCode()
            .refreshToken(refresh -> refresh.clock(providerClock))
            .build());
        return manager;
    }

    /**
     * Starts a relying party on {@code port} for the client Kapı registered; the caller
     * closes it.
     */
    public static Running start(int port, String issuer, String clientId, String clientSecret, Clock providerClock) {
        List<String> args = new ArrayList<>(List.of("--spring.config.name=relying-party", "--server.port=" + port,
                "--spring.security.oauth2.client.provider.kapi.issuer-uri=" + issuer,
                "--spring.security.oauth2.client.registration.kapi.client-id=" + clientId,
                "--spring.security.oauth2.client.registration.kapi.client-secret=" + clientSecret));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RelyingParty.class)
            .bannerMode(Banner.Mode.OFF)
            .registerShutdownHook(false)
            .initializers(application -> ((GenericApplicationContext) application).registerBean("providerClock",
                    Clock.class, () -> providerClock))
            .run(args.toArray(String[]::new));
        return new Running(context);
    }

    /** A started relying party. */
    public record Running(ConfigurableApplicationContext context) implements AutoCloseable {

        public String baseUrl() {
            return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
        }

        @Override
        public void close() {
            context.close();
        }

    }

    /**
     * How much earlier than its expiry {@code /refresh} treats an access token as spent.
     */
    static final Duration FORCED_REFRESH = Duration.ofDays(1);

}
