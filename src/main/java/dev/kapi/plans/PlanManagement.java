package dev.kapi.plans;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.shared.ApiException;

/**
 * The package use cases behind seed 000's admin model types 1 to 3: packages with
 * contents from the configured catalogue, and packages given to accounts for a window of
 * time. Every rule is checked here, whichever admin API calls it.
 */
@Service
class PlanManagement implements PlanCatalog {

    /**
     * A package lasts at most about a hundred years, which keeps every end date
     * representable.
     */
    static final int MAX_DAYS = 36_500;

    private static final String CONTENTS = "package_contents";

    private static final Set<String> PACKAGE_FIELDS = Set.of("name", "detail", "days", CONTENTS);

    private static final Set<String> CONTENT_FIELDS = Set.of("name", "content_value");

    private static final Set<String> USER_PACKAGE_FIELDS = Set.of("package_id", "starts_at");

    private final Packages packages;

    private final UserPackages userPackages;

    private final Set<String> catalogue;

    private final Clock clock;

    private final ApplicationEventPublisher events;

    PlanManagement(Packages packages, UserPackages userPackages, PlansSettings settings, Clock clock,
            ApplicationEventPublisher events) {
        this.packages = packages;
        this.userPackages = userPackages;
        this.catalogue = settings.catalogueValues();
        this.clock = clock;
        this.events = events;
    }

