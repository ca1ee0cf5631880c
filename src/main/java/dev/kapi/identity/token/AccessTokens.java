package dev.kapi.identity.token;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import dev.kapi.identity.IdentitySettings;
import dev.kapi.identity.session.Sessions;
import dev.kapi.shared.PublicUrl;
import dev.kapi.shared.database.LocalSecrets;

/**
 * Access tokens: JWTs that name their account ({@code sub}) and session ({@code sid}),
 * issued by {@code KAPI_PUBLIC_URL} ({@code iss}), signed with the shared HS256 secret
 * or, when {@code KAPI_JWT_ALGORITHM} says so, with the current asymmetric key of
 * {@link SigningKeys} (its {@code kid} in the header). A token of a session that may only
 * enrol a second factor says so in its {@code scope} ({@value #ENROLMENT_SCOPE}), for the
 * services that verify it themselves. A token is only as good as its session; the
 * signature and expiry are checked here, the session by {@link Sessions}.
 */
@Component
public class AccessTokens {

    /** {@link PublicUrl}'s default, as an empty environment binds it. */
    static final String DEFAULT_ISSUER = new Binder().bindOrCreate("kapi", PublicUrl.class).publicUrl();

    private static final int MIN_SECRET_BYTES = 32;

    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    /**
     * The only scope of an enrolment-only session's token: it is no session to any other
     * service.
     */
    static final String ENROLMENT_SCOPE = "mfa:enrol";

    private static final JWSHeader HEADER = new JWSHeader(JWSAlgorithm.HS256);

    /** Claims only a token issued to an OAuth client carries. */
    private static final java.util.List<String> CLIENT_CLAIMS = java.util.List.of("aud", "azp", "client_id");

    private final JWSSigner signer;

    private final JWSVerifier secretVerifier;

    /** Null under HS256. */
    private final SigningKeys keys;

    /** {@code KAPI_JWT_ALGORITHM} when it is asymmetric; null under HS256. */
    private final String asymmetricAlgorithm;

    private final String issuer;

    private final OAuth2TokenValidator<Jwt> validator;

    private final MappedJwtClaimSetConverter claims = MappedJwtClaimSetConverter.withDefaults(Map.of());

    private final Cache<String, Jwt> verified = Caffeine.newBuilder()
        .maximumSize(50_000)
        .expireAfterWrite(Duration.ofMinutes(5))
        .build();

    private final Clock clock;

    private final Duration lifetime;

    /** HS256 tokens of the default issuer, for tests that build this by hand. */
    AccessTokens(IdentitySettings settings, ObjectProvider<LocalSecrets> localSecrets, Clock clock) {
        this(settings, localSecrets, clock, null, DEFAULT_ISSUER);
    }

    @Autowired
    AccessTokens(IdentitySettings settings, ObjectProvider<LocalSecrets> localSecrets, Clock clock,
            SigningSettings signing, SigningKeys keys, PublicUrl site) {
        this(settings, localSecrets, clock, signing.asymmetric() ? keys : null, site.publicUrl(),
                signing.asymmetric() ? signing.algorithm() : null);
    }

    private AccessTokens(IdentitySettings settings, ObjectProvider<LocalSecrets> localSecrets, Clock clock,
            SigningKeys keys, String issuer) {
        this(settings, localSecrets, clock, keys, issuer, null);
    }

    private AccessTokens(IdentitySettings settings, ObjectProvider<LocalSecrets> localSecrets, Clock clock,
            SigningKeys keys, String issuer, String asymmetricAlgorithm) {
        SecretKey key = new SecretKeySpec(secret(settings, localSecrets.getIfAvailable()), "HmacSHA256");
        this.clock = clock;
        this.lifetime = settings.accessTokenLifetime();
        this.signer = signer(key);
        this.keys = keys;
        this.asymmetricAlgorithm = asymmetricAlgorithm;
        this.issuer = issuer;
        try {
            this.secretVerifier = new MACVerifier(key);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("The access token secret is not a usable HS256 key", ex);
        }
        JwtTimestampValidator expiry = new JwtTimestampValidator(CLOCK_SKEW);
        expiry.setClock(clock);
        this.validator = new DelegatingOAuth2TokenValidator<>(expiry, new JwtIssuerValidator(issuer));
    }

    public String issuer() {
        return issuer;
    }

    /** A signed token, valid for the configured lifetime. */
    public record Issued(String value, long expiresInSeconds) {
    }

    /**
     * Signs with Nimbus directly rather than through Spring's {@code NimbusJwtEncoder}:
     * that one selects the key from a JWK source and converts every claim on each call,
     * and its issuer conversion throws and catches an exception for an issuer that is not
     * a URL, such as ours; a refresh is mostly this.
     */
    public Issued issue(long accountId, UUID sessionId) {
        return issue(accountId, sessionId, false);
    }

