package dev.kapi.identity.provider;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.IdentitySettings;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.session.Sessions;

/**
 * The provider's stored authorizations as a bean: {@link KapiAuthorizations} on the
 * registered clients and Kapı's sessions.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationStore {

    @Bean
    KapiAuthorizations kapiAuthorizations(JdbcOperations jdbcOperations, JdbcClient jdbc,
            TransactionOperations transactions, ObjectProvider<RegisteredClientRepository> clients, Sessions sessions,
            AuditLog audit, Clock clock, IdentitySettings settings) {
        return new KapiAuthorizations(jdbcOperations, jdbc, transactions, lazily(clients), sessions, audit, clock,
                settings.session().refreshReuseGrace(), AuthorizationStore::sessionOf);
    }

    /**
     * The Kapı session a signed-in browser's authentication stands for: its principal is
     * the account as every Kapı route sees it.
     */
    static Optional<UUID> sessionOf(Authentication authentication) {
        return authentication.getPrincipal() instanceof CurrentAccount account
                ? Optional.ofNullable(account.sessionId()) : Optional.empty();
    }

    /** The clients, looked up when first needed (their repository may need this bean). */
    private static RegisteredClientRepository lazily(ObjectProvider<RegisteredClientRepository> clients) {
        return new RegisteredClientRepository() {

            @Override
            public void save(RegisteredClient registeredClient) {
                clients.getObject().save(registeredClient);
            }

            @Override
            public RegisteredClient findById(String id) {
                return clients.getObject().findById(id);
            }

            @Override
            public RegisteredClient findByClientId(String clientId) {
                return clients.getObject().findByClientId(clientId);
            }

        };
    }

}
