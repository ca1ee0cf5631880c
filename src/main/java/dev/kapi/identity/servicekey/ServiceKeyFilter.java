package dev.kapi.identity.servicekey;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.Problems;
import dev.kapi.shared.RequestPaths;

/**
 * Authenticates {@code Authorization: Bearer kapi_sk_...} on the routes machine clients
 * may call: {@code /oauth2/introspect} (scope {@code introspect}) and the admin APIs
 * under {@code /api/admin/} and {@code /api/v1/admin/} ({@code admin:read} for GET,
 * {@code admin:write} for everything), except the backup routes the modules declare
 * ({@code RouteRules.backupRoutes}: export and import), which take {@code admin:backup}
 * and nothing else. Elsewhere a service key authenticates nothing. An unknown or revoked
 * key is a 401; a key whose creator is no longer an active, unfrozen admin a 403
 * {@code service-key-owner-inactive}; an admin route its scopes do not reach a 403
 * {@code service-key-scope-missing} naming the scope it needs.
 */
public final class ServiceKeyFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer " + ServiceKeys.PREFIX;

    private static final Set<String> READS = Set.of("GET", "HEAD");

    private final ServiceKeys keys;

    private final Problems problems;

    private final RequestMatcher backupRoutes;

    public ServiceKeyFilter(ServiceKeys keys, Problems problems, RequestMatcher backupRoutes) {
        this.keys = keys;
        this.problems = problems;
        this.backupRoutes = backupRoutes;
    }

    /** Whether the request carries a service key rather than an access token. */
    public static boolean carriesServiceKey(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, BEARER, 0, "Bearer ".length())
                && header.startsWith(ServiceKeys.PREFIX, "Bearer ".length());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = RequestPaths.of(request);
        boolean introspection = "/oauth2/introspect".equals(path);
        boolean admin = path.startsWith("/api/admin/") || path.startsWith("/api/v1/admin/");
        if (!carriesServiceKey(request) || !introspection && !admin) {
            chain.doFilter(request, response);
            return;
        }
        String value = request.getHeader(HttpHeaders.AUTHORIZATION).substring("Bearer ".length()).trim();
        ServiceKeys.ServiceKey key = keys.resolve(value).orElse(null);
        if (key == null) {
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            problems.write(request, response, HttpStatus.UNAUTHORIZED, "unauthorized");
            return;
        }
        if (!keys.creatorMayAct(key)) {
            problems.write(request, response, HttpStatus.FORBIDDEN, "service-key-owner-inactive");
            return;
        }
        String needed = !admin ? null : backupRoutes.matches(request) ? "admin:backup"
                : READS.contains(request.getMethod()) && !key.may("admin:write") ? "admin:read" : "admin:write";
        if (needed != null && !key.may(needed)) {
            problems.write(request, response, HttpStatus.FORBIDDEN, "service-key-scope-missing", needed);
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new ServiceKeyAuthentication(key, admin));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }

    /**
     * A request made with a service key: the principal is the creating admin's account
     * without a session (so audit entries name that admin), the authorities are the key's
     * scopes, and the admin role only where the scopes allow this request.
     */
    static final class ServiceKeyAuthentication extends AbstractAuthenticationToken {

        private final ServiceKeys.ServiceKey key;

        private final CurrentAccount account;

        ServiceKeyAuthentication(ServiceKeys.ServiceKey key, boolean asAdmin) {
            super(authorities(key, asAdmin));
            this.key = key;
            this.account = new CurrentAccount(key.createdBy(), key.creatorPublicId(), null,
                    asAdmin ? CurrentAccount.ADMIN : "service", false);
            setAuthenticated(true);
        }

        private static List<GrantedAuthority> authorities(ServiceKeys.ServiceKey key, boolean asAdmin) {
            List<GrantedAuthority> authorities = new ArrayList<>();
            key.scopes().forEach(scope -> authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope)));
            if (asAdmin) {
                authorities.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
            }
            return authorities;
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
            return "service-key:" + key.id();
        }

    }

}
