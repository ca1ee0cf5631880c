package dev.kapi.identity;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.kapi.shared.Problems;

/**
 * The one guard for frozen accounts (seed 001's "usage middleware"): a frozen account may
 * read anything and manage itself under {@code /auth} and {@code /users}, but every write
 * elsewhere gets 403 saying the account is frozen. It sits in the security filter chain,
 * so every module is covered without opting in; the writes a frozen account may still
 * make are those the modules declare ({@code RouteRules}).
 */
final class FrozenAccountFilter extends OncePerRequestFilter {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Problems problems;

    private final RequestMatcher allowedWrites;

    FrozenAccountFilter(Problems problems, RequestMatcher allowedWrites) {
        this.problems = problems;
        this.allowedWrites = allowedWrites;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof CurrentAccount account
                && account.frozen() && WRITES.contains(request.getMethod()) && !allowedWrites.matches(request)) {
            problems.write(request, response, HttpStatus.FORBIDDEN, "account-frozen");
            return;
        }
        chain.doFilter(request, response);
    }

}
