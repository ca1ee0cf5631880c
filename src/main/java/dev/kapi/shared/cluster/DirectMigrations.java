package dev.kapi.shared.cluster;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.stereotype.Component;

/**
 * Runs Flyway's migrations on the direct connection ({@code KAPI_CLUSTER_LISTEN_URL})
 * when one is set: Flyway holds a session-level advisory lock while it migrates, and
 * through a pooler in transaction mode the lock and its unlock could land on different
 * server connections (the lock then held forever by a pooled session, the next instance's
 * migration waiting on it). An explicit {@code SPRING_FLYWAY_URL} still wins.
 */
@Component
class DirectMigrations implements FlywayConfigurationCustomizer {

    private final ClusterSettings settings;

    private final ObjectProvider<DataSourceProperties> dataSourceProperties;

    private final String flywayUrl;

    DirectMigrations(ClusterSettings settings, ObjectProvider<DataSourceProperties> dataSourceProperties,
            org.springframework.core.env.Environment environment) {
        this.settings = settings;
        this.dataSourceProperties = dataSourceProperties;
        this.flywayUrl = environment.getProperty("spring.flyway.url");
    }

    @Override
    public void customize(org.flywaydb.core.api.configuration.FluentConfiguration configuration) {
        if (!settings.direct() || (flywayUrl != null && !flywayUrl.isBlank())) {
            return;
        }
        DataSourceProperties properties = dataSourceProperties.getIfAvailable();
        configuration.dataSource(settings.listenUrl(),
                settings.listenUsername() != null ? settings.listenUsername()
                        : properties == null ? null : properties.determineUsername(),
                settings.listenPassword() != null ? settings.listenPassword()
                        : properties == null ? null : properties.determinePassword());
    }

}
