package dev.kapi.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Restores an archive of {@code GET /api/admin/export} into an empty database (see
 * {@link Import}). The archive is the raw request body; it is kept in a temporary file
 * while it is read, because its manifest comes last.
 */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class ImportController {

    private final Import importer;

    private final RecentAuthentication recentAuthentication;

    ImportController(Import importer, RecentAuthentication recentAuthentication) {
        this.recentAuthentication = recentAuthentication;
        this.importer = importer;
    }

    /**
     * The answer: what was restored; the caller's own session is gone with the rest of
     * the old data.
     */
    record Imported(boolean success, int tables, long rows) {

        static Imported from(Import.Summary summary) {
            return new Imported(true, summary.tables(), summary.rows());
        }
    }

    @PostMapping(path = "/api/admin/import", consumes = { "application/zip", "application/octet-stream" })
    @Operation(summary = "Restore an export archive (the request body) into an empty database; "
            + "afterwards only the archive's accounts can sign in")
    Imported importArchive(@AuthenticationPrincipal CurrentAccount caller, InputStream body) throws IOException {
        // Replaces every account: a person needs a recent proof, a key admin:backup.
        recentAuthentication.requireOfPerson(caller);
        Path file = Files.createTempFile("kapi-import-", ".zip");
        try {
            Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
            return Imported.from(importer.restore(file));
        }
        finally {
            Files.deleteIfExists(file);
        }
    }

}
