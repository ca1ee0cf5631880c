package dev.kapi.identity.importing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds of a user import ({@code kapi.identity.import}): at most {@code max-lines} lines
 * of at most {@code max-line-bytes} bytes each; a refused file lists at most
 * {@code max-listed-problems} of its bad lines.
 */
@ConfigurationProperties("kapi.identity.import")
record UserImportSettings(@DefaultValue("200000") int maxLines, @DefaultValue("16384") int maxLineBytes,
        @DefaultValue("1000") int maxListedProblems) {
}
