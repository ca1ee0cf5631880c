package dev.kapi.shared;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.LocaleResolver;

import tools.jackson.databind.json.JsonMapper;

/**
 * Builds the one error body Kapı answers with: an RFC 9457 problem that also carries
 * {@code "success": false} and {@code "message"}, so that seed 004's clients read it
 * unchanged. Used by the MVC exception handler and by filters that answer before MVC
 * (security, rate limits).
 */
@Component
public final class Problems {

    private static final String TYPE_PREFIX = "urn:kapi:problem:";

    private final MessageSource messages;

    private final LocaleResolver localeResolver;

    private final JsonMapper json;

    Problems(MessageSource messages, LocaleResolver localeResolver, JsonMapper json) {
        this.messages = messages;
        this.localeResolver = localeResolver;
        this.json = json;
    }

    /** One invalid field, by its JSON name. */
    public record FieldProblem(String field, String message) {
    }

    public ProblemDetail problem(HttpStatusCode status, String code, Locale locale, Object... args) {
        String message = message(code, locale, args);
        return problem(status, code, message, List.of());
    }

    public ProblemDetail problem(HttpStatusCode status, String code, String message, List<FieldProblem> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, message);
        problem.setType(URI.create(TYPE_PREFIX + code));
        HttpStatus known = HttpStatus.resolve(status.value());
        if (known != null) {
            problem.setTitle(known.getReasonPhrase());
        }
        problem.setProperty("success", false);
        problem.setProperty("message", message);
        if (!errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }

    public String message(String code, Locale locale, Object... args) {
        String message = messages.getMessage("error." + code, args, null, locale);
        return message != null ? message : messages.getMessage("error.generic", null, code, locale);
    }

    public Locale locale(HttpServletRequest request) {
        return localeResolver.resolveLocale(request);
    }

    /**
     * Writes a problem straight to the response, for code that runs outside Spring MVC.
     */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String code,
            Object... args) throws IOException {
        write(request, response, problem(status, code, locale(request), args));
    }

    /**
     * Writes a 400 blamed on one field (a query parameter, say) straight to the response.
     */
    public void writeInvalidField(HttpServletRequest request, HttpServletResponse response, String field, String code)
            throws IOException {
        Locale locale = locale(request);
        write(request, response, validation(List.of(new FieldProblem(field, message(code, locale))), locale));
    }

    /**
     * The 400 {@code validation} problem listing every bad field, its message summing
     * them up.
     */
    public ProblemDetail validation(List<FieldProblem> errors, Locale locale) {
        String summary = errors.stream()
            .map(error -> error.field() == null ? error.message() : error.field() + ": " + error.message())
            .collect(Collectors.joining("; "));
        return problem(HttpStatus.BAD_REQUEST, "validation", message("validation", locale, summary), errors);
    }

    private void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        HttpStatusCode status = HttpStatusCode.valueOf(problem.getStatus());
        try {
            problem.setInstance(URI.create(request.getRequestURI()));
        }
        catch (IllegalArgumentException ex) {
            // A path no URI can hold: the problem goes without its instance.
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), asMap(problem));
    }

    /** The problem as the members RFC 9457 names, then its extension members. */
    static Map<String, Object> asMap(ProblemDetail problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        return body;
    }

}
