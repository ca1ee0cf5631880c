package dev.kapi.identity.provider.client;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.OAuthClientCreated;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.token.SecretTokens;
import dev.kapi.shared.ApiException;

/**
 * Registering the provider's clients: a random {@code client_id}, and for a confidential
 * client a secret of 256 random bits, answered once and kept as its SHA-256
 * ({@link ClientSecretEncoder}); rotating it replaces the hash, so the old secret fails
 * at once on every instance. Every change is audited; a registration is also the webhook
 * event {@code oauth.client.created}.
 */
@Service
class OAuthClients {

    static final String SECRET_PREFIX = "kapi_cs_";

    private final CachedRegisteredClients clients;

    private final ClientSecretEncoder secrets;

    private final ClientTargets targets;

    private final AuditLog audit;

    private final ApplicationEventPublisher events;

    private final Clock clock;

    OAuthClients(CachedRegisteredClients clients, ClientSecretEncoder secrets, ClientTargets targets, AuditLog audit,
            ApplicationEventPublisher events, Clock clock) {
        this.clients = clients;
        this.secrets = secrets;
        this.targets = targets;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    /** A client as the admin API shows it (never its secret). */
    record ClientView(RegisteredClient client, long seq, Long createdBy, Instant createdAt, Instant updatedAt) {

        ClientType type() {
            return client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE) ? ClientType.PUBLIC
                    : ClientType.CONFIDENTIAL;
        }
    }

    /** A client and, this once, its secret (null for a public client). */
    record WithSecret(ClientView client, String secret) {
    }

    @Transactional
    WithSecret create(CurrentAccount admin, ClientDefinition request) {
        ClientDefinition definition = checked(request);
        String secret = definition.type() == ClientType.CONFIDENTIAL ? SECRET_PREFIX + SecretTokens.generate() : null;
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        RegisteredClient client = build(RegisteredClient.withId(id)
            .clientId(SecretTokens.generate().substring(0, 32))
            .clientIdIssuedAt(now)
            .clientSecret(secret == null ? null : secrets.encode(secret)), definition);
        clients.save(client);
        clients.table().created(id, admin.id(), now);
        audit.record(AuditType.OAUTH_CLIENT_CREATED, admin.id(), null, details(client));
        events.publishEvent(new OAuthClientCreated(client.getClientId(), client.getClientName(),
                definition.type().value(), definition.grantTypes(), definition.scopes(), admin.id()));
        return new WithSecret(view(client.getClientId()), secret);
    }

    List<ClientView> list(long beforeSeq, int limit) {
        return clients.table().list(beforeSeq, limit).stream().map(OAuthClients::view).toList();
    }

    ClientView get(String clientId) {
        return find(clientId).orElseThrow(OAuthClients::unknown);
    }

    /**
     * Replaces what the admin describes; the id, type and secret stay (a type is for
     * life: a public client never had a secret to keep).
     */
    @Transactional
    ClientView update(CurrentAccount admin, String clientId, ClientDefinition request) {
        ClientView existing = get(clientId);
        if (request.type() != existing.type()) {
            throw ApiException.invalidField("client_type", "oauth-client-type-fixed");
        }
        ClientDefinition definition = checked(request);
        RegisteredClient client = existing.client();
        RegisteredClient updated = build(RegisteredClient.withId(client.getId())
            .clientId(client.getClientId())
            .clientIdIssuedAt(client.getClientIdIssuedAt())
            .clientSecret(client.getClientSecret()), definition);
        clients.save(updated);
        clients.table().updated(client.getId(), clock.instant());
        audit.record(AuditType.OAUTH_CLIENT_UPDATED, admin.id(), null, details(updated));
        return view(clientId);
    }

