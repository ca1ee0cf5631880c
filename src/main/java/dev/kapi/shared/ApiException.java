package dev.kapi.shared;

import java.util.Map;

import org.springframework.http.HttpStatus;

/**
 * A failure a client can act on. Carries the HTTP status, a stable problem code (also the
 * message key {@code error.<code>}), the message arguments and, where one field is to
 * blame, its JSON name.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;

    private final String code;

    private final transient Object[] args;

    private final String field;

    private final Map<String, String> headers;

    public ApiException(HttpStatus status, String code, Object... args) {
        this(status, code, null, Map.of(), args);
    }

    private ApiException(HttpStatus status, String code, String field, Map<String, String> headers, Object... args) {
        super(code, null, false, false);
        this.status = status;
        this.code = code;
        this.args = args;
        this.field = field;
        this.headers = headers;
    }

    public static ApiException badRequest(String code, Object... args) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, args);
    }

    /**
     * A 400 blamed on one field of the request; the problem lists it under
     * {@code errors}.
     */
    public static ApiException invalidField(String field, String code, Object... args) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, field, Map.of(), args);
    }

    public static ApiException unauthorized(String code, Object... args) {
        return new ApiException(HttpStatus.UNAUTHORIZED, code, args);
    }

    public static ApiException forbidden(String code, Object... args) {
        return new ApiException(HttpStatus.FORBIDDEN, code, args);
    }

    public static ApiException notFound(String code, Object... args) {
        return new ApiException(HttpStatus.NOT_FOUND, code, args);
    }

    public static ApiException conflict(String code, Object... args) {
        return new ApiException(HttpStatus.CONFLICT, code, args);
    }

    /** A temporary refusal (503) that tells the client when to come back. */
    public static ApiException busy(String code, long retryAfterSeconds) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, code, null,
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    /** The same failure with one more response header (e.g. {@code WWW-Authenticate}). */
    public ApiException withHeader(String name, String value) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.put(name, value);
        return new ApiException(status, code, field, java.util.Collections.unmodifiableMap(all), args);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Object[] args() {
        return args.clone();
    }

    public String field() {
        return field;
    }

    public Map<String, String> headers() {
        return headers;
    }

}
