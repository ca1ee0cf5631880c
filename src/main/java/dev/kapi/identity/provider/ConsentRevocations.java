package dev.kapi.identity.provider;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.identity.OAuthConsentRevoked;

/**
 * A consent taken back takes what the client holds for the account with it: its stored
 * grants of that account, so their access and refresh tokens are inactive at once and the
 * next authorization asks again. Runs in the transaction that removes the consent.
 */
@Component
class ConsentRevocations {

    private final JdbcClient jdbc;

    ConsentRevocations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void on(OAuthConsentRevoked revoked) {
        jdbc.sql("""
                DELETE FROM oauth2_authorization a USING oauth2_registered_client c
                WHERE a.registered_client_id = c.id AND c.client_id = :client AND a.account_id = :account
                """).param("client", revoked.clientId()).param("account", revoked.accountId()).update();
    }

}
