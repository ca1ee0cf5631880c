package dev.kapi.admin;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.AccountAdministration;
import dev.kapi.plans.PlanCatalog;
import dev.kapi.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * A user's packages for the admin console, in seed 004's envelope and camelCase: list
 * them, give one, take one away. The same plans rules as seed 000's {@code u_package}
 * model.
 */
@RestController
@RequestMapping("/api/admin/users/{userId}/packages")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class AdminUserPackagesController {

    private final AccountAdministration accounts;

    private final PlanCatalog catalog;

    AdminUserPackagesController(AccountAdministration accounts, PlanCatalog catalog) {
        this.accounts = accounts;
        this.catalog = catalog;
    }

    record AssignPackage(@NotNull Long packageId, Instant startsAt) {
    }

    record PackageContent(long id, String name, String contentValue) {

        static PackageContent from(PlanCatalog.Content content) {
            return new PackageContent(content.id(), content.name(), content.contentValue());
        }
    }

    record AdminUserPackage(long id, long packageId, String packageName, Instant startsAt, Instant endsAt,
            boolean active, List<PackageContent> contents, Instant createdAt) {

        static AdminUserPackage from(PlanCatalog.UserPackage pkg) {
            return new AdminUserPackage(pkg.id(), pkg.packageId(), pkg.packageName(), pkg.startsAt(), pkg.endsAt(),
                    pkg.active(), pkg.contents().stream().map(PackageContent::from).toList(), pkg.createdAt());
        }
    }

    record PackageList(boolean success, int count, List<AdminUserPackage> data) {
    }

    record OnePackage(boolean success, AdminUserPackage data) {
    }

    @GetMapping
    @Operation(summary = "The user's packages, latest start first, each with its contents and whether it is active")
    PackageList list(@PathVariable String userId) {
        List<AdminUserPackage> packages = catalog.packagesOf(accounts.idOf(userId))
            .stream()
            .map(AdminUserPackage::from)
            .toList();
        return new PackageList(true, packages.size(), packages);
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Give the user a package from startsAt (default now) for the package's days")
    OnePackage assign(@PathVariable String userId, @Valid @RequestBody AssignPackage request) {
        return new OnePackage(true,
                AdminUserPackage.from(catalog.assign(accounts.idOf(userId), request.packageId(), request.startsAt())));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Take a package away from the user")
    void remove(@PathVariable String userId, @PathVariable long id) {
        long owner = accounts.idOf(userId);
        catalog.userPackageById(id)
            .filter(pkg -> pkg.accountId() == owner)
            .orElseThrow(() -> ApiException.notFound("user-package-not-found"));
        catalog.deleteUserPackage(id);
    }

}
