package dev.kapi.identity.federation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/** The {@code external_identities} table: who an account is at each provider. */
@Repository
class ExternalIdentities {

    private final JdbcClient jdbc;

    ExternalIdentities(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** An identity linked to an account. */
    record Identity(long id, long accountId, String alias, String subject, String email, Instant linkedAt) {
    }

    private static final String SELECT = """
            SELECT i.*, p.alias FROM external_identities i JOIN identity_providers p ON p.id = i.provider_id
            """;

    Optional<Identity> byProviderAndSubject(long providerId, String subject) {
        return jdbc.sql(SELECT + " WHERE i.provider_id = :provider AND i.subject = :subject")
            .param("provider", providerId)
            .param("subject", subject)
            .query(ExternalIdentities::map)
            .optional();
    }

    boolean accountHasProvider(long accountId, long providerId) {
        return jdbc
            .sql("SELECT count(*) FROM external_identities WHERE account_id = :account AND provider_id = :provider")
            .param("account", accountId)
            .param("provider", providerId)
            .query(Long.class)
            .single() > 0;
    }

    List<Identity> of(long accountId) {
        return jdbc.sql(SELECT + " WHERE i.account_id = :account ORDER BY i.linked_at, i.id")
            .param("account", accountId)
            .query(ExternalIdentities::map)
            .list();
    }

    Identity link(long accountId, long providerId, String subject, String email, Instant now) {
        long id = jdbc.sql("""
                INSERT INTO external_identities (account_id, provider_id, subject, email, linked_at)
                VALUES (:account, :provider, :subject, :email, :now)
                RETURNING id
                """)
            .param("account", accountId)
            .param("provider", providerId)
            .param("subject", subject)
            .param("email", email)
            .param("now", utc(now))
            .query(Long.class)
            .single();
        return jdbc.sql(SELECT + " WHERE i.id = :id").param("id", id).query(ExternalIdentities::map).single();
    }

    /** Locks the account's identities for a removal that must leave one way in. */
    List<Identity> lockAll(long accountId) {
        return jdbc.sql(SELECT + " WHERE i.account_id = :account ORDER BY i.id FOR UPDATE OF i")
            .param("account", accountId)
            .query(ExternalIdentities::map)
            .list();
    }

    boolean unlink(long accountId, long id) {
        return jdbc.sql("DELETE FROM external_identities WHERE id = :id AND account_id = :account")
            .param("id", id)
            .param("account", accountId)
            .update() == 1;
    }

    private static Identity map(ResultSet rs, int row) throws SQLException {
        return new Identity(rs.getLong("id"), rs.getLong("account_id"), rs.getString("alias"), rs.getString("subject"),
                rs.getString("email"), instant(rs, "linked_at"));
    }

}
