package dev.kapi.identity.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Client assertions are used once (OpenID Connect Core 9): each needs a {@code jti} of at
 * most {@value #MAX_JTI} characters and an {@code exp} at most {@link #MAX_AHEAD} ahead
 * (with the clock skew SAS's timestamp check allows), and its (client_id, jti) is written
 * to PostgreSQL under a unique key until that {@code exp} (plus the skew) has passed: a
 * second use, on any instance, finds the key taken and is refused. Housekeeping removes
 * the rows that expired.
 */
final class UsedAssertions {

    static final int MAX_JTI = 256;

    /** How far ahead an assertion's {@code exp} may be. */
    static final Duration MAX_AHEAD = Duration.ofMinutes(5);

    /** The skew {@code JwtTimestampValidator} allows past {@code exp}. */
    static final Duration SKEW = Duration.ofSeconds(60);

    private final JdbcClient jdbc;

    private final Clock clock;

    UsedAssertions(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Refuses an assertion of {@code clientId} without jti, too long-lived, or used. */
    OAuth2TokenValidator<Jwt> validator(String clientId) {
        return jwt -> {
            String jti = jwt.getId();
            Instant exp = jwt.getExpiresAt();
            if (jti == null || jti.isBlank() || jti.length() > MAX_JTI) {
                return refused("The client assertion needs a jti of at most " + MAX_JTI + " characters.");
            }
            if (exp == null || exp.isAfter(clock.instant().plus(MAX_AHEAD).plus(SKEW))) {
                return refused("The client assertion may expire at most " + MAX_AHEAD.toMinutes() + " minutes ahead.");
            }
            int written = jdbc.sql("""
                    INSERT INTO oauth2_client_assertions_used (client_id, jti, expires_at)
                    VALUES (:client, :jti, :expires) ON CONFLICT DO NOTHING
                    """).param("client", clientId).param("jti", jti).param("expires", utc(exp.plus(SKEW))).update();
            return written == 1 ? OAuth2TokenValidatorResult.success()
                    : refused("The client assertion was used already.");
        };
    }

    private static OAuth2TokenValidatorResult refused(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, description,
                "https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication"));
    }

}
