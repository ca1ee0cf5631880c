package dev.kapi.identity.provider;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.kapi.identity.hosted.SsoAuthentication;

/**
 * What an authorization request asks of the sign-in that SAS leaves alone:
 * {@code prompt=login}, {@code max_age} (seconds since the owner last proved themselves)
 * and {@code acr_values} naming {@value KapiAuthorizations#ACR_MFA} (two factors). When
 * the browser's Kapı session does not meet them, its owner proves themselves again in the
 * same session ({@code /login?reauth=1}, with {@code stepup=mfa} for a second factor),
 * which keeps {@code sid} the same. With {@code prompt=none} there is no page to show:
 * the request goes on as anonymous and the client hears {@code login_required}. Runs
 * after SAS validated the request, so a bad client or redirect URI never gets here.
 */
final class AuthenticationRequirements extends OncePerRequestFilter {

    private final Clock clock;

    AuthenticationRequirements(Clock clock) {
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Object validated = request.getAttribute(OAuth2AuthorizationCodeRequestAuthenticationToken.class.getName());
        if (!(validated instanceof OAuth2AuthorizationCodeRequestAuthenticationToken)
                || !(SecurityContextHolder.getContext().getAuthentication() instanceof SsoAuthentication browser)) {
            chain.doFilter(request, response);
            return;
        }
        List<String> prompt = values(request.getParameter("prompt"));
        boolean login = prompt.contains("login");
        boolean stale = tooOld(request.getParameter("max_age"), browser);
        boolean stepUp = values(request.getParameter("acr_values")).contains(SsoAuthentication.ACR_MFA)
                && !SsoAuthentication.ACR_MFA.equals(browser.acr());
        if (!login && !stale && !stepUp) {
            chain.doFilter(request, response);
            return;
        }
        if (prompt.contains("none")) {
            SecurityContextHolder.clearContext();
            chain.doFilter(request, response);
            return;
        }
        // Back to the same request, without prompt=login (met once the owner signed in
        // again).
        String query = withoutLogin(request.getQueryString());
        String back = request.getRequestURI() + (query.isEmpty() ? "" : "?" + query);
        response.sendRedirect("/login?return=" + URLEncoder.encode(back, StandardCharsets.UTF_8) + "&reauth=1"
                + (stepUp ? "&stepup=mfa" : ""));
    }

    static String withoutLogin(String query) {
        if (query == null) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : query.split("&")) {
            if (pair.startsWith("prompt=")) {
                String rest = String.join(" ",
                        values(URLDecoder.decode(pair.substring(7), StandardCharsets.UTF_8)).stream()
                            .filter(value -> !"login".equals(value))
                            .toList());
                if (!rest.isEmpty()) {
                    pairs.add("prompt=" + URLEncoder.encode(rest, StandardCharsets.UTF_8));
                }
            }
            else {
                pairs.add(pair);
            }
        }
        return String.join("&", pairs);
    }

    private boolean tooOld(String maxAge, SsoAuthentication browser) {
        if (maxAge == null || maxAge.isBlank()) {
            return false;
        }
        try {
            long seconds = Long.parseLong(maxAge.trim());
            return seconds >= 0 && clock.instant().getEpochSecond() - browser.authTime().getEpochSecond() > seconds;
        }
        catch (NumberFormatException ex) {
            return false;
        }
    }

    private static List<String> values(String parameter) {
        return parameter == null ? List.of()
                : Arrays.stream(parameter.trim().split("\\s+")).filter(v -> !v.isEmpty()).toList();
    }

}
