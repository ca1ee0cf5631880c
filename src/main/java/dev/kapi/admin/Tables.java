package dev.kapi.admin;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The tables an archive holds, read from the catalog: every base table of the schema
 * except Flyway's history (each database keeps its own; the manifest names the migration
 * version instead) and the one-time secrets ({@link #ONE_TIME_SECRETS}), their columns as
 * {@code COPY} writes them (generated columns are left out and computed again on import),
 * and an order in which loading them satisfies every foreign key.
 */
final class Tables {

    static final String FLYWAY_HISTORY = "flyway_schema_history";

    /**
     * Identity's one-time secrets, never archived: mailed links and codes, reset and
     * verification tokens ({@code one_time_tokens}), refresh tokens, second-factor
     * challenges, passkey ceremonies and the "this was not me" links of new-credential
     * alerts ({@code credential_alerts}). Each lives minutes to weeks and lets its bearer
     * in; a backup is read by more people and kept longer than the database, and a
     * restored database does without them (users sign in again, ask for a new mail).
     */
    static final Set<String> ONE_TIME_SECRETS = Set.of("one_time_tokens", "refresh_tokens", "mfa_challenges",
            "passkey_ceremonies", "credential_alerts");

    private Tables() {
    }

    /**
     * Every table of the database but Flyway's history, by name: those an import empties.
     */
    static List<String> names(Connection connection) throws SQLException {
        List<String> names = strings(connection, """
                SELECT table_name FROM information_schema.tables
                WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                ORDER BY table_name""");
        names.remove(FLYWAY_HISTORY);
        return names;
    }

    /** The archived tables, by name: {@link #names} without the one-time secrets. */
    static List<String> archived(Connection connection) throws SQLException {
        return names(connection).stream().filter(table -> !ONE_TIME_SECRETS.contains(table)).toList();
    }

    /**
     * The given tables ({@link #names}), each after the tables its foreign keys point to.
     */
    static List<String> loadOrder(Connection connection, List<String> tables) throws SQLException {
        Map<String, Set<String>> parents = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("""
                SELECT child.relname, parent.relname FROM pg_constraint c
                JOIN pg_class child ON child.oid = c.conrelid
                JOIN pg_class parent ON parent.oid = c.confrelid
                WHERE c.contype = 'f' AND c.conrelid <> c.confrelid
                  AND child.relnamespace = current_schema()::regnamespace""")) {
            while (rs.next()) {
                parents.computeIfAbsent(rs.getString(1), name -> new HashSet<>()).add(rs.getString(2));
            }
        }
        Set<String> remaining = new TreeSet<>(tables);
        Set<String> ordered = new LinkedHashSet<>();
        while (!remaining.isEmpty()) {
            List<String> ready = remaining.stream()
                .filter(table -> parents.getOrDefault(table, Set.of())
                    .stream()
                    .allMatch(parent -> ordered.contains(parent) || !tables.contains(parent)))
                .toList();
            if (ready.isEmpty()) {
                throw new IllegalStateException("Foreign keys form a cycle among " + remaining);
            }
            ordered.addAll(ready);
            ready.forEach(remaining::remove);
        }
        return List.copyOf(ordered);
    }

    /** The columns {@code COPY} writes and reads for a table, in its order. */
    static List<String> columns(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = ? AND is_generated = 'NEVER'
                ORDER BY ordinal_position""")) {
            statement.setString(1, table);
            try (ResultSet rs = statement.executeQuery()) {
                List<String> columns = new ArrayList<>();
                while (rs.next()) {
                    columns.add(rs.getString(1));
                }
                return columns;
            }
        }
    }

    /** The newest migration applied to this database. */
    static String schemaVersion(Connection connection) throws SQLException {
        List<String> versions = strings(connection, """
                SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL
                ORDER BY installed_rank DESC LIMIT 1""");
        return versions.isEmpty() ? null : versions.getFirst();
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

}
