package dev.kapi.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
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

import dev.kapi.shared.sealing.SecretSealer;

import tools.jackson.databind.json.JsonMapper;

/**
 * Writes every table of every module as one ZIP archive: {@code manifest.json} (format
 * {@code kapi-export}, version 2, the schema's migration version, a check value sealed
 * with the master key and each table's row count) and one {@code tables/<name>.csv} per
 * table (see {@link Tables}), written by PostgreSQL's {@code COPY} in CSV with a header.
 * All tables are read in one read-only repeatable-read transaction, so the archive is one
 * consistent snapshot. Values are copied as stored: sealed secrets stay sealed, and
 * {@link Import} needs the same master key, which the check value proves. One-time
 * secrets (sign-in links and codes, reset, verification and refresh tokens, second-factor
 * challenges, passkey ceremonies) are never written.
 */
@Component
class Export {

    static final String FORMAT = "kapi-export";
    static final int VERSION = 2;

    /** The plaintext of the manifest's {@code sealCheck}, sealed in this context. */
    static final String SEAL_CHECK = "kapi-export";
    static final String SEAL_CONTEXT = "kapi-export:seal-check";

    private final DataSource dataSource;

    private final JsonMapper json;

    private final SecretSealer sealer;

    private final Clock clock;

    Export(DataSource dataSource, JsonMapper json, SecretSealer sealer, Clock clock) {
        this.dataSource = dataSource;
        this.json = json;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** What was written: how many tables and rows in all. */
    record Summary(int tables, long rows) {
    }

    Summary writeTo(OutputStream out) throws IOException {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                // The transaction's own characteristics, as its first statement: the
                // driver's
                // setTransactionIsolation/setReadOnly would change the session's defaults
                // instead, with a
                // statement of its own that a pooler in transaction mode (PgBouncer) may
                // run on another
                // server connection than this transaction's, and leave there for other
                // clients.
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
                Summary summary = write(connection, out);
                connection.commit();
                return summary;
            }
            finally {
                connection.rollback();
                connection.setAutoCommit(autoCommit);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Export failed", ex);
        }
    }

    private Summary write(Connection connection, OutputStream out) throws SQLException, IOException {
        ZipOutputStream zip = new ZipOutputStream(out, StandardCharsets.UTF_8);
        List<Map<String, Object>> tables = new ArrayList<>();
        long total = 0;
        for (String table : Tables.archived(connection)) {
            zip.putNextEntry(new ZipEntry("tables/" + table + ".csv"));
            long rows = connection.unwrap(PGConnection.class)
                .getCopyAPI()
                .copyOut("COPY " + Tables.quote(table) + " TO STDOUT WITH (FORMAT csv, HEADER true)",
                        new Unclosable(zip));
            total += rows;
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
        manifest.put("schemaVersion", Tables.schemaVersion(connection));
        manifest.put("sealCheck", sealer.seal(SEAL_CHECK, SEAL_CONTEXT));
        manifest.put("tables", tables);
        zip.putNextEntry(new ZipEntry("manifest.json"));
        zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        zip.closeEntry();
        zip.finish();
        zip.flush();
        return new Summary(tables.size(), total);
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
