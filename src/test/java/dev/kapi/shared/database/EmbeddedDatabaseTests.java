package dev.kapi.shared.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class EmbeddedDatabaseTests {

    @Test
    void keptDatabaseWhenStartedThenOnlyKapisPasswordLogsInAndDataSurvivesARestart(@TempDir Path dataDir)
            throws Exception {
        EmbeddedDatabaseSettings settings = new EmbeddedDatabaseSettings(dataDir, false);
        LocalSecrets secrets = new LocalSecrets(dataDir.resolve("secrets"));
        EmbeddedDatabaseConfiguration configuration = new EmbeddedDatabaseConfiguration();
        String password = HexFormat.of().formatHex(secrets.secret("postgres-password", 24));

        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(settings, secrets)) {
            String url = postgres.getJdbcUrl("postgres", "postgres");
            assertThatExceptionOfType(SQLException.class)
                    .isThrownBy(() -> DriverManager.getConnection(url, "postgres", "").close());
            try (Connection connection = DriverManager.getConnection(url, "postgres", password)) {
                connection.createStatement().execute("CREATE TABLE kept (id int)");
            }
        }
        assertThat(Files.getPosixFilePermissions(dataDir.resolve("secrets")).toString())
                .isEqualTo("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");

        try (EmbeddedPostgres postgres = configuration.embeddedPostgres(settings, secrets);
                Connection connection = DriverManager.getConnection(postgres.getJdbcUrl("postgres", "postgres"),
                        "postgres", password)) {
            assertThat(connection.createStatement().executeQuery("SELECT count(*) FROM kept").next()).isTrue();
        }
    }
}
