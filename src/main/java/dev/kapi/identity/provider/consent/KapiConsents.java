package dev.kapi.identity.provider.consent;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsent;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.OAuthConsentGranted;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;

import static dev.kapi.shared.SqlTime.utc;

/**
 * The provider's {@link OAuth2AuthorizationConsentService}: Spring Authorization Server's
 * table, with when a consent was first given ({@code granted_at}) and last widened
 * ({@code updated_at}). The principal name is the account id (a number, which the table
 * checks: a deleted account takes its consents with it). Storing a consent that adds
 * scopes is audited ({@code oauth-consent-granted}) and is the webhook event
 * {@code oauth.consent.granted}.
 */
@Component
public class KapiConsents implements OAuth2AuthorizationConsentService {

    private final JdbcOAuth2AuthorizationConsentService store;

    private final RegisteredClientRepository clients;

    private final JdbcClient jdbc;

    private final AuditLog audit;

    private final ApplicationEventPublisher events;

    private final Clock clock;

    KapiConsents(JdbcOperations operations, JdbcClient jdbc, RegisteredClientRepository clients, AuditLog audit,
            ApplicationEventPublisher events, Clock clock) {
        this.store = new JdbcOAuth2AuthorizationConsentService(operations, clients);
        this.clients = clients;
        this.jdbc = jdbc;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void save(OAuth2AuthorizationConsent consent) {
        OAuth2AuthorizationConsent before = store.findById(consent.getRegisteredClientId(), consent.getPrincipalName());
        store.save(consent);
        Instant now = clock.instant();
        jdbc.sql("""
                UPDATE oauth2_authorization_consent
                SET updated_at = :now, granted_at = CASE WHEN :first THEN :now ELSE granted_at END
                WHERE registered_client_id = :client AND principal_name = :principal
                """)
            .param("now", utc(now))
            .param("first", before == null)
            .param("client", consent.getRegisteredClientId())
            .param("principal", consent.getPrincipalName())
            .update();
        boolean widened = before == null || !before.getScopes().containsAll(consent.getScopes());
        RegisteredClient client = clients.findById(consent.getRegisteredClientId());
        if (widened && client != null) {
            long accountId = Long.parseLong(consent.getPrincipalName());
            List<String> scopes = consent.getScopes().stream().sorted().toList();
            audit.record(AuditType.OAUTH_CONSENT_GRANTED, accountId, accountId,
                    "client=" + client.getClientId() + ",scopes=" + String.join(" ", scopes));
            events.publishEvent(new OAuthConsentGranted(accountId, client.getClientId(), scopes));
        }
    }

    @Override
    public void remove(OAuth2AuthorizationConsent consent) {
        store.remove(consent);
    }

    @Override
    public OAuth2AuthorizationConsent findById(String registeredClientId, String principalName) {
        return store.findById(registeredClientId, principalName);
    }

}
