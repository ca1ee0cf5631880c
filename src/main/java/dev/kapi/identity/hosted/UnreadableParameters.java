package dev.kapi.identity.hosted;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A request whose parameters the server cannot read — a form body over its form size
 * ({@code server.tomcat.max-http-form-post-size}), more parameters than it takes, bytes
 * that are not UTF-8 — answered before anything asks for a parameter. Tomcat throws at
 * the first {@code getParameter} (CSRF's check, the provider's endpoint matchers; for an
 * oversized form only once, after which it seems to have none), which before ended in
 * Boot's bare error JSON with an ERROR and a stack trace in the log per request. The
 * answer is the chain's own: {@code invalid_request} as the hosted error page, or as the
 * RFC 6749 JSON of the provider's client endpoints.
 */
public final class UnreadableParameters extends OncePerRequestFilter {

    /** How a chain answers such a request (given a view of it without parameters). */
    @FunctionalInterface
    public interface Answer {

        void write(HttpServletRequest request, HttpServletResponse response) throws IOException;

    }

    private static final String UNREADABLE = UnreadableParameters.class.getName();

    private final Answer answer;

    public UnreadableParameters(Answer answer) {
        this.answer = answer;
    }

    /** The hosted error page's answer. */
    public static UnreadableParameters page(HostedErrors errors) {
        return new UnreadableParameters((request, response) -> errors.show(request, response, "invalid_request"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (readable(request) != request) {
            answer.write(new NoParameters(request), response);
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * The request, or a view of it without parameters when they cannot be read (for
     * matchers that look at parameters before any filter runs).
     */
    public static HttpServletRequest readable(HttpServletRequest request) {
        if (request.getAttribute(UNREADABLE) != null) {
            return new NoParameters(request);
        }
        try {
            request.getParameterMap();
            return request;
        }
        catch (IllegalStateException | IllegalArgumentException ex) {
            // Tomcat throws once for a form over its size, then answers no parameters.
            request.setAttribute(UNREADABLE, Boolean.TRUE);
            return new NoParameters(request);
        }
    }

    private static final class NoParameters extends HttpServletRequestWrapper {

        NoParameters(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getParameter(String name) {
            return null;
        }

        @Override
        public Map<String, String[]> getParameterMap() {
            return Map.of();
        }

        @Override
        public Enumeration<String> getParameterNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public String[] getParameterValues(String name) {
            return null;
        }

    }

}
