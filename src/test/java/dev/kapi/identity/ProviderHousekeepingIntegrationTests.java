package dev.kapi.identity;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

import dev.kapi.identity.token.SecretTokens;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The provider's stored grants and used client assertions do not grow for ever: a row
 * goes once its last token (its assertion) expired, and not before.
 */
class ProviderHousekeepingIntegrationTests extends IntegrationTest {

    @Autowired
    private RegisteredClientRepository clients;

    @Autowired
    private OAuth2AuthorizationService authorizations;

    @Autowired
    private Housekeeping housekeeping;

    @Autowired
    private JdbcClient jdbc;

    @Test
    void aGrantWhoseTokensAllExpiredIsRemovedAndALiveOneStays() {
        RegisteredClient client = RegisteredClient.withId(UUID.randomUUID().toString())
            .clientId("housekeeping-" + UUID.randomUUID())
            .clientName("Housekeeping")
            .clientSecret("{noop}unused")
            .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .scope("reports.read")
            .build();
        clients.save(client);
        String dying = save(client, Duration.ofMinutes(30));
        String living = save(client, Duration.ofHours(2));

        clock.advance(Duration.ofHours(1));
        Housekeeping.Pruned pruned = housekeeping.prune();

        assertThat(pruned.oauthAuthorizations()).isPositive();
        assertThat(exists(dying)).isFalse();
        assertThat(exists(living)).isTrue();
    }

    @Test
    void aUsedClientAssertionIsForgottenOnceExpiredAndNotBefore() {
        String client = "housekeeping-" + UUID.randomUUID();
        used(client, "expired", clock.instant().minus(Duration.ofMinutes(1)));
        used(client, "live", clock.instant().plus(Duration.ofMinutes(5)));

        Housekeeping.Pruned pruned = housekeeping.prune();

        assertThat(pruned.clientAssertions()).isPositive();
        assertThat(jdbc.sql("SELECT jti FROM oauth2_client_assertions_used WHERE client_id = :client")
            .param("client", client)
            .query(String.class)
            .list()).containsExactly("live");
    }

    private void used(String client, String jti, java.time.Instant expires) {
        jdbc.sql("INSERT INTO oauth2_client_assertions_used (client_id, jti, expires_at) VALUES (:c, :j, :e)")
            .param("c", client)
            .param("j", jti)
            .param("e", dev.kapi.shared.SqlTime.utc(expires))
            .update();
    }

    private String save(RegisteredClient client, Duration lifetime) {
        var now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        OAuth2Authorization authorization = OAuth2Authorization.withRegisteredClient(client)
            .id(UUID.randomUUID().toString())
            .principalName(client.getClientId())
            .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
            .authorizedScopes(Set.of("reports.read"))
            .accessToken(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, SecretTokens.generate(), now,
                    now.plus(lifetime), Set.of("reports.read")))
            .build();
        authorizations.save(authorization);
        return authorization.getId();
    }

    private boolean exists(String id) {
        return jdbc.sql("SELECT count(*) FROM oauth2_authorization WHERE id = :id")
            .param("id", id)
            .query(Long.class)
            .single() > 0;
    }

}
