package dev.kapi.shared.database;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

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

    /**
     * The JVM exits (SIGTERM, or the end of a test run): the embedded database stays up
     * for whatever still closes and is stopped by its bean's close, not by a shutdown
     * hook of its own racing Spring's (which failed the last writes and held the test JVM
     * 30 s waiting for a connection).
     */
    @Test
    void jvmExitingThenTheDatabaseOutlivesTheShutdownOfWhatUsesIt() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                EmbeddedDatabaseShutdown.class.getName())
            .redirectErrorStream(true)
            .start();
        assertThat(child.waitFor(2, TimeUnit.MINUTES)).as("the child exited").isTrue();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(output).contains("database answered 42", "database closed").doesNotContain("database gone");
    }

}
