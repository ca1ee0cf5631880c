package dev.kapi.identity.account;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongFunction;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.kapi.shared.cluster.ClusterMessages;

/**
 * Accounts as {@code GET /users/me} shows them, kept in process so that the most frequent
 * read costs no query. Every write to an account or to its failed-login count calls
 * {@link #changed}, which evicts the entry on every instance ({@code accounts} topic of
 * {@link ClusterMessages}); the short expiry bounds the damage of a missed message.
 */
@Component
public class AccountCache implements SmartInitializingSingleton {

    private static final String TOPIC = "accounts";

    private final ClusterMessages cluster;

    private final Cache<Long, Account> accounts = Caffeine.newBuilder()
        .maximumSize(100_000)
        .expireAfterWrite(Duration.ofMinutes(5))
        .build();

    AccountCache(ClusterMessages cluster) {
        this.cluster = cluster;
    }

    @Override
    public void afterSingletonsInstantiated() {
        cluster.subscribe(TOPIC, message -> accounts.invalidate(Long.parseLong(message)), accounts::invalidateAll);
    }

    Optional<Account> get(long accountId, LongFunction<Optional<Account>> loader) {
        Account cached = accounts.getIfPresent(accountId);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Account> loaded = loader.apply(accountId);
        loaded.ifPresent(account -> accounts.put(accountId, account));
        return loaded;
    }

    public void changed(long accountId) {
        cluster.publish(TOPIC, Long.toString(accountId));
    }

}
