package dev.kapi.identity.provider;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.session.Sessions;
import dev.kapi.identity.token.AccessTokens;
import dev.kapi.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * RFC 7662 token introspection for other services, with a service key of scope
 * {@code introspect}: an access token is active while its signature, expiry and session
 * hold, answered from the same caches as every request (verified tokens, live sessions),
 * so it costs no query on the hot path and an ended session is inactive at once on every
 * instance. A token that may only enrol a second factor (its scope, or its session's
 * mark) is no session to another service: inactive.
 */
@RestController
@Tag(name = "discovery")
class Introspection {

    private static final int MAX_TOKEN = 8192;

    private final JwtDecoder decoder;

    private final Sessions sessions;

    private final SecondFactors factors;

    Introspection(AccessTokens tokens, Sessions sessions, SecondFactors factors) {
        this.decoder = tokens.decoder();
        this.sessions = sessions;
        this.factors = factors;
    }

    /**
     * The form body is read here (the application does not parse forms before routing),
     * within the request body cap of every route.
     */
    @PostMapping(path = "/oauth2/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    @PreAuthorize("hasAuthority('SCOPE_introspect')")
    @Operation(summary = "Whether an access token is live (form field token), RFC 7662; needs a service key")
    ResponseEntity<Map<String, Object>> introspect(@RequestBody(required = false) String form) {
        String token = field(form == null ? "" : form, "token");
        return ResponseEntity.ok()
            .cacheControl(CacheControl.noStore())
            .header("Pragma", "no-cache")
            .body(answer(token));
    }

    private Map<String, Object> answer(String token) {
        Jwt jwt;
        try {
            jwt = decoder.decode(token);
        }
        catch (JwtException ex) {
            return Map.of("active", false);
        }
        UUID sessionId;
        try {
            sessionId = UUID.fromString(String.valueOf(jwt.getClaimAsString("sid")));
        }
        catch (IllegalArgumentException ex) {
            return Map.of("active", false);
        }
        Optional<CurrentAccount> account = sessions.resolve(sessionId)
            .filter(found -> Long.toString(found.id()).equals(jwt.getSubject()));
        if (account.isEmpty() || AccessTokens.enrolmentScoped(jwt) || factors.enrolmentOnly(sessionId)) {
            return Map.of("active", false);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("active", true);
        answer.put("sub", jwt.getSubject());
        answer.put("sid", sessionId.toString());
        answer.put("exp", jwt.getExpiresAt().getEpochSecond());
        answer.put("iat", jwt.getIssuedAt() == null ? null : jwt.getIssuedAt().getEpochSecond());
        answer.put("role", account.get().role());
        answer.put("iss", jwt.getClaimAsString("iss"));
        answer.put("token_type", "Bearer");
        return answer;
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
