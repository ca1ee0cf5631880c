package dev.kapi.shared.database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

import com.zaxxer.hikari.HikariDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Kapı's default database: a real PostgreSQL started inside the process when no
 * {@code spring.datasource.url} is configured, so that a fresh machine needs nothing
 * installed. Its data lives under {@code KAPI_DATA_DIR} and survives restarts; tests run
 * it ephemeral.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedDatabaseConfiguration.NoDataSourceUrl.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EmbeddedDatabaseSettings settings, LocalSecrets secrets) throws IOException {
        String password = password(secrets);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
            .setServerConfig("max_connections", "200")
            .setServerConfig("listen_addresses", "127.0.0.1")
            .setLocaleConfig("encoding", "UTF8")
            .setConnectConfig("password", password)
            // Stopped by this bean's close, after everything that uses the database is
            // closed: the library's
            // own shutdown hook would stop it at the same time as Spring's, under a
            // graceful shutdown's
            // last requests and the beans that write while they close.
            .setRegisterShutdownHook(false);
        if (settings.ephemeral()) {
            return builder.start();
        }
        Path dir = settings.dataDir().resolve("postgres").toAbsolutePath();
        Files.createDirectories(dir);
        // The embedded builder turns synchronous_commit off; data that is kept must not
        // lose a committed
        // revocation or refresh-token rotation to a crash. With 16 concurrent refreshes
        // this measured no
        // slower (PostgreSQL flushes concurrent commits together). Throw-away test
        // databases keep it off.
        builder.setDataDirectory(dir).setCleanDataDirectory(false).setServerConfig("synchronous_commit", "on");
        log.info("Starting embedded PostgreSQL with data in {}", dir);
        EmbeddedPostgres postgres = builder.start();
        requirePassword(postgres, dir, password);
        return postgres;
    }

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres, LocalSecrets secrets) {
        return DataSourceBuilder.create()
            .type(HikariDataSource.class)
            .url(postgres.getJdbcUrl("postgres", "postgres"))
            .username("postgres")
            .password(password(secrets))
            .build();
    }

    @Bean
    LocalSecrets localSecrets(EmbeddedDatabaseSettings settings) {
        return new LocalSecrets(settings.ephemeral() ? null : settings.dataDir().resolve("secrets"));
    }

    private static String password(LocalSecrets secrets) {
        return HexFormat.of().formatHex(secrets.secret("postgres-password", 24));
    }

    /**
     * initdb leaves every local login trusted. A kept database is switched, once, to a
     * password that only Kapı knows (kept with its other secrets), so other users of the
     * machine cannot log in as the superuser. Tests' throw-away databases stay as initdb
     * made them.
     */
    private static void requirePassword(EmbeddedPostgres postgres, Path dir, String password) throws IOException {
        Path hba = dir.resolve("pg_hba.conf");
        String rules = Files.readString(hba);
        if (!rules.lines().anyMatch(line -> !line.startsWith("#") && line.contains("trust"))) {
            return;
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER USER postgres PASSWORD '" + password + "'");
            Files.writeString(hba,
                    rules.lines()
                        .map(line -> line.startsWith("#") ? line : line.replace("trust", "scram-sha-256"))
                        .collect(Collectors.joining("\n", "", "\n")));
            statement.execute("SELECT pg_reload_conf()");
        }
        catch (SQLException ex) {
            throw new IOException("Could not protect the embedded database with a password", ex);
        }
        log.info("The embedded PostgreSQL now requires the password kept in the secrets directory");
    }

    static final class NoDataSourceUrl implements Condition {

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }

    }

}
