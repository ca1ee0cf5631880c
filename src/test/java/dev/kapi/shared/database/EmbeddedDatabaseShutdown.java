package dev.kapi.shared.database;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The child JVM of {@link EmbeddedDatabaseTests}: starts the embedded database as Kapı
 * does, then exits; its shutdown hook plays Spring's, whose closing beans still use the
 * database (a graceful shutdown's last requests, the event registry) before the database
 * bean itself is closed. Prints what the hook saw.
 */
final class EmbeddedDatabaseShutdown {

    private EmbeddedDatabaseShutdown() {
    }

    public static void main(String[] args) throws Exception {
        // Ephemeral, as in the tests: a throw-away data directory of the library's,
        // removed by close.
        EmbeddedPostgres postgres = new EmbeddedDatabaseConfiguration()
            .embeddedPostgres(new EmbeddedDatabaseSettings(Path.of("."), true), new LocalSecrets(null));
        String url = postgres.getJdbcUrl("postgres", "postgres");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // Longer than the database takes to stop, had anything else stopped it at
                // exit.
                Thread.sleep(1_500);
                try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                        ResultSet result = connection.createStatement().executeQuery("SELECT 42")) {
                    result.next();
                    System.out.println("database answered " + result.getInt(1));
                }
            }
            catch (Exception ex) {
                System.out.println("database gone: " + ex.getMessage());
            }
            finally {
                try {
                    postgres.close();
                    System.out.println("database closed");
                }
                catch (Exception ex) {
                    System.out.println("close failed: " + ex.getMessage());
                }
            }
        }));
        System.exit(0);
    }

}
