package dev.kapi.shared.cluster;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.StringUtils;

/**
 * The direct connection to PostgreSQL ({@code KAPI_CLUSTER_LISTEN_URL}) for what a pooler
 * in transaction mode (PgBouncer) cannot carry: the {@code LISTEN} of
 * {@link ClusterMessages}, which lives as long as its session, and Flyway's migrations,
 * which hold a session-level advisory lock. Empty: both use the datasource, as with no
 * pooler. The user and password are the datasource's unless given here.
 */
@ConfigurationProperties("kapi.cluster")
public record ClusterSettings(String listenUrl, String listenUsername, String listenPassword) {

    public boolean direct() {
        return StringUtils.hasText(listenUrl);
    }
}
