package dev.kapi.admin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.AccountAdministration;
import dev.kapi.identity.AccountAdministration.AdminView;
import dev.kapi.identity.AccountAdministration.SessionInfo;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.plans.Credits;
import dev.kapi.plans.PlanCatalog;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Page;

/**
 * Seed 000's models, readable for a person: a user with its packages, their contents and
 * its sessions; a package with its contents; ISO dates. Reads and writes go to the
 * identity and plans modules' APIs.
 */
@Component
class AdminModels {

    private static final int REPORT_PAGE = 500;

    private static final int REPORT_MAX_SCANNED = 100_000;

    private final AccountAdministration accounts;

    private final PlanCatalog catalog;

    private final Credits credits;

    AdminModels(AccountAdministration accounts, PlanCatalog catalog, Credits credits) {
        this.accounts = accounts;
        this.catalog = catalog;
        this.credits = credits;
    }

    record ContentModel(long id, @JsonProperty("package_id") long packageId, String name,
            @JsonProperty("content_value") String contentValue) {

        static ContentModel from(PlanCatalog.Content content) {
            return new ContentModel(content.id(), content.packageId(), content.name(), content.contentValue());
        }
    }

    record PackageModel(long id, String name, String detail, int days,
            @JsonProperty("package_contents") List<ContentModel> packageContents,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt) {

        static PackageModel from(PlanCatalog.PackageView view) {
            return new PackageModel(view.id(), view.name(), view.detail(), view.days(),
                    view.contents().stream().map(ContentModel::from).toList(), view.createdAt(), view.updatedAt());
        }
    }

    record UserPackageModel(long id, @JsonProperty("user_id") long userId, @JsonProperty("package_id") long packageId,
            @JsonProperty("package_name") String packageName, @JsonProperty("starts_at") Instant startsAt,
            @JsonProperty("ends_at") Instant endsAt, boolean active,
            @JsonProperty("package_contents") List<ContentModel> packageContents,
            @JsonProperty("created_at") Instant createdAt) {

        static UserPackageModel from(PlanCatalog.UserPackage pkg) {
            return new UserPackageModel(pkg.id(), pkg.accountId(), pkg.packageId(), pkg.packageName(), pkg.startsAt(),
                    pkg.endsAt(), pkg.active(), pkg.contents().stream().map(ContentModel::from).toList(),
                    pkg.createdAt());
        }
    }

    record SessionModel(UUID id, @JsonProperty("user_id") long userId, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("last_used_at") Instant lastUsedAt, @JsonProperty("expires_at") Instant expiresAt, String ip,
            @JsonProperty("user_agent") String userAgent) {

        static SessionModel from(SessionInfo session) {
            return new SessionModel(session.id(), session.accountId(), session.createdAt(), session.lastUsedAt(),
                    session.expiresAt(), session.ip(), session.userAgent());
        }
    }

    record UserModel(long id, @JsonProperty("user_id") String userId, String username, String email, String name,
            String surname, @JsonProperty("full_name") String fullName, @JsonProperty("user_type") String userType,
            @JsonProperty("is_active") boolean isActive, boolean frozen,
            @JsonProperty("email_verified") boolean emailVerified, @JsonProperty("phone_number") String phoneNumber,
            String avatar, long credit, long debit, @JsonProperty("last_login") Instant lastLogin,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
            List<UserPackageModel> packages, List<SessionModel> sessions) {
    }

    Object byId(ModelType type, String id) {
        return switch (type) {
            case USER -> user(accounts.byId(number(id)).orElseThrow(() -> ApiException.notFound("user-not-found")));
            case PACKAGE -> PackageModel
                .from(catalog.packageById(number(id)).orElseThrow(() -> ApiException.notFound("package-not-found")));
            case PACKAGE_CONTENT -> ContentModel
                .from(catalog.contentById(number(id)).orElseThrow(() -> ApiException.notFound("content-not-found")));
            case U_PACKAGE -> UserPackageModel.from(catalog.userPackageById(number(id))
                .orElseThrow(() -> ApiException.notFound("user-package-not-found")));
            case U_SESSION -> SessionModel
                .from(accounts.session(uuid(id)).orElseThrow(() -> ApiException.notFound("session-not-found")));
        };
    }

    Object byName(ModelType type, String name) {
        return switch (type) {
            case USER -> user(accounts.byName(name).orElseThrow(() -> ApiException.notFound("user-not-found")));
            case PACKAGE -> PackageModel
                .from(catalog.packageByName(name).orElseThrow(() -> ApiException.notFound("package-not-found")));
            case PACKAGE_CONTENT -> ContentModel
                .from(catalog.contentByName(name).orElseThrow(() -> ApiException.notFound("content-not-found")));
            case U_PACKAGE, U_SESSION -> throw ApiException.invalidField("m_type", "model-has-no-name");
        };
    }

