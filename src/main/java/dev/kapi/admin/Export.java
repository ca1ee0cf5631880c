package dev.kapi.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes every table of every module as one ZIP archive: {@code manifest.json} (format {@code kapi-export},
 * version 1, the schema's migration version and each table's row count) and one {@code tables/<name>.csv}
 * per table, written by PostgreSQL's {@code COPY} in CSV with a header. All tables are read in one
 * read-only repeatable-read transaction, so the archive is one consistent snapshot. Values are copied as
 * stored: sealed secrets stay sealed and need the same master key after an import.
 */
@Component
class Export {

    static final String FORMAT = "kapi-export";
    static final int VERSION = 1;

    private final DataSource dataSource;
    private final JsonMapper json;
    private final Clock clock;

    Export(DataSource dataSource, JsonMapper json, Clock clock) {
        this.dataSource = dataSource;
        this.json = json;
        this.clock = clock;
    }

    void writeTo(OutputStream out) throws IOException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            try {
                write(connection, out);
                connection.commit();
            }
            finally {
                connection.rollback();
                connection.setReadOnly(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                connection.setAutoCommit(autoCommit);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Export failed", ex);
        }
    }

    private void write(Connection connection, OutputStream out) throws SQLException, IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        List<Map<String, Object>> tables = new ArrayList<>();
        for (String table : tables(connection)) {
            zip.putNextEntry(new ZipEntry("tables/" + table + ".csv"));
            long rows = connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY \"" + table + "\" TO STDOUT WITH (FORMAT csv, HEADER true)", new Unclosable(zip));
            zip.closeEntry();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", table);
            entry.put("file", "tables/" + table + ".csv");
            entry.put("rows", rows);
            tables.add(entry);
        }
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", FORMAT);
        manifest.put("version", VERSION);
        manifest.put("createdAt", clock.instant().toString());
        manifest.put("schemaVersion", schemaVersion(connection));
        manifest.put("tables", tables);
        zip.putNextEntry(new ZipEntry("manifest.json"));
        zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        zip.closeEntry();
        zip.finish();
        zip.flush();
    }

    private static List<String> tables(Connection connection) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT table_name FROM information_schema.tables
                        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
                        ORDER BY table_name""")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static String schemaVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("""
                        SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL
                        ORDER BY installed_rank DESC LIMIT 1""")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Lets COPY write into the current ZIP entry without closing the archive. */
    private static final class Unclosable extends java.io.FilterOutputStream {

        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() {
            try {
                flush();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
