package dev.kapi.trading.exchange;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The API key table. Every read by id is also by owner, so another user's key is simply
 * not there.
 */
@Repository
public class ApiKeys {

    private static final String SELECT = """
            SELECT id, owner_id, exchange, label, key_last4, sealed_key, sealed_secret, created_at FROM trading_api_keys
            """;

    private final JdbcClient jdbc;

    ApiKeys(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The id the next key gets, known before its insert so that it can be part of the
     * sealing context.
     */
    long nextId() {
        return jdbc.sql("SELECT nextval(pg_get_serial_sequence('trading_api_keys', 'id'))").query(Long.class).single();
    }

    void insert(ApiKey key) {
        jdbc.sql(
                """
                        INSERT INTO trading_api_keys (id, owner_id, exchange, label, key_last4, sealed_key, sealed_secret, created_at)
                        VALUES (:id, :owner, :exchange, :label, :last4, :sealedKey, :sealedSecret, :createdAt)
                        """)
            .param("id", key.id())
            .param("owner", key.ownerId())
            .param("exchange", key.exchange())
            .param("label", key.label())
            .param("last4", key.keyLast4())
            .param("sealedKey", key.sealedKey())
            .param("sealedSecret", key.sealedSecret())
            .param("createdAt", utc(key.createdAt()))
            .update();
    }

    /**
     * How many keys the owner has, counted under a lock on the owner's keys held until
     * the transaction ends.
     */
    int lockedCountOf(long ownerId) {
        jdbc.sql("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
            .param("key", "trading-api-keys:" + ownerId)
            .query((rs, row) -> 1)
            .single();
        return jdbc.sql("SELECT count(*) FROM trading_api_keys WHERE owner_id = :owner")
            .param("owner", ownerId)
            .query(Integer.class)
            .single();
    }

    List<ApiKey> ofOwner(long ownerId) {
        return jdbc.sql(SELECT + " WHERE owner_id = :owner ORDER BY id")
            .param("owner", ownerId)
            .query(ApiKeys::map)
            .list();
    }

    Optional<ApiKey> byId(long id, long ownerId) {
        return jdbc.sql(SELECT + " WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", ownerId)
            .query(ApiKeys::map)
            .optional();
    }

    /**
     * The key, locked until the transaction ends: against a bot starting with it while it
     * is deleted.
     */
    Optional<ApiKey> lock(long id, long ownerId) {
        return jdbc.sql(SELECT + " WHERE id = :id AND owner_id = :owner FOR UPDATE")
            .param("id", id)
            .param("owner", ownerId)
            .query(ApiKeys::map)
            .optional();
    }

    /** The key, shared-locked: it cannot be deleted before the transaction ends. */
    public Optional<ApiKey> share(long id, long ownerId) {
        return jdbc.sql(SELECT + " WHERE id = :id AND owner_id = :owner FOR SHARE")
            .param("id", id)
            .param("owner", ownerId)
            .query(ApiKeys::map)
            .optional();
    }

    boolean usedByActiveBot(long id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM trading_bots WHERE api_key_id = :id AND active)")
            .param("id", id)
            .query(Boolean.class)
            .single();
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM trading_api_keys WHERE id = :id").param("id", id).update();
    }

    public void deleteOf(long ownerId) {
        jdbc.sql("DELETE FROM trading_api_keys WHERE owner_id = :owner").param("owner", ownerId).update();
    }

    /** A page of every owner's keys after {@code afterId}, locked for resealing. */
    List<ApiKey> lockPage(long afterId, int size) {
        return jdbc.sql(SELECT + " WHERE id > :after ORDER BY id LIMIT :size FOR UPDATE")
            .param("after", afterId)
            .param("size", size)
            .query(ApiKeys::map)
            .list();
    }

    void reseal(long id, String sealedKey, String sealedSecret) {
        jdbc.sql("UPDATE trading_api_keys SET sealed_key = :key, sealed_secret = :secret WHERE id = :id")
            .param("key", sealedKey)
            .param("secret", sealedSecret)
            .param("id", id)
            .update();
    }

    private static ApiKey map(ResultSet rs, int row) throws SQLException {
        return new ApiKey(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("exchange"), rs.getString("label"),
                rs.getString("key_last4"), rs.getString("sealed_key"), rs.getString("sealed_secret"),
                instant(rs, "created_at"));
    }

}
