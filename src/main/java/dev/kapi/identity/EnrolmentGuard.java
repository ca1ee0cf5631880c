package dev.kapi.identity;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.RequestPaths;

/**
 * A session of an account whose user type requires a second factor it does not have yet
 * ({@code KAPI_MFA_REQUIRED_TYPES}) may only enrol one: read its profile and factors, set them up, sign out.
 * Every other route answers 403 {@code mfa-enrolment-required}.
 */
@Configuration(proxyBeanMethods = false)
class EnrolmentGuard implements WebMvcConfigurer {

    private static final List<PathPattern> ALLOWED = List.of("/users/me", "/users/me/mfa/**",
            "/users/me/passkeys/**", "/auth/logout").stream().map(PathPatternParser.defaultInstance::parse).toList();

    private final SecondFactors factors;

    EnrolmentGuard(SecondFactors factors) {
        this.factors = factors;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new HandlerInterceptor() {
            @Override
            public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
                Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
                // A service key acts without a session of its own: nothing to restrict.
                if (authentication != null && authentication.getPrincipal() instanceof CurrentAccount me
                        && me.sessionId() != null && factors.enrolmentOnly(me.sessionId())
                        && ALLOWED.stream().noneMatch(pattern -> pattern.matches(RequestPaths.container(request)))) {
                    throw ApiException.forbidden("mfa-enrolment-required");
                }
                return true;
            }
        });
    }
}
