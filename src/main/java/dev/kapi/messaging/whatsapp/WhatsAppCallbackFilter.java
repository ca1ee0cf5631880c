package dev.kapi.messaging.whatsapp;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Problems;
import dev.kapi.shared.RequestPaths;
import dev.kapi.shared.ratelimit.RateLimiter;

/**
 * Meta's signed callbacks ({@code POST} {@link MessagingRoutes#WHATSAPP_CALLBACKS})
 * answered here, in front of Spring Security and Spring MVC: one number sending 1,000
 * messages a second brings about 3,000 callbacks a second, and on a small machine the
 * security chain, the handler mapping and the answer's message converters cost more than
 * the callback itself. The route is public anyway (a callback proves itself by its
 * signature), so nothing is skipped that guards it: the request id and the body's cap
 * ({@code InputLimitFilter}) come before this filter, the route's rate limit (a local
 * bucket per client address) is taken here, and the answer and its problems are those
 * {@link WhatsAppCallbackController} documents. The handshake ({@code GET}) stays in the
 * controller.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
final class WhatsAppCallbackFilter extends OncePerRequestFilter {

    private final WhatsAppCallbacks callbacks;

    private final RateLimiter limiter;

    private final Problems problems;

    WhatsAppCallbackFilter(WhatsAppCallbacks callbacks, RateLimiter limiter, Problems problems) {
        this.callbacks = callbacks;
        this.limiter = limiter;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod())
                || !MessagingRoutes.WHATSAPP_CALLBACKS.equals(RequestPaths.of(request));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (limiter.enabled()) {
            RateLimiter.Decision decision = limiter.consume(request, "ip:" + request.getRemoteAddr());
            if (!decision.allowed()) {
                response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
                problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "rate-limited");
                return;
            }
        }
        WhatsAppCallbacks.Receipt receipt;
        try {
            receipt = callbacks.receive(request.getHeader("X-Hub-Signature-256"), request.getInputStream());
        }
        catch (ApiException ex) {
            ex.headers().forEach(response::setHeader);
            problems.write(request, response, ex.status(), ex.code(), ex.args());
            return;
        }
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter()
            .write("{\"success\":true,\"statuses_applied\":" + receipt.statusesApplied() + ",\"opt_outs\":"
                    + receipt.optOuts() + ",\"signals_applied\":" + receipt.signalsApplied() + "}");
    }

}
