package dev.kapi.identity.token;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How access tokens are signed: {@code algorithm} is {@code HS256} (the shared secret,
 * the default), {@code ES256}, {@code EdDSA} (Ed25519) or {@code RS256} (keys Kapı
 * generates and rotates every {@code rotation}); a new key is published
 * {@code publish-lead} before it signs.
 */
@ConfigurationProperties("kapi.identity.signing")
public record SigningSettings(@DefaultValue("HS256") String algorithm, @DefaultValue("30d") Duration rotation,
        @DefaultValue("1h") Duration publishLead) {

    public SigningSettings {
        if (!java.util.List.of("HS256", "ES256", "EdDSA", "RS256").contains(algorithm)) {
            throw new IllegalArgumentException(
                    "KAPI_JWT_ALGORITHM must be HS256, ES256, EdDSA or RS256, not " + algorithm);
        }
        if (rotation.compareTo(Duration.ofMinutes(10)) < 0 || publishLead.isNegative()
                || publishLead.compareTo(rotation) >= 0) {
            throw new IllegalArgumentException("KAPI_JWT_ROTATION must be at least 10m and longer than the "
                    + "publish lead (kapi.identity.signing.publish-lead)");
        }
    }

    public boolean asymmetric() {
        return !"HS256".equals(algorithm);
    }
}
