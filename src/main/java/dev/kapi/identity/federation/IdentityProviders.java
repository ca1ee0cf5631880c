package dev.kapi.identity.federation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/** The {@code identity_providers} table. */
@Repository
class IdentityProviders {

    private final JdbcClient jdbc;

    IdentityProviders(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** What an admin sets, the secret already sealed. */
    record Fields(String alias, ProviderType type, String displayName, String issuerUri, String clientId,
            String sealedSecret, List<String> scopes, boolean enabled, boolean linkByVerifiedEmail,
            List<String> allowedEmailDomains, boolean trustProviderMfa) {
    }

    IdentityProvider insert(Fields fields, Instant now) {
        long id = jdbc.sql("""
                INSERT INTO identity_providers (alias, type, display_name, issuer_uri, client_id, client_secret, scopes,
                    enabled, link_by_verified_email, allowed_email_domains, trust_provider_mfa, created_at, updated_at)
                VALUES (:alias, :type, :displayName, :issuer, :clientId, :secret, :scopes, :enabled, :link, :domains,
                    :trustMfa, :now, :now)
                RETURNING id
                """).params(params(fields, now)).query(Long.class).single();
        return byId(id).orElseThrow();
    }

    void update(long id, Fields fields, Instant now) {
        jdbc.sql("""
                UPDATE identity_providers SET type = :type, display_name = :displayName, issuer_uri = :issuer,
                    client_id = :clientId, client_secret = :secret, scopes = :scopes, enabled = :enabled,
                    link_by_verified_email = :link, allowed_email_domains = :domains, trust_provider_mfa = :trustMfa,
                    updated_at = :now
                WHERE id = :id
                """).params(params(fields, now)).param("id", id).update();
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM identity_providers WHERE id = :id").param("id", id).update() == 1;
    }

    Optional<IdentityProvider> byAlias(String alias) {
        return jdbc.sql("SELECT * FROM identity_providers WHERE alias = :alias")
            .param("alias", alias)
            .query(IdentityProviders::map)
            .optional();
    }

    Optional<IdentityProvider> byId(long id) {
        return jdbc.sql("SELECT * FROM identity_providers WHERE id = :id")
            .param("id", id)
            .query(IdentityProviders::map)
            .optional();
    }

    /** Every provider, by alias. */
    List<IdentityProvider> all() {
        return jdbc.sql("SELECT * FROM identity_providers ORDER BY alias").query(IdentityProviders::map).list();
    }

    /** The providers the sign-in page offers, by display name. */
    List<IdentityProvider> enabled() {
        return jdbc.sql("SELECT * FROM identity_providers WHERE enabled ORDER BY display_name, alias")
            .query(IdentityProviders::map)
            .list();
    }

    private static java.util.Map<String, Object> params(Fields fields, Instant now) {
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        params.put("alias", fields.alias());
        params.put("type", fields.type().value());
        params.put("displayName", fields.displayName());
        params.put("issuer", fields.issuerUri());
        params.put("clientId", fields.clientId());
        params.put("secret", fields.sealedSecret());
        params.put("scopes", String.join(" ", fields.scopes()));
        params.put("enabled", fields.enabled());
        params.put("link", fields.linkByVerifiedEmail());
        params.put("domains",
                fields.allowedEmailDomains().isEmpty() ? null : String.join(" ", fields.allowedEmailDomains()));
        params.put("trustMfa", fields.trustProviderMfa());
        params.put("now", utc(now));
        return params;
    }

    private static IdentityProvider map(ResultSet rs, int row) throws SQLException {
        String domains = rs.getString("allowed_email_domains");
        return new IdentityProvider(rs.getLong("id"), rs.getString("alias"),
                ProviderType.of(rs.getString("type")).orElseThrow(), rs.getString("display_name"),
                rs.getString("issuer_uri"), rs.getString("client_id"), rs.getString("client_secret"),
                words(rs.getString("scopes")), rs.getBoolean("enabled"), rs.getBoolean("link_by_verified_email"),
                words(domains), rs.getBoolean("trust_provider_mfa"), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    private static List<String> words(String value) {
        return value == null || value.isBlank() ? List.of() : Arrays.asList(value.trim().split(" +"));
    }

}
