package dev.kapi.admin;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.cluster.ClusterMessages;
import dev.kapi.shared.sealing.SecretSealer;
import dev.kapi.shared.sealing.SecretSealer.SealingException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Restores an archive of {@link Export} into an empty database, in one transaction: the
 * manifest must be of this format and version, of this database's schema version and
 * sealed with a master key this server has; then every table is emptied and loaded with
 * {@code COPY}, parents before children, and the identity sequences continue after the
 * loaded ids. Anything wrong rolls the whole import back. Afterwards every instance drops
 * its caches, since every account and session may have changed.
 */
@Component
class Import {

    /**
     * Tables an empty database may still have rows in: seeded by a migration
     * ({@code user_types}), or written by registering and signing in the admin who
     * imports, or generated at start ({@code signing_keys}). Every other table must be
     * empty, and {@code accounts} may hold one account at most.
     */
    static final Set<String> BOOKKEEPING = Set.of("user_types", "sessions", "refresh_tokens", "one_time_tokens",
            "audit_events", "login_throttle", "rate_limit_buckets", "event_publication", "signing_keys");

    private static final Logger log = LoggerFactory.getLogger(Import.class);

    private final DataSource dataSource;

    private final JsonMapper json;

    private final SecretSealer sealer;

    private final ClusterMessages cluster;

    Import(DataSource dataSource, JsonMapper json, SecretSealer sealer, ClusterMessages cluster) {
        this.dataSource = dataSource;
        this.json = json;
        this.sealer = sealer;
        this.cluster = cluster;
    }

    /** What was restored: how many tables and rows in all. */
    record Summary(int tables, long rows) {
    }

    /** The archive's {@code manifest.json}. */
    record Manifest(String format, Integer version, String createdAt, String schemaVersion, String sealCheck,
            List<Table> tables) {

        record Table(String name, String file, Long rows) {
        }
    }

    @Transactional
    Summary restore(Path archive) {
        try (ZipFile zip = open(archive)) {
            Manifest manifest = manifest(zip);
            Connection connection = DataSourceUtils.getConnection(dataSource);
            checkSchemaAndKey(manifest, connection);
            List<String> tables = Tables.archived(connection);
            Map<String, Manifest.Table> entries = entries(manifest, tables);
            lockAndCheckEmpty(connection, Tables.names(connection));
            long rows = 0;
            for (String table : Tables.loadOrder(connection, tables)) {
                rows += load(connection, zip, entries.get(table));
            }
            restartSequences(connection);
            cluster.publishReset();
            log.info("Imported {} tables, {} rows, exported at {}", entries.size(), rows, manifest.createdAt());
            return new Summary(entries.size(), rows);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Import failed", ex);
        }
        catch (IOException ex) {
            throw ApiException.badRequest("archive-unreadable");
        }
    }

