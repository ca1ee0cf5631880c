package dev.kapi.identity.hosted;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.core.context.DeferredSecurityContext;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.context.HttpRequestResponseHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.session.Sessions;

/**
 * The security context of a browser, from its single sign-on cookie and nothing else (no
 * HTTP session): an {@link SsoAuthentication} while the Kapı session the cookie points to
 * lives (not ended, idle or expired; its account active and not frozen; not limited to
 * enrolling a second factor), else an empty context. Liveness comes from
 * {@link Sessions}' cache, which every instance evicts as soon as a session ends, so an
 * ended session's cookie is dead at once everywhere. {@link #saveContext} does nothing:
 * only the sign-in page sets the cookie.
 */
@Component
public final class SsoContextRepository implements SecurityContextRepository {

    private final SsoCookie cookie;

    private final Sessions sessions;

    private final SecondFactors factors;

    private final SecurityContextHolderStrategy strategy = SecurityContextHolder.getContextHolderStrategy();

    /**
     * Which session a cookie's hash points to; it never changes, and whether that session
     * lives is asked of {@link Sessions} each time.
     */
    private final Cache<String, UUID> sessionsByCookie = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterAccess(Duration.ofMinutes(30))
        .build();

    SsoContextRepository(SsoCookie cookie, Sessions sessions, SecondFactors factors) {
        this.cookie = cookie;
        this.sessions = sessions;
        this.factors = factors;
    }

    /** The signed-in browser behind a request, or empty. */
    public Optional<SsoAuthentication> authentication(HttpServletRequest request) {
        return cookie.read(request).flatMap(this::authentication);
    }

    private Optional<SsoAuthentication> authentication(String value) {
        byte[] hash = SsoCookie.hash(value);
        String key = java.util.HexFormat.of().formatHex(hash);
        UUID sessionId = sessionsByCookie.getIfPresent(key);
        if (sessionId == null) {
            sessionId = sessions.bySsoToken(hash).orElse(null);
            if (sessionId == null) {
                return Optional.empty();
            }
            sessionsByCookie.put(key, sessionId);
        }
        UUID id = sessionId;
        Optional<CurrentAccount> account = sessions.resolve(id)
            .filter(found -> !found.frozen())
            .filter(found -> !factors.enrolmentOnly(id));
        return account.flatMap(
                found -> sessions.proof(id).map(proof -> new SsoAuthentication(found, proof.authTime(), proof.amr())));
    }

    @Override
    public DeferredSecurityContext loadDeferredContext(HttpServletRequest request) {
        Supplier<SecurityContext> load = () -> {
            SecurityContext context = strategy.createEmptyContext();
            authentication(request).ifPresent(context::setAuthentication);
            return context;
        };
        return new DeferredSecurityContext() {

            private SecurityContext context;

            @Override
            public SecurityContext get() {
                if (context == null) {
                    context = load.get();
                }
                return context;
            }

            @Override
            public boolean isGenerated() {
                return get().getAuthentication() == null;
            }
        };
    }

    @Override
    @Deprecated
    public SecurityContext loadContext(HttpRequestResponseHolder holder) {
        return loadDeferredContext(holder.getRequest()).get();
    }

    @Override
    public void saveContext(SecurityContext context, HttpServletRequest request, HttpServletResponse response) {
    }

    @Override
    public boolean containsContext(HttpServletRequest request) {
        return cookie.read(request).isPresent();
    }

}
