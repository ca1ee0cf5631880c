package dev.kapi.identity;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.token.AccessTokens;
import dev.kapi.shared.Problems;
import dev.kapi.shared.RequestPaths;

/**
 * A session of an account whose user type requires a second factor it does not have yet
 * ({@code KAPI_MFA_REQUIRED_TYPES}) may only enrol one: read its profile and factors, set
 * them up, sign out. Every other route answers 403 {@code mfa-enrolment-required}. It
 * sits in the security filter chain, after the bearer token is authenticated, so no route
 * escapes it (not only those Spring MVC dispatches); the session decides, so a token
 * issued before the account enrolled works here once it has
 * ({@link AccessTokens#ENROLMENT_SCOPE} is for other services, which see only the token).
 */
final class EnrolmentGuard extends OncePerRequestFilter {

    private static final List<PathPattern> ALLOWED = List
        .of("/users/me", "/users/me/mfa/**", "/users/me/passkeys/**", "/auth/reauthenticate/**", "/auth/logout")
        .stream()
        .map(PathPatternParser.defaultInstance::parse)
        .toList();

    private final SecondFactors factors;

    private final Problems problems;

    EnrolmentGuard(SecondFactors factors, Problems problems) {
        this.factors = factors;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        // A service key acts without a session of its own: nothing to restrict.
        if (authentication != null && authentication.getPrincipal() instanceof CurrentAccount me
                && me.sessionId() != null && factors.enrolmentOnly(me.sessionId())
                && ALLOWED.stream().noneMatch(pattern -> pattern.matches(RequestPaths.container(request)))) {
            problems.write(request, response, HttpStatus.FORBIDDEN, "mfa-enrolment-required");
            return;
        }
        chain.doFilter(request, response);
    }

}
