package dev.kapi.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Keeps identity's tables that only grow from growing for ever: lockout counts that can
 * no longer lock anything (most of them for identifiers nobody has an account for),
 * sessions and one-time tokens a while after they ended, second-factor challenges once
 * expired, the enrol-only marks of sessions that ended, and, when a retention is set, old
 * audit events, the OpenID provider's grants whose tokens all expired, the used client
 * assertions that expired, and external sign-ins' states, link tickets and one-time codes
 * once expired. Every instance may run it: each statement deletes a bounded batch of rows
 * that are dead whoever looks.
 */
@Component
class Housekeeping {

    private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

    private static final int BATCH = 10_000;

    private final JdbcClient jdbc;

    private final IdentitySettings settings;

    private final Clock clock;

    Housekeeping(JdbcClient jdbc, IdentitySettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
    }

    /** Rows removed by one round, per table. */
    record Pruned(long lockouts, long sessions, long oneTimeTokens, long mfaChallenges, long enrolmentSessions,
            long auditEvents, long oauthAuthorizations, long clientAssertions, long externalSignIns) {

        long total() {
            return lockouts + sessions + oneTimeTokens + mfaChallenges + enrolmentSessions + auditEvents
                    + oauthAuthorizations + clientAssertions + externalSignIns;
        }
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    void scheduled() {
        Pruned pruned = prune();
        if (pruned.total() > 0) {
            log.info("Housekeeping removed {}", pruned);
        }
    }

    Pruned prune() {
        Instant now = clock.instant();
        Instant endedBefore = now.minus(settings.housekeeping().keepEnded());
        // A count whose last failure is older than a lock would last starts again from
        // one: it is dead.
        Instant staleBefore = now.minus(settings.lockout().duration());
        long lockouts = deleteAll("""
                DELETE FROM login_throttle WHERE key IN (SELECT key FROM login_throttle
                WHERE (locked_until IS NULL OR locked_until <= :now) AND updated_at <= :stale LIMIT :batch)
                """, "stale", staleBefore, now);
        long sessions = deleteAll("""
                DELETE FROM sessions WHERE id IN (SELECT id FROM sessions
                WHERE expires_at <= :before OR revoked_at <= :before LIMIT :batch)
                """, "before", endedBefore, now);
        long tokens = deleteAll("""
                DELETE FROM one_time_tokens WHERE token_hash IN (SELECT token_hash FROM one_time_tokens
                WHERE expires_at <= :before OR used_at <= :before LIMIT :batch)
                """, "before", endedBefore, now) + deleteAll("""
                DELETE FROM credential_alerts WHERE token_hash IN (SELECT token_hash FROM credential_alerts
                WHERE expires_at <= :before OR used_at <= :before LIMIT :batch)
                """, "before", endedBefore, now);
        // A challenge is good until it expires, used or not; after that it refuses by its
        // absence just as well.
        long challenges = deleteAll("""
                DELETE FROM mfa_challenges WHERE token_hash IN (SELECT token_hash FROM mfa_challenges
                WHERE expires_at <= :before LIMIT :batch)
                """, "before", now, now);
        // The mark goes with its session's row (ON DELETE CASCADE), but an ended session
        // needs it no longer.
        long enrolments = deleteAll("""
                DELETE FROM mfa_enrolment_sessions WHERE session_id IN (SELECT e.session_id
                FROM mfa_enrolment_sessions e JOIN sessions s ON s.id = e.session_id
                WHERE s.revoked_at IS NOT NULL OR s.expires_at <= :now OR s.last_used_at <= :before LIMIT :batch)
                """, "before", now.minus(settings.session().idleTimeout()), now);
        Duration retention = settings.housekeeping().auditRetention();
        long audit = retention == null ? 0 : deleteAll("""
                DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events
                WHERE occurred_at <= :before LIMIT :batch)
                """, "before", now.minus(retention), now);
        // The OpenID provider's grants once their last token expired (a grant of a
        // session
        // that ended already went with the session's row).
        long authorizations = deleteAll("""
                DELETE FROM oauth2_authorization WHERE id IN (SELECT id FROM oauth2_authorization
                WHERE row_expires_at <= :before LIMIT :batch)
                """, "before", now, now);
        // Used client assertions once they expired: a replay fails its exp check by then.
        long assertions = deleteAll("""
                DELETE FROM oauth2_client_assertions_used WHERE (client_id, jti) IN (SELECT client_id, jti
                FROM oauth2_client_assertions_used WHERE expires_at <= :before LIMIT :batch)
                """, "before", now, now);
        // External sign-ins that were started and never came back (and links whose
        // ticket was never opened), and one-time codes never exchanged: each lives
        // minutes and refuses by its expiry, so it goes then, its nonce, PKCE verifier
        // and the app's challenge with it.
        long external = deleteAll("""
                DELETE FROM external_sign_in_states WHERE state_hash IN (SELECT state_hash
                FROM external_sign_in_states WHERE expires_at <= :before LIMIT :batch)
                """, "before", now, now) + deleteAll("""
                DELETE FROM external_sign_in_codes WHERE code_hash IN (SELECT code_hash
                FROM external_sign_in_codes WHERE expires_at <= :before LIMIT :batch)
                """, "before", now, now);
        return new Pruned(lockouts, sessions, tokens, challenges, enrolments, audit, authorizations, assertions,
                external);
    }

    private long deleteAll(String sql, String name, Instant bound, Instant now) {
        long total = 0;
        int removed;
        do {
            removed = jdbc.sql(sql).param(name, utc(bound)).param("now", utc(now)).param("batch", BATCH).update();
            total += removed;
        }
        while (removed == BATCH);
        return total;
    }

}
