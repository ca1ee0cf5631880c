package dev.kapi.identity.provider.consent;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.OAuthConsentRevoked;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.shared.ApiException;

import static dev.kapi.shared.SqlTime.instant;

/**
 * A user's own consents: which clients were given which scopes, and taking one back.
 * Taking one back removes it ({@code oauth-consent-revoked} in the audit, the webhook
 * event {@code oauth.consent.revoked}) and publishes {@link OAuthConsentRevoked}, so what
 * the client holds for the account goes too; the client asks again next time.
 */
@Service
class Consents {

    /** More than any installation registers clients. */
    static final int MAX_LISTED = 500;

    private static final String SCOPE_PREFIX = "SCOPE_";

    private final JdbcClient jdbc;

    private final AuditLog audit;

    private final ApplicationEventPublisher events;

    Consents(JdbcClient jdbc, AuditLog audit, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.events = events;
    }

    /** One consent as its user sees it. */
    record Consent(String clientId, String clientName, List<String> scopes, Instant grantedAt) {
    }

    /** The account's consents, the latest first. */
    List<Consent> of(long accountId) {
        return jdbc.sql("""
                SELECT c.client_id, c.client_name, a.authorities, a.granted_at
                FROM oauth2_authorization_consent a JOIN oauth2_registered_client c ON c.id = a.registered_client_id
                WHERE a.principal_name = :principal
                ORDER BY a.granted_at DESC, c.client_id
                LIMIT :limit
                """)
            .param("principal", Long.toString(accountId))
            .param("limit", MAX_LISTED)
            .query((rs, row) -> new Consent(rs.getString("client_id"), rs.getString("client_name"),
                    scopes(rs.getString("authorities")), instant(rs, "granted_at")))
            .list();
    }

    /** Takes the consent back; 404 when the account gave this client none. */
    @Transactional
    void revoke(long accountId, String clientId) {
        int removed = clientId.length() > 100 ? 0 : jdbc.sql("""
                DELETE FROM oauth2_authorization_consent
                WHERE principal_name = :principal
                AND registered_client_id = (SELECT id FROM oauth2_registered_client WHERE client_id = :client)
                """).param("principal", Long.toString(accountId)).param("client", clientId).update();
        if (removed == 0) {
            throw ApiException.notFound("oauth-consent-not-found");
        }
        audit.record(AuditType.OAUTH_CONSENT_REVOKED, accountId, accountId, "client=" + clientId);
        events.publishEvent(new OAuthConsentRevoked(accountId, clientId));
    }

    /**
     * The scopes among SAS's authorities ({@code SCOPE_openid,SCOPE_email}); other
     * authorities are not scopes.
     */
    private static List<String> scopes(String authorities) {
        return Arrays.stream(authorities.split(","))
            .map(String::strip)
            .filter(authority -> authority.startsWith(SCOPE_PREFIX))
            .map(authority -> authority.substring(SCOPE_PREFIX.length()))
            .sorted()
            .toList();
    }

}
