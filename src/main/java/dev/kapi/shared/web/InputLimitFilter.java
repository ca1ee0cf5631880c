package dev.kapi.shared.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import dev.kapi.shared.CleanText;
import dev.kapi.shared.PayloadTooLarge;
import dev.kapi.shared.Problems;
import dev.kapi.shared.RequestPaths;

/**
 * Checks what every request brings before any route sees it. Its path and query
 * parameters must be clean text ({@link CleanText}): a 400 naming the parameter
 * otherwise. Its body is bounded before anything reads it. A declared length over the
 * route's cap is refused at once, unread; a body without a length (or longer than it
 * said) is counted as it is read and stops with {@link PayloadTooLarge} at the cap.
 * Either way the answer is 413 {@code payload-too-large}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class InputLimitFilter extends OncePerRequestFilter {

    private final long defaultMax;

    private final List<RouteCap> routes;

    private final Problems problems;

    InputLimitFilter(BodyLimits limits, Problems problems) {
        this.defaultMax = limits.max().toBytes();
        PathPatternParser parser = new PathPatternParser();
        this.routes = limits.routes()
            .stream()
            .map(route -> new RouteCap(parser.parse(route.path()), route.max().toBytes()))
            .toList();
        this.problems = problems;
    }

    private record RouteCap(PathPattern pattern, long max) {
    }

    private long capOf(PathContainer path) {
        for (RouteCap route : routes) {
            if (route.pattern().matches(path)) {
                return route.max();
            }
        }
        return defaultMax;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String pathDefect = CleanText.defect(RequestPaths.of(request));
        if (pathDefect != null) {
            problems.writeInvalidField(request, response, "path", pathDefect);
            return;
        }
        if (request.getQueryString() != null) {
            Map<String, String[]> parameters;
            try {
                parameters = request.getParameterMap();
            }
            catch (InvalidParameterException ex) {
                problems.write(request, response, HttpStatus.BAD_REQUEST, "malformed-query");
                return;
            }
            for (Map.Entry<String, String[]> parameter : parameters.entrySet()) {
                String nameDefect = CleanText.defect(parameter.getKey());
                String defect = nameDefect;
                for (String value : parameter.getValue()) {
                    defect = defect != null ? defect : CleanText.defect(value);
                }
                if (defect != null) {
                    // A name that is itself the defect is not repeated raw into the
                    // answer.
                    problems.writeInvalidField(request, response, nameDefect == null ? parameter.getKey() : "(name)",
                            defect);
                    return;
                }
            }
        }
        String contentType = request.getContentType();
        boolean hasBody = request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
        if (hasBody && contentType != null && !concrete(contentType)) {
            problems.write(request, response, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type");
            return;
        }
        long cap = capOf(RequestPaths.container(request));
        if (request.getContentLengthLong() > cap) {
            refuse(request, response, cap);
            return;
        }
        try {
            chain.doFilter(new Capped(request, cap), response);
        }
        catch (RuntimeException | ServletException | IOException ex) {
            PayloadTooLarge tooLarge = Causes.find(ex, PayloadTooLarge.class);
            if (tooLarge == null || response.isCommitted()) {
                throw ex;
            }
            response.reset();
            refuse(request, response, tooLarge.maxBytes());
        }
    }

    /**
     * A body's type must say what it is: parseable, and not {@code *}{@code /*} or
     * {@code text/*}.
     */
    private static boolean concrete(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        }
        catch (InvalidMediaTypeException ex) {
            return false;
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, long cap) throws IOException {
        // The client may still be sending: say so, and let Tomcat close rather than read
        // the rest.
        response.setHeader("Connection", "close");
        problems.write(request, response, HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large",
                PayloadTooLarge.readable(cap));
    }

    /** The request with a body that cannot be read past the cap. */
    private static final class Capped extends HttpServletRequestWrapper {

        private final long cap;

        private ServletInputStream stream;

        private BufferedReader reader;

        Capped(HttpServletRequest request, long cap) {
            super(request);
            this.cap = cap;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new CountingStream(super.getInputStream(), cap);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            if (reader == null) {
                String encoding = getCharacterEncoding();
                Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
                reader = new BufferedReader(new InputStreamReader(getInputStream(), charset));
            }
            return reader;
        }

    }

    private static final class CountingStream extends ServletInputStream {

        private final ServletInputStream in;

        private final long cap;

        private long read;

        CountingStream(ServletInputStream in, long cap) {
            this.in = in;
            this.cap = cap;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > cap) {
                throw new PayloadTooLarge(cap);
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

    }

}
