package dev.kapi.admin;

import java.util.List;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.plans.PlanCatalog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The packages an admin can give, for the console's choice list; seed 000's routes edit
 * them.
 */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class AdminPackagesController {

    private final PlanCatalog catalog;

    AdminPackagesController(PlanCatalog catalog) {
        this.catalog = catalog;
    }

    record AdminPackage(long id, String name, String detail, int days,
            List<AdminUserPackagesController.PackageContent> contents) {

        static AdminPackage from(PlanCatalog.PackageView pkg) {
            return new AdminPackage(pkg.id(), pkg.name(), pkg.detail(), pkg.days(),
                    pkg.contents().stream().map(AdminUserPackagesController.PackageContent::from).toList());
        }
    }

    record PackageList(boolean success, int count, List<AdminPackage> data) {
    }

    @GetMapping("/api/admin/packages")
    @Operation(summary = "Every package, by name, with its days and contents")
    PackageList list() {
        List<AdminPackage> packages = catalog.packages().stream().map(AdminPackage::from).toList();
        return new PackageList(true, packages.size(), packages);
    }

}
