package dev.kapi.identity.secondfactor;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Second factors: the user types that must have one ({@code KAPI_MFA_REQUIRED_TYPES},
 * e.g. {@code admin}; such a user without one signs in to a session that can only enrol),
 * the issuer name authenticator apps show, how long the {@code mfa_token} of a sign-in's
 * second step lives and how long a mailed sign-in link and code do.
 */
@ConfigurationProperties("kapi.identity.mfa")
public record SecondFactorSettings(@DefaultValue List<String> requiredTypes, @DefaultValue("Kapı") String issuer,
        @DefaultValue("5m") Duration challengeLifetime, @DefaultValue("15m") Duration magicLinkLifetime) {

    boolean required(String userType) {
        return requiredTypes.stream().anyMatch(type -> type.trim().equalsIgnoreCase(userType));
    }
}
