package dev.kapi.identity;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import dev.kapi.shared.cluster.ClusterMessages;

/**
 * Identity's caches across instances: an ended session or a changed account is announced
 * on the {@code identity} topic of {@link ClusterMessages} and evicted on every instance.
 */
@Component
class CacheInvalidations implements SmartInitializingSingleton {

    private static final String TOPIC = "identity";

    private final ClusterMessages cluster;

    private final Sessions sessions;

    private final AccountCache accounts;

    CacheInvalidations(ClusterMessages cluster, @Lazy Sessions sessions, @Lazy AccountCache accounts) {
        this.cluster = cluster;
        this.sessions = sessions;
        this.accounts = accounts;
    }

    @Override
    public void afterSingletonsInstantiated() {
        cluster.subscribe(TOPIC, this::apply, () -> {
            sessions.evictAll();
            accounts.evictAll();
        });
    }

    /**
     * Sends the message to every instance, this one included (here right after commit).
     */
    void announce(String message) {
        cluster.publish(TOPIC, message);
    }

    private void apply(String message) {
        if (message.startsWith("account:")) {
            accounts.evict(Long.parseLong(message.substring("account:".length())));
        }
        else {
            sessions.apply(message);
        }
    }

}
