package dev.kapi.trading.exchange;

import java.time.Clock;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.sealing.SecretSealer;

/**
 * A user's exchange API keys: stored sealed (AES-GCM under the master key, bound to owner
 * and key id), shown masked, opened only for the runner. Resealing moves every key to the
 * current master key after a rotation.
 */
@Service
public class ApiKeyManagement {

    /** The most API keys one user has: what bounds their list. */
    public static final int MAX_KEYS = 20;

    private static final int RESEAL_PAGE = 200;

    private final ApiKeys keys;

    private final SecretSealer sealer;

    private final Clock clock;

    ApiKeyManagement(ApiKeys keys, SecretSealer sealer, Clock clock) {
        this.keys = keys;
        this.sealer = sealer;
        this.clock = clock;
    }

    @Transactional
    ApiKey create(long ownerId, String exchange, String label, String apiKey, String apiSecret) {
        if (keys.lockedCountOf(ownerId) >= MAX_KEYS) {
            throw ApiException.conflict("api-keys-too-many", MAX_KEYS);
        }
        long id = keys.nextId();
        String context = ApiKey.sealingContext(ownerId, id);
        ApiKey key = new ApiKey(id, ownerId, exchange, label.strip(), apiKey.substring(apiKey.length() - 4),
                sealer.seal(apiKey, context), sealer.seal(apiSecret, context), clock.instant());
        keys.insert(key);
        return key;
    }

    @Transactional(readOnly = true)
    List<ApiKey> list(long ownerId) {
        return keys.ofOwner(ownerId);
    }

    /** Deletes a key no active bot uses; stopped bots that named it become paper bots. */
    @Transactional
    void delete(long ownerId, long id) {
        keys.lock(id, ownerId).orElseThrow(ApiKeyManagement::notFound);
        if (keys.usedByActiveBot(id)) {
            throw ApiException.conflict("api-key-in-use");
        }
        keys.delete(id);
    }

    /** The key opened, for a request to its exchange. */
    @Transactional(readOnly = true)
    public ApiCredentials credentials(long ownerId, long id) {
        ApiKey key = keys.byId(id, ownerId).orElseThrow(ApiKeyManagement::notFound);
        String context = ApiKey.sealingContext(ownerId, id);
        return new ApiCredentials(sealer.open(key.sealedKey(), context), sealer.open(key.sealedSecret(), context));
    }

    /** The key opened with its exchange, for a request to it. */
    @Transactional(readOnly = true)
    public Opened open(long ownerId, long id) {
        ApiKey key = keys.byId(id, ownerId).orElseThrow(ApiKeyManagement::notFound);
        String context = ApiKey.sealingContext(ownerId, id);
        return new Opened(ExchangeName.of(key.exchange()).orElseThrow(),
                new ApiCredentials(sealer.open(key.sealedKey(), context), sealer.open(key.sealedSecret(), context)));
    }

    /** An opened key and the exchange it belongs to. */
    public record Opened(ExchangeName exchange, ApiCredentials credentials) {
    }

    /**
     * Seals again, under the current master key, every key sealed under an older one.
     * Answers how many.
     */
    @Transactional
    Resealed resealAll() {
        int total = 0;
        int resealed = 0;
        long after = 0;
        for (List<ApiKey> page = keys.lockPage(after, RESEAL_PAGE); !page.isEmpty(); page = keys.lockPage(after,
                RESEAL_PAGE)) {
            for (ApiKey key : page) {
                total++;
                if (sealer.needsResealing(key.sealedKey()) || sealer.needsResealing(key.sealedSecret())) {
                    String context = ApiKey.sealingContext(key.ownerId(), key.id());
                    keys.reseal(key.id(), sealer.seal(sealer.open(key.sealedKey(), context), context),
                            sealer.seal(sealer.open(key.sealedSecret(), context), context));
                    resealed++;
                }
                after = key.id();
            }
        }
        return new Resealed(total, resealed);
    }

    public record Resealed(int total, int resealed) {
    }

    static ApiException notFound() {
        return ApiException.notFound("api-key-not-found");
    }

}
