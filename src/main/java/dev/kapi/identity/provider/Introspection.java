package dev.kapi.identity.provider;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * RFC 7662 token introspection for other services, with a service key of scope
 * {@code introspect}: an access token is active while its signature, expiry and session
 * hold, answered from the same caches as every request (verified tokens, live sessions),
 * so it costs no query on the hot path and an ended session is inactive at once on every
 * instance. A token that may only enrol a second factor (its scope, or its session's
 * mark) is no session to another service: inactive. The provider's access and refresh
 * tokens, of any client, are answered too (their stored grant, live while its Kapı
 * session lives). A client's own credentials are answered by Spring Authorization
 * Server's endpoint, with {@link ClientIntrospection}'s rule.
 */
@RestController
@Tag(name = "discovery")
class Introspection {

    private static final int MAX_TOKEN = 8192;

    private final Introspector introspector;

    Introspection(Introspector introspector) {
        this.introspector = introspector;
    }

    /**
     * The form body is read here (the application does not parse forms before routing),
     * within the request body cap of every route.
     */
    @PostMapping(path = "/oauth2/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_introspect')")
    @Operation(summary = "Whether an access or refresh token is live (form field token), RFC 7662; "
            + "needs a service key (or a client's own credentials)")
    ResponseEntity<Map<String, Object>> introspect(@RequestBody(required = false) String form) {
        String token = field(form == null ? "" : form, "token");
        return ResponseEntity.ok()
            .cacheControl(CacheControl.noStore())
            .header("Pragma", "no-cache")
            .body(answer(token));
    }

    /** Kapı's own token first (no query), then the provider's, of any client. */
    private Map<String, Object> answer(String token) {
        return introspector.kapiToken(token)
            .or(() -> introspector.providerToken(token).map(granted -> Introspector.json(granted.introspection())))
            .orElse(Map.of("active", false));
    }

    /**
     * The one value of a form field; a field given twice, missing, or not form encoding
     * is a 400 naming it.
     */
    static String field(String form, String name) {
        String value = null;
        for (String pair : form.split("&")) {
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals), name);
            if (key.equals(name)) {
                if (value != null) {
                    throw ApiException.invalidField(name, "invalid-value");
                }
                value = equals < 0 ? "" : decode(pair.substring(equals + 1), name);
            }
        }
        if (value == null || value.isBlank()) {
            throw ApiException.invalidField(name, "required");
        }
        if (value.length() > MAX_TOKEN) {
            throw ApiException.invalidField(name, "invalid-value");
        }
        return value;
    }

    private static String decode(String text, String field) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException ex) {
            throw ApiException.invalidField(field, "invalid-value");
        }
    }

}
