package dev.kapi.identity.provider.client;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.ConfigurationSettingNames;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

import dev.kapi.identity.IdentitySettings;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * Spring Authorization Server's registered-client table with Kapı's columns: SAS writes
 * and reads its own columns; Kapı's ({@code backchannel_logout_uri},
 * {@code id_token_alg}, {@code jwks_uri}) are read into the client's settings
 * ({@value #BACKCHANNEL_LOGOUT_URI}, {@value #ID_TOKEN_ALG}, SAS's {@code jwk-set-url})
 * and written from them, never into SAS's JSON. The policy that is Kapı's, not the
 * client's, is applied on every read, so a changed setting reaches every client: PKCE
 * always, codes for 60 seconds, access tokens for {@code access-token-lifetime}, refresh
 * tokens rotated and living as long as a session may.
 */
final class RegisteredClientTable extends JdbcRegisteredClientRepository {

    /** The client's back-channel logout URI, if any (a String). */
    static final String BACKCHANNEL_LOGOUT_URI = "kapi.backchannel_logout_uri";

    /** The algorithm of the client's ID tokens: RS256 or ES256 (a String). */
    static final String ID_TOKEN_ALG = CachedRegisteredClients.ID_TOKEN_ALG;

    static final Duration CODE_LIFETIME = Duration.ofSeconds(60);

    private static final String SELECT = "SELECT * FROM oauth2_registered_client WHERE ";

    private final IdentitySettings identity;

    RegisteredClientTable(JdbcOperations jdbc, IdentitySettings identity) {
        super(jdbc);
        this.identity = identity;
    }

    /** A client with what the admin API shows beside it. */
    record Row(RegisteredClient client, long seq, Long createdBy, Instant createdAt, Instant updatedAt) {
    }

    @Override
    public RegisteredClient findById(String id) {
        return row("id = ?", id).map(Row::client).orElse(null);
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return row("client_id = ?", clientId).map(Row::client).orElse(null);
    }

    /**
     * Saves SAS's columns as SAS does, then Kapı's from the client's settings; the
     * settings Kapı keeps in columns are left out of SAS's JSON.
     */
    @Override
    public void save(RegisteredClient client) {
        ClientSettings settings = client.getClientSettings();
        Map<String, Object> own = new HashMap<>(settings.getSettings());
        own.remove(BACKCHANNEL_LOGOUT_URI);
        own.remove(ID_TOKEN_ALG);
        own.remove(ConfigurationSettingNames.Client.JWK_SET_URL);
        super.save(RegisteredClient.from(client).clientSettings(ClientSettings.withSettings(own).build()).build());
        getJdbcOperations().update(
                "UPDATE oauth2_registered_client SET backchannel_logout_uri = ?, id_token_alg = ?, jwks_uri = ? "
                        + "WHERE id = ?",
                settings.<String>getSetting(BACKCHANNEL_LOGOUT_URI),
                Optional.ofNullable(settings.<String>getSetting(ID_TOKEN_ALG)).orElse("RS256"), settings.getJwkSetUrl(),
                client.getId());
    }

    Optional<Row> row(String filter, Object argument) {
        return getJdbcOperations().query(SELECT + filter, rowMapper(), argument).stream().findFirst();
    }

    /**
     * Clients newest first (the one just registered is on the first page), after the one
     * numbered {@code beforeSeq}.
     */
    List<Row> list(long beforeSeq, int limit) {
        return getJdbcOperations().query(SELECT + "seq < ? ORDER BY seq DESC LIMIT ?", rowMapper(), beforeSeq, limit);
    }

    /** Marks who made the client and when; called once, after its first save. */
    void created(String id, Long createdBy, Instant at) {
        getJdbcOperations().update(
                "UPDATE oauth2_registered_client SET created_by = ?, created_at = ?, updated_at = ? WHERE id = ?",
                createdBy, utc(at), utc(at), id);
    }

    void updated(String id, Instant at) {
        getJdbcOperations().update("UPDATE oauth2_registered_client SET updated_at = ? WHERE id = ?", utc(at), id);
    }

    /**
     * Removes the client, with its consents and authorizations (their foreign keys
     * cascade).
     */
    boolean delete(String id) {
        return getJdbcOperations().update("DELETE FROM oauth2_registered_client WHERE id = ?", id) > 0;
    }

    private RowMapper<Row> rowMapper() {
        RowMapper<RegisteredClient> sas = getRegisteredClientRowMapper();
        return (rs, row) -> new Row(withKapiPolicy(sas.mapRow(rs, row), rs), rs.getLong("seq"),
                (Long) rs.getObject("created_by", Long.class), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private RegisteredClient withKapiPolicy(RegisteredClient client, ResultSet rs) throws SQLException {
        String algorithm = rs.getString("id_token_alg");
        ClientSettings.Builder settings = ClientSettings.withSettings(client.getClientSettings().getSettings())
            .requireProofKey(true)
            .setting(ID_TOKEN_ALG, algorithm);
        String backchannel = rs.getString("backchannel_logout_uri");
        if (backchannel != null) {
            settings.setting(BACKCHANNEL_LOGOUT_URI, backchannel);
        }
        String jwks = rs.getString("jwks_uri");
        if (jwks != null) {
            // private_key_jwt: SAS verifies a client assertion only with an algorithm
            // named
            // here (none named: every assertion is invalid_client, the keys never
            // fetched).
            settings.jwkSetUrl(jwks).tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.RS256);
        }
        TokenSettings tokens = TokenSettings.withSettings(client.getTokenSettings().getSettings())
            .authorizationCodeTimeToLive(CODE_LIFETIME)
            .accessTokenTimeToLive(identity.accessTokenLifetime())
            .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
            .reuseRefreshTokens(false)
            .refreshTokenTimeToLive(identity.session().absoluteLifetime())
            // SAS's algorithms have no EdDSA: such a client's ID tokens are given theirs
            // by the token customizer (ID_TOKEN_ALG).
            .idTokenSignatureAlgorithm(Optional.ofNullable(SignatureAlgorithm.from(String.valueOf(algorithm)))
                .orElse(SignatureAlgorithm.RS256))
            .build();
        return RegisteredClient.from(client).clientSettings(settings.build()).tokenSettings(tokens).build();
    }

}
