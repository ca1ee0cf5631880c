package dev.kapi.admin;

import java.io.IOException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Streams the whole database as one versioned archive for backups (see {@link Export} for the format). */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class ExportController {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Export export;
    private final Clock clock;

    ExportController(Export export, Clock clock) {
        this.export = export;
        this.clock = clock;
    }

    @GetMapping("/api/admin/export")
    @Operation(summary = "Every table of every module as one ZIP archive (format kapi-export, version 1)")
    void export(HttpServletResponse response) throws IOException {
        response.setContentType("application/zip");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename("kapi-export-" + STAMP.format(clock.instant()) + ".zip").build().toString());
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        export.writeTo(response.getOutputStream());
    }
}
