package dev.kapi.admin;

import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Streams the whole database as one versioned archive for backups (see {@link Export} for
 * the format).
 */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class ExportController {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
        .withZone(ZoneOffset.UTC);

    private final Export export;

    private final Clock clock;

    private final RecentAuthentication recentAuthentication;

    ExportController(Export export, Clock clock, RecentAuthentication recentAuthentication) {
        this.recentAuthentication = recentAuthentication;
        this.export = export;
        this.clock = clock;
    }

    @GetMapping("/api/admin/export")
    @Operation(summary = "Every table of every module as one ZIP archive (format kapi-export, version 1)")
    void export(@AuthenticationPrincipal CurrentAccount caller, HttpServletResponse response) throws IOException {
        // Every account's password hash leaves the server: a person needs a recent proof,
        // a key admin:backup.
        recentAuthentication.requireOfPerson(caller);
        response.setContentType("application/zip");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                ContentDisposition.attachment()
                    .filename("kapi-export-" + STAMP.format(clock.instant()) + ".zip")
                    .build()
                    .toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        export.writeTo(response.getOutputStream());
    }

}