    /**
     * A new secret for a confidential client; the old one fails from this commit on, on
     * every instance.
     */
    @Transactional
    WithSecret rotateSecret(CurrentAccount admin, String clientId) {
        ClientView existing = get(clientId);
        if (existing.type() == ClientType.PUBLIC) {
            throw ApiException.conflict("oauth-client-public-no-secret");
        }
        String secret = SECRET_PREFIX + SecretTokens.generate();
        clients.save(RegisteredClient.from(existing.client()).clientSecret(secrets.encode(secret)).build());
        clients.table().updated(existing.client().getId(), clock.instant());
        audit.record(AuditType.OAUTH_CLIENT_SECRET_ROTATED, admin.id(), null, "client=" + clientId);
        return new WithSecret(view(clientId), secret);
    }

    /** Removes the client with its consents and authorizations. */
    @Transactional
    void delete(CurrentAccount admin, String clientId) {
        ClientView existing = get(clientId);
        clients.table().delete(existing.client().getId());
        clients.evictEverywhere();
        audit.record(AuditType.OAUTH_CLIENT_DELETED, admin.id(), null, "client=" + clientId);
    }

    static ApiException unknown() {
        return ApiException.notFound("oauth-client-not-found");
    }

    private Optional<ClientView> find(String clientId) {
        if (clientId == null || clientId.length() > 100) {
            return Optional.empty();
        }
        return clients.table().row("client_id = ?", clientId).map(OAuthClients::view);
    }

    private ClientView view(String clientId) {
        return find(clientId).orElseThrow();
    }

    private static ClientView view(RegisteredClientTable.Row row) {
        return new ClientView(row.client(), row.seq(), row.createdBy(), row.createdAt(), row.updatedAt());
    }

    /** The rules of {@link ClientRules}, then the addresses Kapı will call checked. */
    private ClientDefinition checked(ClientDefinition request) {
        ClientDefinition definition = ClientRules.check(request);
        if (definition.backchannelLogoutUri() != null) {
            targets.check("backchannel_logout_uri", definition.backchannelLogoutUri());
        }
        if (definition.jwksUri() != null) {
            targets.check("jwks_uri", definition.jwksUri());
        }
        return definition;
    }

    private static RegisteredClient build(RegisteredClient.Builder builder, ClientDefinition client) {
        ClientSettings.Builder settings = ClientSettings.builder()
            .requireProofKey(true)
            .requireAuthorizationConsent(client.requireConsent())
            .setting(RegisteredClientTable.ID_TOKEN_ALG, client.idTokenAlg());
        if (client.backchannelLogoutUri() != null) {
            settings.setting(RegisteredClientTable.BACKCHANNEL_LOGOUT_URI, client.backchannelLogoutUri());
        }
        if (client.jwksUri() != null) {
            settings.jwkSetUrl(client.jwksUri());
        }
        return builder.clientName(client.name())
            .clientAuthenticationMethods(methods -> methods.addAll(methods(client)))
            .authorizationGrantTypes(
                    grants -> client.grantTypes().forEach(grant -> grants.add(new AuthorizationGrantType(grant))))
            .redirectUris(uris -> uris.addAll(client.redirectUris()))
            .postLogoutRedirectUris(uris -> uris.addAll(client.postLogoutRedirectUris()))
            .scopes(scopes -> scopes.addAll(client.scopes()))
            .clientSettings(settings.build())
            .tokenSettings(TokenSettings.builder().build())
            .build();
    }

    private static List<ClientAuthenticationMethod> methods(ClientDefinition client) {
        if (client.type() == ClientType.PUBLIC) {
            return List.of(ClientAuthenticationMethod.NONE);
        }
        return client.jwksUri() == null
                ? List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST)
                : List.of(ClientAuthenticationMethod.CLIENT_SECRET_BASIC, ClientAuthenticationMethod.CLIENT_SECRET_POST,
                        ClientAuthenticationMethod.PRIVATE_KEY_JWT);
    }

    private static String details(RegisteredClient client) {
        return "client=" + client.getClientId() + ",grants=" + String.join(" ",
                client.getAuthorizationGrantTypes().stream().map(AuthorizationGrantType::getValue).sorted().toList())
                + ",scopes=" + String.join(" ", client.getScopes().stream().sorted().toList());
    }

}
