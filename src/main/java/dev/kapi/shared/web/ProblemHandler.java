package dev.kapi.shared.web;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.PayloadTooLarge;
import dev.kapi.shared.Problems;
import dev.kapi.shared.RequestBodies;
import dev.kapi.shared.Problems.FieldProblem;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure into the problem body of {@link Problems}: domain errors, invalid
 * input (naming every bad field by its JSON name), unreadable JSON, unknown routes.
 * Anything unexpected is logged here with its stack trace and answered with a plain 500
 * that reveals nothing internal.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    private final Problems problems;

    private final MessageSource messages;

    ProblemHandler(Problems problems, MessageSource messages) {
        this.problems = problems;
        this.messages = messages;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> handleApi(ApiException ex) {
        Locale locale = LocaleContextHolder.getLocale();
        String message = problems.message(ex.code(), locale, ex.args());
        List<FieldProblem> errors = ex.field() == null ? List.of() : List.of(new FieldProblem(ex.field(), message));
        HttpHeaders headers = new HttpHeaders();
        ex.headers().forEach(headers::add);
        return ResponseEntity.status(ex.status())
            .headers(headers)
            .body(problems.problem(ex.status(), ex.code(), message, errors));
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<Object> handleAccessDenied(AccessDeniedException ex) {
        return simple(HttpStatus.FORBIDDEN, "forbidden");
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<Object> handleAuthentication(AuthenticationException ex) {
        return simple(HttpStatus.UNAUTHORIZED, "unauthorized");
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<Object> handleTypeMismatch(MethodArgumentTypeMismatchException ex) {
        return invalid(List.of(fieldProblem(ex.getName(), "invalid-value")));
    }

    /**
     * A query string that is not valid percent-encoding is the client's mistake, whatever
     * the route.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ResponseEntity<Object> handleUndecodableQuery(InvalidParameterException ex) {
        return simple(HttpStatus.BAD_REQUEST, "malformed-query");
    }

    @ExceptionHandler(PayloadTooLarge.class)
    ResponseEntity<Object> handleTooLarge(PayloadTooLarge ex) {
        return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
            .header(HttpHeaders.CONNECTION, "close")
            .body(problems.problem(HttpStatus.PAYLOAD_TOO_LARGE, "payload-too-large", LocaleContextHolder.getLocale(),
                    ex.readableMax()));
    }

    /**
     * Two transactions waited on each other and the database gave up one: the client may
     * simply ask again.
     */
    @ExceptionHandler(PessimisticLockingFailureException.class)
    ResponseEntity<Object> handleLockConflict(PessimisticLockingFailureException ex) {
        log.warn("Lock conflict, answered 503: {}", ex.getMostSpecificCause().toString());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, "1")
            .body(problems.problem(HttpStatus.SERVICE_UNAVAILABLE, "busy", LocaleContextHolder.getLocale()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> handleUnexpected(Exception ex) {
        // A reader may wrap what the capped body stream threw.
        PayloadTooLarge tooLarge = Causes.find(ex, PayloadTooLarge.class);
        if (tooLarge != null) {
            return handleTooLarge(tooLarge);
        }
        log.error("Unexpected failure", ex);
        return simple(HttpStatus.INTERNAL_SERVER_ERROR, "internal");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalid(ex.getBindingResult());
    }

    @ExceptionHandler(RequestBodies.InvalidBody.class)
    ResponseEntity<Object> handleInvalidBody(RequestBodies.InvalidBody ex) {
        return invalid(ex.getBindingResult());
    }

    /**
     * A body Jackson could not map: an unknown field, or a value of the wrong type, named
     * by its path.
     */
    @ExceptionHandler(JacksonException.class)
    ResponseEntity<Object> handleUnmappable(JacksonException ex) {
        CheckedJson.InvalidInput invalid = Causes.find(ex, CheckedJson.InvalidInput.class);
        if (invalid != null) {
            return invalid(List.of(fieldProblem(invalid.field(), invalid.code())));
        }
        if (ex instanceof UnrecognizedPropertyException unknown) {
            return invalid(
                    List.of(fieldProblem(unknown.getPropertyName(), "password_hash".equals(unknown.getPropertyName())
                            ? "password-hash-not-accepted" : "unknown-field")));
        }
        if (!(ex instanceof StreamReadException) && !ex.getPath().isEmpty()) {
            String field = ex.getPath()
                .stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
            return invalid(List.of(fieldProblem(field, "invalid-value")));
        }
        return simple(HttpStatus.BAD_REQUEST, "malformed-json");
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Locale locale = LocaleContextHolder.getLocale();
        List<FieldProblem> errors = new ArrayList<>();
        ex.getParameterValidationResults()
            .forEach(result -> result.getResolvableErrors()
                .forEach(error -> errors.add(new FieldProblem(result.getMethodParameter().getParameterName(),
                        messages.getMessage(error, locale)))));
        return invalid(errors);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return invalid(List.of(fieldProblem(ex.getParameterName(), "required")));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        PayloadTooLarge tooLarge = Causes.find(ex, PayloadTooLarge.class);
        if (tooLarge != null) {
            return handleTooLarge(tooLarge);
        }
        // The outermost Jackson exception knows the field; its own causes (a date
        // parser's, say) do not.
        JacksonException jackson = Causes.find(ex.getCause(), JacksonException.class);
        return jackson != null ? handleUnmappable(jackson) : simple(HttpStatus.BAD_REQUEST, "malformed-json");
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return simple(HttpStatus.NOT_FOUND, "route-not-found");
    }

    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
            .headers(headers)
            .body(problems.problem(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed",
                    LocaleContextHolder.getLocale()));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
            .headers(headers)
            .body(problems.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    LocaleContextHolder.getLocale()));
    }

    /**
     * Whatever Spring MVC answers on its own still gets Kapı's problem shape and a
     * localized message.
     */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        if (request instanceof ServletWebRequest servlet && servlet.getResponse() != null
                && servlet.getResponse().isCommitted()) {
            // Too late for a body (an event stream that timed out, say).
            return null;
        }
        ProblemDetail problem = problems.problem(statusCode, "http-" + statusCode.value(),
                LocaleContextHolder.getLocale());
        return ResponseEntity.status(statusCode).headers(headers).body(problem);
    }

    private ResponseEntity<Object> simple(HttpStatus status, String code) {
        return ResponseEntity.status(status).body(problems.problem(status, code, LocaleContextHolder.getLocale()));
    }

    private ResponseEntity<Object> invalid(BindingResult result) {
        Class<?> target = result.getTarget() == null ? null : result.getTarget().getClass();
        Locale locale = LocaleContextHolder.getLocale();
        List<FieldProblem> errors = new ArrayList<>();
        for (FieldError error : result.getFieldErrors()) {
            errors.add(new FieldProblem(jsonName(target, error.getField()), messages.getMessage(error, locale)));
        }
        result.getGlobalErrors()
            .forEach(error -> errors.add(new FieldProblem(null, messages.getMessage(error, locale))));
        return invalid(errors);
    }

    private ResponseEntity<Object> invalid(List<FieldProblem> errors) {
        return ResponseEntity.badRequest().body(problems.validation(errors, LocaleContextHolder.getLocale()));
    }

    private FieldProblem fieldProblem(String field, String code) {
        return new FieldProblem(field, problems.message(code, LocaleContextHolder.getLocale()));
    }

    /**
     * The name a client used for a field: its {@code @JsonProperty} when it has one; a
     * nested field's path ({@code position_sizing.value}) named segment by segment,
     * without the segment of a record written flat ({@code @JsonUnwrapped}).
     */
    static String jsonName(Class<?> type, String javaName) {
        int dot = javaName.indexOf('.');
        if (dot > 0 && type != null && type.isRecord()) {
            String head = javaName.substring(0, dot);
            // A list's element (rates[2].credits) is named after the list, then its
            // index.
            int bracket = head.indexOf('[');
            String index = bracket > 0 ? head.substring(bracket) : "";
            head = bracket > 0 ? head.substring(0, bracket) : head;
            for (RecordComponent component : type.getRecordComponents()) {
                if (component.getName().equals(head)) {
                    Class<?> next = component.getType();
                    if (!index.isEmpty() && java.util.Collection.class.isAssignableFrom(next)
                            && component.getGenericType() instanceof java.lang.reflect.ParameterizedType generic
                            && generic.getActualTypeArguments()[0] instanceof Class<?> element) {
                        next = element;
                    }
                    String rest = jsonName(next, javaName.substring(dot + 1));
                    // A record's fields written flat into its holder's JSON are named as
                    // they are written.
                    return component.isAnnotationPresent(JsonUnwrapped.class)
                            || component.getAccessor().isAnnotationPresent(JsonUnwrapped.class) ? rest
                                    : jsonName(type, head) + index + "." + rest;
                }
            }
            return javaName;
        }
        if (type == null || !type.isRecord()) {
            return javaName;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getName().equals(javaName)) {
                JsonProperty property = component.getAccessor().getAnnotation(JsonProperty.class);
                if (property == null) {
                    property = component.getAnnotation(JsonProperty.class);
                }
                if (property != null && !property.value().isEmpty()) {
                    return property.value();
                }
            }
        }
        return javaName;
    }

}