    @Override
    @Transactional
    public PackageView createPackage(NewPackage pkg) {
        String name = requiredText("name", pkg.name());
        int days = validDays(pkg.days() == null ? null : pkg.days().longValue());
        List<NewContent> contents = validContents(pkg.contents() == null ? List.of() : pkg.contents());
        long id;
        try {
            id = packages.create(name, blankToNull(pkg.detail()), days, clock.instant());
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("package-name-taken", name);
        }
        packages.replaceContents(id, contents);
        return packages.byId(id).orElseThrow();
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<PackageView> packageById(long id) {
        return packages.byId(id);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<PackageView> packageByName(String name) {
        return name == null ? Optional.empty() : packages.byName(name.trim());
    }

    @Override
    @Transactional(readOnly = true)
    public List<PackageView> packages() {
        return packages.all();
    }

    @Override
    @Transactional
    public PackageView updatePackage(long id, Map<String, Object> changes) {
        Changes fields = Changes.of(changes, PACKAGE_FIELDS);
        if (!packages.lock(id)) {
            throw ApiException.notFound("package-not-found");
        }
        PackageView current = packages.byId(id).orElseThrow();
        String name = fields.has("name") ? fields.text("name") : current.name();
        String detail = fields.has("detail") ? fields.optionalText("detail") : current.detail();
        int days = fields.has("days") ? validDays(fields.whole("days")) : current.days();
        try {
            packages.update(id, name, detail, days, clock.instant());
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("package-name-taken", name);
        }
        if (fields.has(CONTENTS)) {
            packages.replaceContents(id, validContents(fields.objects(CONTENTS, CONTENT_FIELDS, NewContent.class,
                    content -> new NewContent(content.optionalText("name"), content.optionalText("content_value")))));
        }
        return packages.byId(id).orElseThrow();
    }

    @Override
    @Transactional
    public void deletePackage(long id) {
        if (!packages.lock(id)) {
            throw ApiException.notFound("package-not-found");
        }
        if (userPackages.anyOf(id)) {
            throw ApiException.conflict("package-in-use");
        }
        try {
            packages.delete(id);
        }
        catch (DataIntegrityViolationException ex) {
            // A user package was given in the meantime.
            throw ApiException.conflict("package-in-use");
        }
    }

    @Override
    @Transactional
    public Content addContent(long packageId, NewContent content) {
        if (!packages.lock(packageId)) {
            throw ApiException.notFound("package-not-found");
        }
        Content added = packages.addContent(packageId, validContent("", content));
        packages.touch(packageId, clock.instant());
        return added;
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<Content> contentById(long id) {
        return packages.contentById(id);
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<Content> contentByName(String name) {
        return name == null ? Optional.empty() : packages.contentByName(name.trim());
    }

    @Override
    @Transactional
    public Content updateContent(long id, Map<String, Object> changes) {
        Changes fields = Changes.of(changes, CONTENT_FIELDS);
        Content current = packages.contentById(id).orElseThrow(() -> ApiException.notFound("content-not-found"));
        String name = fields.has("name") ? fields.text("name") : current.name();
        String value = fields.has("content_value") ? catalogueValue("content_value", fields.text("content_value"))
                : current.contentValue();
        packages.updateContent(id, name, value);
        packages.touch(current.packageId(), clock.instant());
        return packages.contentById(id).orElseThrow();
    }

    @Override
    @Transactional
    public void deleteContent(long id) {
        Content content = packages.contentById(id).orElseThrow(() -> ApiException.notFound("content-not-found"));
        packages.deleteContent(id);
        packages.touch(content.packageId(), clock.instant());
    }

    @Override
    @Transactional
    public UserPackage assign(long accountId, long packageId, Instant startsAt) {
        PackageView pkg = packages.byId(packageId).orElseThrow(() -> ApiException.notFound("package-not-found"));
        Instant start = storable(startsAt != null ? startsAt : clock.instant());
        Instant end = start.plus(Duration.ofDays(pkg.days()));
        long id = userPackages.create(accountId, packageId, start, end, clock.instant());
        events.publishEvent(new PackageAssigned(accountId, id, packageId, pkg.name(), start, end));
        return userPackageById(id).orElseThrow();
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<UserPackage> userPackageById(long id) {
        return userPackages.byId(id).map(found -> view(List.of(found)).getFirst());
    }

    @Override
    @Transactional
    public UserPackage updateUserPackage(long id, Map<String, Object> changes) {
        Changes fields = Changes.of(changes, USER_PACKAGE_FIELDS);
        UserPackages.Assignment current = userPackages.byId(id)
            .orElseThrow(() -> ApiException.notFound("user-package-not-found"));
        Instant start = fields.has("starts_at") ? storable(fields.instant("starts_at")) : current.startsAt();
        long packageId = current.packageId();
        Duration length = Duration.between(current.startsAt(), current.endsAt());
        if (fields.has("package_id")) {
            packageId = fields.whole("package_id");
            PackageView pkg = packages.byId(packageId)
                .orElseThrow(() -> ApiException.invalidField("package_id", "package-not-found"));
            length = Duration.ofDays(pkg.days());
        }
        userPackages.update(id, packageId, start, start.plus(length));
        return userPackageById(id).orElseThrow();
    }

    @Override
    @Transactional
    public void deleteUserPackage(long id) {
        if (!userPackages.delete(id)) {
            throw ApiException.notFound("user-package-not-found");
        }
    }

    @Override
    @Transactional(readOnly = true)
    public List<UserPackage> packagesOf(long accountId) {
        return view(userPackages.ofAccounts(List.of(accountId)));
    }

    @Override
    @Transactional(readOnly = true)
    public Map<Long, List<UserPackage>> packagesOf(Collection<Long> accountIds) {
        Map<Long, List<UserPackage>> byAccount = new LinkedHashMap<>();
        accountIds.forEach(id -> byAccount.put(id, new ArrayList<>()));
        view(userPackages.ofAccounts(accountIds)).forEach(pkg -> byAccount.get(pkg.accountId()).add(pkg));
        byAccount.replaceAll((id, list) -> List.copyOf(list));
        return byAccount;
    }

    @Override
    public Set<String> catalogue() {
        return catalogue;
    }

    /**
     * User packages as the API shows them: with their package's contents and active as of
     * now.
     */
    private List<UserPackage> view(List<UserPackages.Assignment> assignments) {
        Map<Long, List<Content>> contents = packages
            .contentsOf(assignments.stream().map(UserPackages.Assignment::packageId).distinct().toList());
        Instant now = clock.instant();
        return assignments.stream()
            .map(a -> new UserPackage(a.id(), a.accountId(), a.packageId(), a.packageName(), a.startsAt(), a.endsAt(),
                    a.activeAt(now), contents.get(a.packageId()), a.createdAt()))
            .toList();
    }

    /**
     * The instant as PostgreSQL keeps it. It would round to the nearest microsecond, so a
     * package given "now" could start a fraction after now and not be active at once;
     * cutting it off never does that.
     */
    private static Instant storable(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    private List<NewContent> validContents(List<NewContent> contents) {
        List<NewContent> valid = new ArrayList<>(contents.size());
        for (int i = 0; i < contents.size(); i++) {
            valid.add(validContent(CONTENTS + "[" + i + "].", contents.get(i)));
        }
        return valid;
    }

    /**
     * The content with its value checked against the catalogue; without a name it is
     * named by its value.
     */
    private NewContent validContent(String path, NewContent content) {
        if (content == null) {
            throw ApiException.invalidField(path.isEmpty() ? "content_value" : path.substring(0, path.length() - 1),
                    "required");
        }
        String value = catalogueValue(path + "content_value",
                requiredText(path + "content_value", content.contentValue()));
        String name = blankToNull(content.name());
        return new NewContent(name != null ? name : value, value);
    }

    private String catalogueValue(String field, String value) {
        if (!catalogue.contains(value)) {
            throw ApiException.invalidField(field, "content-value-unknown", value, String.join(", ", catalogue));
        }
        return value;
    }

    private static int validDays(Long days) {
        if (days == null) {
            throw ApiException.invalidField("days", "required");
        }
        if (days < 1 || days > MAX_DAYS) {
            throw ApiException.invalidField("days", "package-days-invalid", MAX_DAYS);
        }
        return days.intValue();
    }

    private static String requiredText(String field, String text) {
        String value = blankToNull(text);
        if (value == null) {
            throw ApiException.invalidField(field, "required");
        }
        return value;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
    }

    /**
     * Forgets the packages of an account that was removed for good. Its ledger entries
     * and balance stay: money history is not lost with the account (entries are
     * append-only), and they name only its id.
     */
    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        userPackages.deleteOf(deleted.accountId());
    }

}
