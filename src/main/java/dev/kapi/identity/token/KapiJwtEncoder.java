package dev.kapi.identity.token;

import java.net.URL;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jose.jws.JwsAlgorithm;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The {@link JwtEncoder} of the OpenID provider: it signs with the key of
 * {@link SigningKeys} that signs now for the header's algorithm (RS256 when none is
 * named, ES256 or EdDSA when the client asked for it), names it in {@code kid} and keeps
 * the header's {@code typ} ({@code at+jwt}, {@code logout+jwt}; {@code JWT} when none).
 * Unlike {@code NimbusJwtEncoder} it never chooses among several keys of one algorithm,
 * so a rotation's next key, already published, cannot make it fail. Kapı's own
 * {@code /auth} tokens do not pass here ({@link AccessTokens}).
 */
@Component
public final class KapiJwtEncoder implements JwtEncoder {

    private final SigningKeys keys;

    KapiJwtEncoder(SigningKeys keys) {
        this.keys = keys;
    }

    /**
     * The header algorithm for a name: Spring's {@link SignatureAlgorithm} has no
     * {@code EdDSA} (RFC 8037, Ed25519 here), so that one is a {@link JwsAlgorithm} of
     * Kapı's; this encoder signs by the name either way.
     */
    public static JwsAlgorithm algorithm(String name) {
        if (EDDSA.getName().equals(name)) {
            return EDDSA;
        }
        SignatureAlgorithm algorithm = SignatureAlgorithm.from(name);
        if (algorithm == null) {
            throw new IllegalArgumentException("Kapı signs with " + SigningKeys.PROVIDER_ALGORITHMS + ", not " + name);
        }
        return algorithm;
    }

    /** EdDSA with Ed25519 (RFC 8037). */
    private static final JwsAlgorithm EDDSA = () -> "EdDSA";

    @Override
    public Jwt encode(JwtEncoderParameters parameters) {
        JwsHeader requested = parameters.getJwsHeader();
        String algorithm = requested == null || requested.getAlgorithm() == null ? SignatureAlgorithm.RS256.getName()
                : requested.getAlgorithm().getName();
        SigningKeys.SigningKey key;
        try {
            key = keys.current(algorithm);
        }
        catch (IllegalArgumentException ex) {
            throw new JwtEncodingException("Kapı signs with " + SigningKeys.PROVIDER_ALGORITHMS + ", not " + algorithm);
        }
        String type = requested == null || requested.getType() == null ? "JWT" : requested.getType();
        JWSHeader header = new JWSHeader.Builder(key.algorithm()).keyID(key.kid())
            .type(new JOSEObjectType(type))
            .build();
        JwtClaimsSet claims = parameters.getClaims();
        JWTClaimsSet.Builder nimbus = new JWTClaimsSet.Builder();
        claims.getClaims().forEach((name, value) -> nimbus.claim(name, jsonValue(value)));
        SignedJWT jwt = new SignedJWT(header, nimbus.build());
        try {
            jwt.sign(key.signer());
        }
        catch (JOSEException ex) {
            throw new JwtEncodingException("Could not sign with " + key.kid(), ex);
        }
        Map<String, Object> headers = new LinkedHashMap<>(header.toJSONObject());
        return Jwt.withTokenValue(jwt.serialize())
            .headers(all -> all.putAll(headers))
            .claims(all -> all.putAll(claims.getClaims()))
            .build();
    }

    /**
     * What Nimbus writes as JSON: instants as {@link Date} (seconds since the epoch),
     * URLs as their text.
     */
    private static Object jsonValue(Object value) {
        return switch (value) {
            case Instant instant -> Date.from(instant);
            case URL url -> url.toExternalForm();
            default -> value;
        };
    }

}
