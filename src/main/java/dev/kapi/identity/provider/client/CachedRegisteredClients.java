package dev.kapi.identity.provider.client;

import java.time.Duration;
import java.util.Optional;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.kapi.identity.IdentitySettings;
import dev.kapi.shared.CleanText;
import dev.kapi.shared.cluster.ClusterMessages;

/**
 * The provider's {@link RegisteredClientRepository}: {@link RegisteredClientTable} behind
 * a cache, since every token request looks its client up. A change of a client (saved,
 * its secret rotated, deleted) evicts it on every instance at once, over the
 * {@code oauth-clients} topic; a lost connection drops the whole cache.
 */
@Component
public class CachedRegisteredClients implements RegisteredClientRepository, SmartInitializingSingleton {

    /**
     * The client setting naming its ID tokens' algorithm ({@code RS256}, {@code ES256} or
     * {@code EdDSA}, which SAS's own setting cannot hold).
     */
    public static final String ID_TOKEN_ALG = "kapi.id_token_alg";

    private static final String TOPIC = "oauth-clients";

    /** Longer than any id Kapı gives a client (the API refuses longer ones too). */
    private static final int MAX_ID = 100;

    private final RegisteredClientTable table;

    private final ClusterMessages cluster;

    private final Cache<String, Optional<RegisteredClient>> byClientId = Caffeine.newBuilder()
        .maximumSize(10_000)
        .expireAfterWrite(Duration.ofMinutes(10))
        .build();

    private final Cache<String, Optional<RegisteredClient>> byId = Caffeine.newBuilder()
        .maximumSize(10_000)
        .expireAfterWrite(Duration.ofMinutes(10))
        .build();

    CachedRegisteredClients(JdbcOperations jdbc, IdentitySettings identity, ClusterMessages cluster) {
        this.table = new RegisteredClientTable(jdbc, identity);
        this.cluster = cluster;
    }

    @Override
    public void afterSingletonsInstantiated() {
        cluster.subscribe(TOPIC, message -> evictHere(), this::evictHere);
    }

    @Override
    public void save(RegisteredClient client) {
        table.save(client);
        evictEverywhere();
    }

    @Override
    public RegisteredClient findById(String id) {
        return possible(id) ? byId.get(id, key -> Optional.ofNullable(table.findById(key))).orElse(null) : null;
    }

    @Override
    public RegisteredClient findByClientId(String clientId) {
        return possible(clientId)
                ? byClientId.get(clientId, key -> Optional.ofNullable(table.findByClientId(key))).orElse(null) : null;
    }

    /**
     * Whether an id from a request could name a client at all. SAS looks up whatever a
     * request names, before any check of Kapı's: a NUL in a form's {@code client_id}
     * reached PostgreSQL as a 500 before, and every made-up id took a cache entry.
     */
    private static boolean possible(String id) {
        return id != null && !id.isEmpty() && id.length() <= MAX_ID && CleanText.defect(id) == null;
    }

    /** The table itself, for the admin API's reads and writes of Kapı's columns. */
    RegisteredClientTable table() {
        return table;
    }

    /**
     * After a change made around {@link #save}: every instance reads the client again.
     */
    void evictEverywhere() {
        cluster.publish(TOPIC, "changed");
    }

    private void evictHere() {
        byClientId.invalidateAll();
        byId.invalidateAll();
    }

}
