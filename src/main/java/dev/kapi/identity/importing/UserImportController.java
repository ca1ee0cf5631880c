package dev.kapi.identity.importing;

import java.io.IOException;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import dev.kapi.shared.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code POST /api/admin/users/import}: users from another system, one JSON object a line
 * ({@code application/x-ndjson}), read as the body streams in. An admin whose session
 * proved its owner in the last minutes, or a service key with {@code admin:write}.
 */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class UserImportController {

    private final UserImports imports;

    private final RecentAuthentication recentAuthentication;

    private final Problems problems;

    UserImportController(UserImports imports, RecentAuthentication recentAuthentication, Problems problems) {
        this.imports = imports;
        this.recentAuthentication = recentAuthentication;
        this.problems = problems;
    }

    @PostMapping(path = "/api/admin/users/import", consumes = "application/x-ndjson")
    @Operation(summary = "Import users (NDJSON, one transaction; dry_run checks only)")
    UserImports.Result importUsers(@AuthenticationPrincipal CurrentAccount admin,
            @RequestParam(name = "dry_run", defaultValue = "false") boolean dryRun,
            @RequestParam(name = "on_existing", defaultValue = "skip") String onExisting, HttpServletRequest request)
            throws IOException {
        recentAuthentication.requireOfPerson(admin);
        UserImports.OnExisting existing = UserImports.OnExisting.of(onExisting);
        return imports.run(UserImports.Importer.of(admin), request.getInputStream(), dryRun, existing);
    }

    @ExceptionHandler(UserImports.Rejected.class)
    ResponseEntity<ProblemDetail> rejected(UserImports.Rejected rejected) {
        Locale locale = LocaleContextHolder.getLocale();
        ProblemDetail problem = problems.problem(HttpStatus.BAD_REQUEST, "import-invalid", locale, rejected.badLines());
        problem.setProperty("lines", rejected.lines());
        problem.setProperty("bad_lines", rejected.badLines());
        return ResponseEntity.badRequest().body(problem);
    }

}
