package dev.kapi.identity.servicekey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.account.Accounts;
import dev.kapi.identity.token.SecretTokens;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.cluster.ClusterMessages;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * Keys of machine clients: {@code kapi_sk_} and 256 random bits, shown once and kept as
 * their SHA-256. A key carries scopes ({@code introspect}, {@code admin:read},
 * {@code admin:write}, {@code admin:backup}) and acts for the admin who made it, as long
 * as that account is an active, unfrozen admin ({@link #creatorMayAct}). Checking a key
 * costs no query once it and its creator are cached; a revoked key is evicted on every
 * instance at once ({@code service-keys} topic), and so is a frozen, deactivated or
 * demoted creator (the account cache, evicted on every instance by every change of the
 * account). A deleted creator's keys go with the account.
 */
@Component
public class ServiceKeys implements SmartInitializingSingleton {

    static final String PREFIX = "kapi_sk_";
    static final Set<String> SCOPES = Set.of("introspect", "admin:read", "admin:write", "admin:backup");
    static final Duration CACHED_FOR = Duration.ofMinutes(1);

    private static final String TOPIC = "service-keys";

    private final JdbcClient jdbc;

    private final Accounts accounts;

    private final ClusterMessages cluster;

    private final Clock clock;

    private final Cache<String, Optional<ServiceKey>> byHash = Caffeine.newBuilder()
        .maximumSize(10_000)
        .expireAfterWrite(CACHED_FOR)
        .build();

    ServiceKeys(JdbcClient jdbc, Accounts accounts, ClusterMessages cluster, Clock clock) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.cluster = cluster;
        this.clock = clock;
    }

    /** A live key as a request sees it: whom it acts for and what it may do. */
    record ServiceKey(long id, Set<String> scopes, long createdBy, String creatorPublicId) {

        boolean may(String scope) {
            return scopes.contains(scope);
        }
    }

    /** A key as the admin list shows it (never the key itself). */
    record KeyView(long id, String name, String keyPrefix, List<String> scopes, long createdBy, Instant createdAt,
            Instant revokedAt) {
    }

    /** A new key and, this once, its value. */
    record Created(KeyView key, String value) {
    }

    @Override
    public void afterSingletonsInstantiated() {
        cluster.subscribe(TOPIC, message -> byHash.invalidateAll(), byHash::invalidateAll);
    }

    Optional<ServiceKey> resolve(String value) {
        if (value == null || !value.startsWith(PREFIX) || value.length() > 100) {
            return Optional.empty();
        }
        return byHash.get(SecretTokens.hash(value), this::load);
    }

    /**
     * Whether the key's creator may still act through it: an active, unfrozen admin. Read
     * from the account cache, which every change of the account evicts on every instance,
     * so a freeze, deactivation or demotion stops the key at once, and undoing it lets
     * the key work again (it was not revoked).
     */
    boolean creatorMayAct(ServiceKey key) {
        return accounts.byIdCached(key.createdBy())
            .filter(creator -> creator.active() && !creator.frozen() && creator.isAdmin())
            .isPresent();
    }

    Created create(CurrentAccount admin, String name, List<String> scopes) {
        String value = PREFIX + SecretTokens.generate();
        String scopeText = String.join(" ", scopes.stream().distinct().sorted().toList());
        long id = jdbc.sql("""
                INSERT INTO service_keys (name, key_prefix, key_hash, scopes, created_by, created_at)
                VALUES (:name, :prefix, :hash, :scopes, :by, :now) RETURNING id
                """)
            .param("name", name.trim())
            .param("prefix", value.substring(0, PREFIX.length() + 6))
            .param("hash", SecretTokens.hash(value))
            .param("scopes", scopeText)
            .param("by", admin.id())
            .param("now", utc(clock.instant()))
            .query(Long.class)
            .single();
        return new Created(get(id).orElseThrow(), value);
    }

    List<KeyView> list(long afterId, int limit) {
        return jdbc.sql("SELECT * FROM service_keys WHERE id > :after ORDER BY id LIMIT :limit")
            .param("after", afterId)
            .param("limit", limit)
            .query((rs, row) -> view(rs))
            .list();
    }

    Optional<KeyView> get(long id) {
        return jdbc.sql("SELECT * FROM service_keys WHERE id = :id")
            .param("id", id)
            .query((rs, row) -> view(rs))
            .optional();
    }

    /**
     * Revokes the key on every instance at once; false when there is no such live key.
     */
    boolean revoke(long id) {
        int revoked = jdbc.sql("UPDATE service_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
            .param("now", utc(clock.instant()))
            .param("id", id)
            .update();
        if (revoked > 0) {
            cluster.publish(TOPIC, "revoked:" + id);
        }
        return revoked > 0;
    }

    /**
     * The keys of a deleted admin went with the account (ON DELETE CASCADE); their cache
     * entries go too.
     */
    @EventListener
    void on(AccountDeleted deleted) {
        cluster.publish(TOPIC, "account:" + deleted.accountId());
    }

    private Optional<ServiceKey> load(String hash) {
        return jdbc.sql("""
                SELECT k.id, k.scopes, k.created_by, a.public_id
                FROM service_keys k
                JOIN accounts a ON a.id = k.created_by
                WHERE k.key_hash = :hash AND k.revoked_at IS NULL
                """)
            .param("hash", hash)
            .query((rs, row) -> new ServiceKey(rs.getLong("id"), Set.of(rs.getString("scopes").split(" ")),
                    rs.getLong("created_by"), rs.getString("public_id")))
            .optional();
    }

    private static KeyView view(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new KeyView(rs.getLong("id"), rs.getString("name"), rs.getString("key_prefix"),
                Arrays.asList(rs.getString("scopes").split(" ")), rs.getLong("created_by"), instant(rs, "created_at"),
                instant(rs, "revoked_at"));
    }

    static ApiException unknown() {
        return ApiException.notFound("service-key-not-found");
    }

}
