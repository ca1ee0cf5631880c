package dev.kapi.identity;

import java.time.Duration;

/**
 * Identity settings with the documented defaults, for unit tests that build classes by
 * hand.
 */
public final class TestSettings {

    private TestSettings() {
    }

    public static IdentitySettings identity(String jwtSecret, String adminSecret) {
        return new IdentitySettings(jwtSecret, adminSecret, Duration.ofMinutes(30),
                new IdentitySettings.SessionRules(Duration.ofDays(7), Duration.ofDays(30), Duration.ofSeconds(10)),
                new IdentitySettings.Lockout(5, Duration.ofMinutes(15)),
                new IdentitySettings.Password(8, 256, "bcrypt", 4, 0, Duration.ofSeconds(5), 2, null,
                        Duration.ofSeconds(2)),
                new IdentitySettings.Tokens(Duration.ofHours(24), Duration.ofMinutes(30), Duration.ofDays(7)),
                new IdentitySettings.Housekeeping(Duration.ofDays(7), null),
                new IdentitySettings.StepUp(Duration.ofMinutes(5)));
    }

}