    /**
     * Seed 000's user registration. The name comes as {@code name} and {@code surname}
     * (the seed's fields) or as {@code full_name} (the field every user answer carries),
     * split at its last space.
     */
    UserModel registerUser(CurrentAccount admin, ModelBodies.RegisterUser user) {
        String name = blankToNull(user.name());
        String surname = blankToNull(user.surname());
        String fullName = blankToNull(user.fullName());
        if (name == null && surname == null) {
            if (fullName == null) {
                throw ApiException.invalidField("full_name", "required");
            }
            int space = fullName.lastIndexOf(' ');
            name = space < 0 ? fullName : fullName.substring(0, space).strip();
            surname = space < 0 ? "" : fullName.substring(space + 1);
        }
        AdminView created = accounts.create(admin,
                new AccountAdministration.NewUser(user.username(), user.password(), name == null ? "" : name,
                        surname == null ? "" : surname, user.email(),
                        user.userType() == null ? "user" : user.userType(), user.phoneNumber(), user.avatar()));
        if (user.credit() != null || user.debit() != null) {
            credits.setTotals(created.id(), user.credit(), user.debit(), admin.id(), "seed 000 register");
        }
        return user(created);
    }

    PackageModel registerPackage(ModelBodies.RegisterPackage pkg) {
        List<PlanCatalog.NewContent> contents = pkg.packageContents() == null ? List.of()
                : pkg.packageContents()
                    .stream()
                    .map(content -> new PlanCatalog.NewContent(content.name(), content.contentValue()))
                    .toList();
        return PackageModel
            .from(catalog.createPackage(new PlanCatalog.NewPackage(pkg.name(), pkg.detail(), pkg.days(), contents)));
    }

    ContentModel registerContent(ModelBodies.RegisterContent content) {
        return ContentModel.from(catalog.addContent(content.packageId(),
                new PlanCatalog.NewContent(content.name(), content.contentValue())));
    }

    UserPackageModel registerUserPackage(ModelBodies.RegisterUserPackage assignment) {
        if (accounts.byId(assignment.userId()).isEmpty()) {
            throw ApiException.invalidField("user_id", "user-not-found");
        }
        return UserPackageModel
            .from(catalog.assign(assignment.userId(), assignment.packageId(), assignment.startsAt()));
    }

    UserModel updateUser(CurrentAccount admin, String id, ModelBodies.UpdateUser changes) {
        long accountId = number(id);
        AccountAdministration.UserChanges accountChanges = new AccountAdministration.UserChanges(changes.username(),
                changes.password(), changes.name(), changes.surname(), changes.email(), changes.userType(),
                changes.phoneNumber(), changes.avatar(), changes.isActive());
        AdminView updated = accounts.update(admin, accountId, accountChanges);
        if (changes.credit() != null || changes.debit() != null) {
            credits.setTotals(accountId, changes.credit(), changes.debit(), admin.id(), "seed 000 update");
        }
        return user(updated);
    }

    Object updatePlan(ModelType type, String id, Map<String, Object> changes) {
        return switch (type) {
            case PACKAGE -> PackageModel.from(catalog.updatePackage(number(id), changes));
            case PACKAGE_CONTENT -> ContentModel.from(catalog.updateContent(number(id), changes));
            case U_PACKAGE -> UserPackageModel.from(catalog.updateUserPackage(number(id), changes));
            default -> throw new IllegalArgumentException(type.name());
        };
    }

    void delete(CurrentAccount admin, ModelType type, String id) {
        switch (type) {
            case USER -> {
                long accountId = number(id);
                accounts.byId(accountId).orElseThrow(() -> ApiException.notFound("user-not-found-delete"));
                accounts.deletePermanently(admin, accountId);
            }
            case PACKAGE -> catalog.deletePackage(number(id));
            case PACKAGE_CONTENT -> catalog.deleteContent(number(id));
            case U_PACKAGE -> catalog.deleteUserPackage(number(id));
            case U_SESSION -> accounts.endSession(admin, uuid(id));
        }
    }

    /**
     * Seed 000's report: users whose username (or email or name) contains
     * {@code username}, that hold {@code packageName} when given; with
     * {@code from}/{@code to}, only packages overlapping that window and sessions started
     * in it, and only users that have any. Scans at most 100,000 accounts.
     */
    List<UserModel> report(Instant from, Instant to, String username, String packageName, int limit) {
        List<UserModel> found = new ArrayList<>();
        String cursor = null;
        int scanned = 0;
        do {
            Page<AdminView> page = accounts.list(null, username, REPORT_PAGE, cursor);
            scanned += page.rows().size();
            for (UserModel user : users(page.rows())) {
                UserModel filtered = within(user, from, to, packageName);
                if (filtered != null && found.size() < limit) {
                    found.add(filtered);
                }
            }
            cursor = page.nextCursor();
        }
        while (cursor != null && found.size() < limit && scanned < REPORT_MAX_SCANNED);
        return found;
    }

