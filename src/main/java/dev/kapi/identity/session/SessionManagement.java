package dev.kapi.identity.session;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.IdentitySettings;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.secondfactor.SecondFactors;
import dev.kapi.identity.signin.PasswordLogin;
import dev.kapi.identity.token.AccessTokens;
import dev.kapi.identity.token.SecretTokens;
import dev.kapi.shared.ApiException;

/**
 * What a signed-in client does with its sessions: refresh its tokens, sign out here or
 * everywhere else, see and end its sessions. A refresh token used twice (outside a short
 * grace for racing clients) is taken as stolen and ends its whole session. A refresh
 * answers a token scoped as the session is now: once an enrolment-only session has
 * enrolled a factor, its next refresh drops the {@code mfa:enrol} scope.
 */
@Service
public class SessionManagement {

    private final Sessions sessions;

    private final RefreshTokens refreshTokens;

    private final AccessTokens accessTokens;

    private final AuditLog audit;

    private final IdentitySettings.SessionRules rules;

    private final TransactionOperations transactions;

    private final Clock clock;

    private final SecondFactors factors;

    SessionManagement(Sessions sessions, RefreshTokens refreshTokens, AccessTokens accessTokens, AuditLog audit,
            IdentitySettings settings, TransactionOperations transactions, Clock clock, SecondFactors factors) {
        this.factors = factors;
        this.transactions = transactions;
        this.sessions = sessions;
        this.refreshTokens = refreshTokens;
        this.accessTokens = accessTokens;
        this.audit = audit;
        this.rules = settings.session();
        this.clock = clock;
    }

    /** One session as its owner sees it. */
    public record OwnSession(Sessions.SessionView session, boolean current) {
    }

    /**
     * Rotates the refresh token. A fresh one costs one statement; a used one is looked at
     * again: within the grace it is served like a fresh one, after it the whole session
     * ends.
     */
    public PasswordLogin.SignedIn refresh(String refreshToken) {
        String successor = SecretTokens.generate();
        Optional<UUID> rotated = refreshTokens.rotate(refreshToken, successor);
        if (rotated.isPresent()) {
            CurrentAccount account = sessions.resolve(rotated.get())
                .orElseThrow(() -> ApiException.unauthorized("refresh-token-invalid"));
            return new PasswordLogin.SignedIn(
                    accessTokens.issue(account.id(), rotated.get(), factors.enrolmentOnly(rotated.get())), successor);
        }
        RefreshTokens.Presented presented = refreshTokens.use(refreshToken)
            .orElseThrow(() -> ApiException.unauthorized("refresh-token-invalid"));
        CurrentAccount account = sessions.resolve(presented.sessionId())
            .orElseThrow(() -> ApiException.unauthorized("refresh-token-invalid"));
        if (presented.previouslyUsedAt() != null
                && clock.instant().isAfter(presented.previouslyUsedAt().plus(rules.refreshReuseGrace()))) {
            transactions.executeWithoutResult(status -> {
                sessions.end(account.id(), presented.sessionId(), "refresh-token-reuse");
                audit.record(AuditType.REFRESH_TOKEN_REUSE, null, account.id(), "session=" + presented.sessionId());
            });
            throw ApiException.unauthorized("refresh-token-reused");
        }
        return new PasswordLogin.SignedIn(
                accessTokens.issue(account.id(), presented.sessionId(), factors.enrolmentOnly(presented.sessionId())),
                refreshTokens.issue(presented.sessionId()));
    }

    @Transactional
    public void logout(CurrentAccount me) {
        sessions.end(me.id(), me.sessionId(), "logout");
        audit.record(AuditType.LOGOUT, me.id(), me.id(), "session=" + me.sessionId());
    }

    @Transactional
    public void endOtherSessions(CurrentAccount me) {
        sessions.endAllOf(me.id(), me.sessionId(), "ended-by-user");
        audit.record(AuditType.SESSIONS_REVOKED, me.id(), me.id(), "all but session=" + me.sessionId());
    }

    /** When and how the caller's session last proved its owner. */
    public Optional<Sessions.Proof> proofOf(CurrentAccount me) {
        return sessions.proof(me.sessionId());
    }

    public List<OwnSession> sessionsOf(CurrentAccount me) {
        return sessions.liveSessionsOf(me.id())
            .stream()
            .map(session -> new OwnSession(session, session.id().equals(me.sessionId())))
            .toList();
    }

    @Transactional
    public void endSession(CurrentAccount me, UUID sessionId) {
        if (!sessions.end(me.id(), sessionId, "ended-by-user")) {
            throw ApiException.notFound("session-not-found");
        }
        audit.record(AuditType.SESSION_REVOKED, me.id(), me.id(), "session=" + sessionId);
    }

}
