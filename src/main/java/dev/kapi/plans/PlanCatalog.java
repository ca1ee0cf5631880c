package dev.kapi.plans;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Packages, their contents and the packages given to accounts (seed 000's model types 1
 * package, 2 package_content and 3 u_package). Content values must belong to the
 * configured catalogue. Failures are {@link dev.kapi.shared.ApiException}s with the codes
 * named on each method.
 */
public interface PlanCatalog {

    /** One content of a package: a label and the catalogue value it grants. */
    record Content(long id, long packageId, String name, String contentValue) {
    }

    record PackageView(long id, String name, String detail, int days, List<Content> contents, Instant createdAt,
            Instant updatedAt) {
    }

    /**
     * A package given to an account for {@code [startsAt, endsAt)}; {@code active} as of
     * the clock's now, {@code contents} those of the package today.
     */
    record UserPackage(long id, long accountId, long packageId, String packageName, Instant startsAt, Instant endsAt,
            boolean active, List<Content> contents, Instant createdAt) {
    }

    /** A content to add; a blank {@code name} takes the content value as its label. */
    record NewContent(String name, String contentValue) {
    }

    /**
     * A package to create: {@code name} and {@code days} (1 to 36500) are required,
     * contents optional.
     */
    record NewPackage(String name, String detail, Integer days, List<NewContent> contents) {
    }

    /**
     * Creates a package with its contents. 409 {@code package-name-taken} when the name
     * is taken (ignoring case); 400 naming the field ({@code name}, {@code days},
     * {@code package_contents[i].content_value} with {@code content-value-unknown}) on
     * invalid input.
     */
    PackageView createPackage(NewPackage pkg);

    Optional<PackageView> packageById(long id);

    /** The package with this name, ignoring case. */
    Optional<PackageView> packageByName(String name);

    /** Every package, by name. */
    List<PackageView> packages();

    /**
     * Changes the given fields: {@code name}, {@code detail}, {@code days},
     * {@code package_contents} (replaces all contents). Any other key: 400
     * {@code unknown-field} naming it. 404 {@code package-not-found}.
     */
    PackageView updatePackage(long id, Map<String, Object> changes);

    /**
     * 404 {@code package-not-found}; 409 {@code package-in-use} while a user package
     * references it.
     */
    void deletePackage(long id);

    /**
     * 404 {@code package-not-found}; 400 {@code content-value-unknown} naming
     * {@code content_value}.
     */
    Content addContent(long packageId, NewContent content);

    Optional<Content> contentById(long id);

    /** The first content (oldest) with this name, ignoring case. */
    Optional<Content> contentByName(String name);

    /**
     * Changes {@code name} and/or {@code content_value}; 404 {@code content-not-found}.
     */
    Content updateContent(long id, Map<String, Object> changes);

    /** 404 {@code content-not-found}. */
    void deleteContent(long id);

    /**
     * Gives an account a package from {@code startsAt} (null: now) for the package's
     * days. The caller makes sure the account exists. 404 {@code package-not-found}.
     */
    UserPackage assign(long accountId, long packageId, Instant startsAt);

    Optional<UserPackage> userPackageById(long id);

    /**
     * Changes {@code package_id} and/or {@code starts_at} (ISO 8601, or a date meaning
     * its start in UTC). A new start moves the window and keeps its length; a new package
     * makes the window that package's days long. Any other key: 400
     * {@code unknown-field}; an unknown package: 400 {@code package-not-found} naming
     * {@code package_id}; 404 {@code user-package-not-found}.
     */
    UserPackage updateUserPackage(long id, Map<String, Object> changes);

    /** 404 {@code user-package-not-found}. */
    void deleteUserPackage(long id);

    /** The account's packages, latest start first. */
    List<UserPackage> packagesOf(long accountId);

    /**
     * The packages of several accounts in one query (for admin lists and reports); every
     * id is a key.
     */
    Map<Long, List<UserPackage>> packagesOf(Collection<Long> accountIds);

    /** The content values a package may contain, in configured order. */
    Set<String> catalogue();

}
