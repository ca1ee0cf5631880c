package dev.kapi.shared.database;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the embedded PostgreSQL and locally generated secrets live
 * ({@code KAPI_DATA_DIR}, default {@code ./data}); {@code ephemeral} keeps both in
 * throw-away places, for tests.
 */
@ConfigurationProperties("kapi.embedded-database")
record EmbeddedDatabaseSettings(@DefaultValue("./data") Path dataDir, boolean ephemeral) {
}
