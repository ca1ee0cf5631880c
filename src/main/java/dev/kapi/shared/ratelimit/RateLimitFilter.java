package dev.kapi.shared.ratelimit;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.kapi.shared.Problems;
import dev.kapi.shared.RequestPaths;

/**
 * Applies {@link RateLimiter} to every request, after authentication so that signed-in
 * clients are counted by account and anonymous ones by IP (as resolved from trusted
 * proxies). Over the limit it answers 429 with {@code Retry-After}. Placed in the
 * security filter chain by the identity module.
 */
public final class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;

    private final Problems problems;

    public RateLimitFilter(RateLimiter limiter, Problems problems) {
        this.limiter = limiter;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !limiter.enabled() || "OPTIONS".equals(request.getMethod())
                || RequestPaths.of(request).startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        RateLimiter.Decision decision = limiter.consume(request, client(request));
        if (!decision.allowed()) {
            response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
            problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "rate-limited");
            return;
        }
        chain.doFilter(request, response);
    }

    private static String client(HttpServletRequest request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken)) {
            return "account:" + authentication.getName();
        }
        return "ip:" + request.getRemoteAddr();
    }

}
