package dev.kapi.identity;

import java.time.Clock;
import java.time.Duration;

import org.springframework.stereotype.Component;

import dev.kapi.identity.session.Sessions;
import dev.kapi.shared.ApiException;

/**
 * The guard of the changes that would make a stolen access token permanent: adding or
 * removing a factor, regenerating recovery codes, changing the address, deleting the
 * account, minting or revoking service keys, backups, removing another user's factors.
 * They need a proof of the session's owner no older than
 * {@code KAPI_IDENTITY_STEPUP_MAXAGE} (5 minutes): a sign-in, or
 * {@code POST /auth/reauthenticate}. Otherwise 401 {@code reauthentication-required} with
 * RFC 9470's {@code WWW-Authenticate} challenge. A service key has no owner to re-prove:
 * it is refused (403 {@code service-key-not-allowed}) unless a route lets its scope
 * through.
 */
@Component
public class RecentAuthentication {

    private final Sessions sessions;

    private final Clock clock;

    private final Duration maxAge;

    RecentAuthentication(Sessions sessions, Clock clock, IdentitySettings settings) {
        this.sessions = sessions;
        this.clock = clock;
        this.maxAge = settings.stepUp().maxAge();
    }

    /**
     * Passes when the caller's session proved its owner within the maximum age; throws
     * otherwise.
     */
    public void require(CurrentAccount caller) {
        if (caller.sessionId() == null) {
            throw ApiException.forbidden("service-key-not-allowed");
        }
        Sessions.Proof proof = sessions.proof(caller.sessionId())
            .orElseThrow(() -> ApiException.unauthorized("unauthorized"));
        if (clock.instant().isAfter(proof.authTime().plus(maxAge))) {
            // The message names whole minutes, rounded up (a setting under a minute reads
            // "1").
            throw ApiException.unauthorized("reauthentication-required", (maxAge.toSeconds() + 59) / 60)
                .withHeader("WWW-Authenticate",
                        "Bearer error=\"insufficient_user_authentication\", max_age=" + maxAge.toSeconds());
        }
    }

    /**
     * Like {@link #require}, for a session; a service key passes (its scope was checked
     * at the filter).
     */
    public void requireOfPerson(CurrentAccount caller) {
        if (caller.sessionId() != null) {
            require(caller);
        }
    }

}