    /**
     * A token of the session, scoped to {@value #ENROLMENT_SCOPE} when the session may
     * only enrol.
     */
    public Issued issue(long accountId, UUID sessionId, boolean enrolmentOnly) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(issuer)
            .subject(Long.toString(accountId))
            .claim("sid", sessionId.toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .jwtID(UUID.randomUUID().toString());
        if (enrolmentOnly) {
            builder.claim("scope", ENROLMENT_SCOPE);
        }
        JWTClaimsSet claims = builder.build();
        SigningKeys.SigningKey current = keys == null ? null : keys.current();
        SignedJWT jwt = new SignedJWT(current == null ? HEADER : current.header(), claims);
        try {
            jwt.sign(current == null ? signer : current.signer());
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("Could not sign an access token", ex);
        }
        return new Issued(jwt.serialize(), lifetime.toSeconds());
    }

    /**
     * Whether the token was issued to a session that could only enrol a second factor.
     */
    public static boolean enrolmentScoped(Jwt jwt) {
        return ENROLMENT_SCOPE.equals(jwt.getClaimAsString("scope"));
    }

    /**
     * Verifies a token once and remembers the result for that exact string, so that a
     * client's every request does not parse and HMAC it again; expiry, and that its key
     * was not revoked since (an immediate rotation), are still checked on each use.
     * Whether the session lives is not part of this: {@link Sessions} answers that on
     * every request.
     */
    public JwtDecoder decoder() {
        return token -> {
            Jwt jwt = verified.getIfPresent(token);
            if (jwt != null && jwt.getExpiresAt() != null
                    && clock.instant().isBefore(jwt.getExpiresAt().plus(CLOCK_SKEW))
                    && (keys == null || keys.publishes(jwt.getHeaders().get("kid")))) {
                return jwt;
            }
            jwt = verify(token);
            verified.put(token, jwt);
            return jwt;
        };
    }

    /**
     * The signature (HS256 with the secret, or the published key its {@code kid} names,
     * of the configured kind only), then that it is one of Kapı's own access tokens, then
     * expiry and issuer; every failure is a {@link BadJwtException}, a 401. The OpenID
     * provider's ID and access tokens are signed by keys of the same set and name an
     * account and a session too, but they are a client's: a {@code typ} other than
     * {@code JWT} ({@code at+jwt}, {@code logout+jwt}) or an {@code aud}, {@code azp} or
     * {@code client_id} claim marks them, and none of them opens Kapı's API.
     */
    Jwt verify(String token) {
        SignedJWT signed;
        Map<String, Object> claimSet;
        try {
            signed = SignedJWT.parse(token);
            JWSAlgorithm algorithm = signed.getHeader().getAlgorithm();
            JWSVerifier verifier = keys == null ? (JWSAlgorithm.HS256.equals(algorithm) ? secretVerifier : null)
                    : algorithm.getName().equals(asymmetricAlgorithm) ? keys.verifier(signed.getHeader()).orElse(null)
                            : null;
            if (verifier == null || !signed.verify(verifier)) {
                throw new BadJwtException("Signature or key not accepted");
            }
            Map<String, Object> raw = signed.getJWTClaimsSet().getClaims();
            JOSEObjectType type = signed.getHeader().getType();
            if (type != null && !JOSEObjectType.JWT.equals(type) || CLIENT_CLAIMS.stream().anyMatch(raw::containsKey)) {
                throw new BadJwtException("Not an access token of Kapı");
            }
            claimSet = claims.convert(raw);
        }
        catch (java.text.ParseException | JOSEException | IllegalArgumentException | IllegalStateException ex) {
            throw new BadJwtException("Malformed token");
        }
        Jwt jwt = Jwt.withTokenValue(token)
            .headers(headers -> headers.putAll(signed.getHeader().toJSONObject()))
            .claims(all -> all.putAll(claimSet))
            .build();
        OAuth2TokenValidatorResult result = validator.validate(jwt);
        if (result.hasErrors()) {
            throw new JwtValidationException("Token not valid", result.getErrors());
        }
        return jwt;
    }

    private static JWSSigner signer(SecretKey key) {
        try {
            return new MACSigner(key);
        }
        catch (JOSEException ex) {
            throw new IllegalStateException("The access token secret is not a usable HS256 key", ex);
        }
    }

    private static byte[] secret(IdentitySettings settings, LocalSecrets localSecrets) {
        if (StringUtils.hasText(settings.jwtSecret())) {
            byte[] configured = settings.jwtSecret().getBytes(StandardCharsets.UTF_8);
            if (configured.length < MIN_SECRET_BYTES) {
                throw new IllegalStateException("KAPI_JWT_SECRET must be at least " + MIN_SECRET_BYTES
                        + " bytes long; it is " + configured.length + ".");
            }
            return configured;
        }
        return Optional.ofNullable(localSecrets)
            .map(secrets -> secrets.secret("jwt-secret", 64))
            .orElseThrow(() -> new IllegalStateException(
                    "KAPI_JWT_SECRET is not set. It is required when Kapı uses an external database "
                            + "(SPRING_DATASOURCE_URL); only the embedded default generates its own."));
    }

}