    /**
     * One CSV row per user package (or one for a user without any); cells are quoted and
     * never formulas.
     */
    static String csv(List<UserModel> users) {
        StringBuilder out = new StringBuilder("id,user_id,username,email,name,surname,user_type,is_active,credit,debit,"
                + "created_at,last_login,sessions,package,package_starts_at,package_ends_at,package_active,contents\r\n");
        for (UserModel user : users) {
            List<UserPackageModel> packages = user.packages().isEmpty() ? java.util.Collections.singletonList(null)
                    : user.packages();
            for (UserPackageModel pkg : packages) {
                List<Object> cells = new ArrayList<>(List.of(user.id(), user.userId(), text(user.username()),
                        user.email(), text(user.name()), text(user.surname()), user.userType(), user.isActive(),
                        user.credit(), user.debit(), user.createdAt(), text(user.lastLogin()), user.sessions().size()));
                cells.addAll(pkg == null ? List.of("", "", "", "", "")
                        : List.of(pkg.packageName(), pkg.startsAt(), pkg.endsAt(), pkg.active(),
                                pkg.packageContents()
                                    .stream()
                                    .map(ContentModel::contentValue)
                                    .collect(Collectors.joining(" "))));
                out.append(cells.stream().map(cell -> cell(String.valueOf(cell))).collect(Collectors.joining(",")))
                    .append("\r\n");
            }
        }
        return out.toString();
    }

    private UserModel within(UserModel user, Instant from, Instant to, String packageName) {
        List<UserPackageModel> packages = user.packages()
            .stream()
            .filter(pkg -> packageName == null || pkg.packageName().equalsIgnoreCase(packageName))
            .filter(pkg -> (from == null || pkg.endsAt().isAfter(from)) && (to == null || pkg.startsAt().isBefore(to)))
            .toList();
        List<SessionModel> sessions = user.sessions()
            .stream()
            .filter(session -> (from == null || !session.createdAt().isBefore(from))
                    && (to == null || session.createdAt().isBefore(to)))
            .toList();
        if (packageName != null && packages.isEmpty()) {
            return null;
        }
        if ((from != null || to != null) && packages.isEmpty() && sessions.isEmpty()) {
            return null;
        }
        return new UserModel(user.id(), user.userId(), user.username(), user.email(), user.name(), user.surname(),
                user.fullName(), user.userType(), user.isActive(), user.frozen(), user.emailVerified(),
                user.phoneNumber(), user.avatar(), user.credit(), user.debit(), user.lastLogin(), user.createdAt(),
                user.updatedAt(), packages, sessions);
    }

    private UserModel user(AdminView view) {
        return users(List.of(view)).getFirst();
    }

    private List<UserModel> users(Collection<AdminView> views) {
        List<Long> ids = views.stream().map(AdminView::id).toList();
        Map<Long, Credits.Balance> balances = credits.balancesOf(ids);
        Map<Long, List<PlanCatalog.UserPackage>> packages = catalog.packagesOf(ids);
        Map<Long, List<SessionModel>> sessions = new LinkedHashMap<>();
        for (AdminView view : views) {
            sessions.put(view.id(), accounts.sessionsOf(view.id()).stream().map(SessionModel::from).toList());
        }
        return views.stream().map(view -> {
            Credits.Balance balance = balances.getOrDefault(view.id(), Credits.Balance.ZERO);
            return new UserModel(view.id(), view.publicId(), view.username(), view.email(), view.name(), view.surname(),
                    view.fullName(), view.userType().name(), view.active(), view.frozen(), view.emailVerified(),
                    view.phoneNumber(), view.avatar(), balance.credit(), balance.debit(), view.lastLogin(),
                    view.createdAt(), view.updatedAt(),
                    packages.getOrDefault(view.id(), List.of()).stream().map(UserPackageModel::from).toList(),
                    sessions.get(view.id()));
        }).toList();
    }

    private static long number(String id) {
        try {
            return Long.parseLong(id);
        }
        catch (NumberFormatException ex) {
            throw ApiException.invalidField("m_id", "invalid-value");
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        }
        catch (IllegalArgumentException ex) {
            throw ApiException.invalidField("m_id", "invalid-value");
        }
    }

    private static Object text(Object value) {
        return Optional.ofNullable(value).orElse("");
    }

    private static String cell(String value) {
        String safe = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")
                ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

}
