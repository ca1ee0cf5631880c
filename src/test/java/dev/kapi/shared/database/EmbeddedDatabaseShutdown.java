package dev.kapi.shared.database;

import java.lang.reflect.Field;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The child JVM of {@link EmbeddedDatabaseTests}: starts the embedded database as Kapı
 * does, then exits; its shutdown hook plays Spring's, whose closing beans still use the
 * database (a graceful shutdown's last requests, the event registry) before the database
 * bean itself is closed: it asks the database once every other hook has finished. Prints
 * what the hook saw.
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
        // Whatever else runs at exit was registered by now (the library's hook, had it
        // one).
        List<Thread> others = shutdownHooks();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // Once every other hook has finished: had one of them stopped the
                // database, it is gone.
                for (Thread other : others) {
                    awaitEnd(other);
                }
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

    /**
     * The shutdown hooks registered so far (the JVM's own list; the parent opens
     * java.lang to this class path).
     */
    @SuppressWarnings("unchecked")
    private static List<Thread> shutdownHooks() throws ReflectiveOperationException {
        Class<?> hooks = Class.forName("java.lang.ApplicationShutdownHooks");
        Field field = hooks.getDeclaredField("hooks");
        field.setAccessible(true);
        synchronized (hooks) {
            return new ArrayList<>(((Map<Thread, Thread>) field.get(null)).keySet());
        }
    }

    /**
     * Waits for a hook to end: the JVM starts every hook before it waits for any, so a
     * hook not yet started is about to be.
     */
    private static void awaitEnd(Thread hook) throws InterruptedException {
        while (hook.getState() == Thread.State.NEW) {
            Thread.onSpinWait();
        }
        hook.join();
    }

}