    private static ZipFile open(Path archive) {
        try {
            return new ZipFile(archive.toFile(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw ApiException.badRequest("archive-unreadable");
        }
    }

    private Manifest manifest(ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry("manifest.json");
        if (entry == null) {
            throw ApiException.badRequest("archive-format", Export.VERSION);
        }
        Manifest manifest;
        try (InputStream in = zip.getInputStream(entry)) {
            manifest = json.readValue(in, Manifest.class);
        }
        catch (JacksonException ex) {
            throw ApiException.badRequest("archive-format", Export.VERSION);
        }
        if (manifest == null || !Export.FORMAT.equals(manifest.format())
                || !Objects.equals(Export.VERSION, manifest.version()) || manifest.sealCheck() == null
                || manifest.tables() == null || manifest.tables().stream().anyMatch(Objects::isNull)) {
            throw ApiException.badRequest("archive-format", Export.VERSION);
        }
        return manifest;
    }

    private void checkSchemaAndKey(Manifest manifest, Connection connection) throws SQLException {
        String schemaVersion = Tables.schemaVersion(connection);
        if (!Objects.equals(schemaVersion, manifest.schemaVersion())) {
            throw ApiException.conflict("archive-schema-mismatch", String.valueOf(manifest.schemaVersion()),
                    schemaVersion);
        }
        try {
            if (!Export.SEAL_CHECK.equals(sealer.open(manifest.sealCheck(), Export.SEAL_CONTEXT))) {
                throw ApiException.conflict("archive-master-key");
            }
        }
        catch (SealingException ex) {
            throw ApiException.conflict("archive-master-key");
        }
    }

    /** The manifest's tables by name, which must be exactly this database's. */
    private static Map<String, Manifest.Table> entries(Manifest manifest, List<String> tables) {
        Map<String, Manifest.Table> entries = new HashMap<>();
        for (Manifest.Table entry : manifest.tables()) {
            // Archives of version 1 held Flyway's history; the target keeps its own.
            // Archives made before
            // one-time secrets were left out still hold them: they are not restored.
            if (Tables.FLYWAY_HISTORY.equals(entry.name()) || Tables.ONE_TIME_SECRETS.contains(entry.name())) {
                continue;
            }
            if (!tables.contains(entry.name())) {
                throw ApiException.badRequest("archive-table-unknown", String.valueOf(entry.name()));
            }
            if (entries.put(entry.name(), entry) != null || entry.file() == null || entry.rows() == null) {
                throw ApiException.badRequest("archive-format", Export.VERSION);
            }
        }
        List<String> missing = tables.stream().filter(table -> !entries.containsKey(table)).toList();
        if (!missing.isEmpty()) {
            throw ApiException.badRequest("archive-table-missing", String.join(", ", missing));
        }
        return entries;
    }

    /**
     * Locks every table against other writers, then refuses a database that holds more
     * than bookkeeping and one-time secrets, and empties them all (the secrets are not
     * restored: they stay empty).
     */
    private static void lockAndCheckEmpty(Connection connection, List<String> tables) throws SQLException {
        List<String> sorted = new ArrayList<>(new TreeSet<>(tables));
        List<String> holdingData = new ArrayList<>();
        try (Statement statement = connection.createStatement()) {
            statement.execute("LOCK TABLE " + String.join(", ", sorted.stream().map(Tables::quote).toList())
                    + " IN ACCESS EXCLUSIVE MODE");
            for (String table : sorted) {
                if (BOOKKEEPING.contains(table) || Tables.ONE_TIME_SECRETS.contains(table)) {
                    continue;
                }
                try (var rs = statement.executeQuery(
                        "SELECT count(*) FROM (SELECT 1 FROM " + Tables.quote(table) + " LIMIT 1000) AS sample")) {
                    rs.next();
                    long rows = rs.getLong(1);
                    if (rows > 1 || rows == 1 && !"accounts".equals(table)) {
                        holdingData.add(table);
                    }
                }
            }
            if (!holdingData.isEmpty()) {
                throw ApiException.conflict("archive-database-not-empty", String.join(", ", holdingData));
            }
            statement.execute("TRUNCATE " + String.join(", ", sorted.stream().map(Tables::quote).toList()));
        }
    }

    private static long load(Connection connection, ZipFile zip, Manifest.Table entry)
            throws SQLException, IOException {
        ZipEntry file = zip.getEntry(entry.file());
        if (file == null) {
            throw ApiException.badRequest("archive-table-missing", entry.name());
        }
        List<String> expected = Tables.columns(connection, entry.name());
        List<String> header = header(zip, file);
        if (!header.equals(expected)) {
            throw ApiException.badRequest("archive-columns-mismatch", entry.name(), String.join(", ", header),
                    String.join(", ", expected));
        }
        String table = Tables.quote(entry.name());
        long rows;
        try (Statement statement = connection.createStatement(); InputStream in = zip.getInputStream(file)) {
            // The archive holds what triggers derive (search terms, say); firing them
            // again would duplicate it.
            statement.execute("ALTER TABLE " + table + " DISABLE TRIGGER USER");
            rows = connection.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyIn("COPY " + table + " FROM STDIN WITH (FORMAT csv, HEADER true)", in);
            statement.execute("ALTER TABLE " + table + " ENABLE TRIGGER USER");
        }
        catch (SQLException ex) {
            // The server's message may quote the row; only its position is logged.
            log.info("Import of table {} refused: {}", entry.name(), ex.getSQLState());
            throw ApiException.badRequest("archive-data-invalid", entry.name());
        }
        if (rows != entry.rows()) {
            throw ApiException.badRequest("archive-data-invalid", entry.name());
        }
        return rows;
    }

    /**
     * The column names of a CSV's first line (COPY quotes none of Kapı's column names).
     */
    private static List<String> header(ZipFile zip, ZipEntry file) throws IOException {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(zip.getInputStream(file), StandardCharsets.UTF_8))) {
            String line = reader.readLine();
            if (line == null) {
                return List.of();
            }
            return Arrays.stream(line.split(",", -1)).map(name -> name.replace("\"", "")).toList();
        }
    }

    /** Lets every identity column and serial continue after the largest id loaded. */
    private static void restartSequences(Connection connection) throws SQLException {
        List<String[]> sequences = new ArrayList<>();
        try (Statement statement = connection.createStatement(); var rs = statement.executeQuery("""
                SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name), column_name)
                FROM information_schema.columns
                WHERE table_schema = current_schema()
                  AND pg_get_serial_sequence(quote_ident(table_name), column_name) IS NOT NULL""")) {
            while (rs.next()) {
                sequences.add(new String[] { rs.getString(1), rs.getString(2), rs.getString(3) });
            }
        }
        try (Statement statement = connection.createStatement()) {
            for (String[] sequence : sequences) {
                if (Tables.FLYWAY_HISTORY.equals(sequence[0])) {
                    continue;
                }
                statement.execute("SELECT setval('" + sequence[2].replace("'", "''") + "', coalesce(max("
                        + Tables.quote(sequence[1]) + "), 0) + 1, false) FROM " + Tables.quote(sequence[0]));
            }
        }
    }

}
