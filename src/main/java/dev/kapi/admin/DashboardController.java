package dev.kapi.admin;

import java.time.LocalDate;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Seed 001's admin dashboard in one answer ({@link DashboardReport}). */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class DashboardController {

    private final DashboardReport report;

    DashboardController(DashboardReport report) {
        this.report = report;
    }

    record DashboardAnswer(boolean success, DashboardReport.Dashboard data) {
    }

    @GetMapping("/api/admin/dashboard")
    @Operation(
            summary = "Active users, sign-ups and logins per day, traffic, usage per user, queue, bot and request counts")
    DashboardAnswer dashboard(
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int top) {
        return new DashboardAnswer(true, report.of(from, to, top));
    }

}
