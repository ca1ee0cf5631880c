package dev.kapi.admin;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.URL;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.AcceptablePassword;
import dev.kapi.identity.AccountAdministration;
import dev.kapi.identity.AccountRules;
import dev.kapi.identity.AccountAdministration.AdminView;
import dev.kapi.identity.CurrentAccount;
import dev.kapi.plans.Credits;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Page;
import dev.kapi.shared.Confirmation;
import dev.kapi.shared.Messages;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 004's user management, word for word: the {@code {success, data}} envelope and
 * camelCase fields.
 */
@RestController
@RequestMapping("/api/admin/users")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class AdminUsersController {

    /**
     * Credit and debit totals an admin may set: far beyond any real balance, far below a
     * long's limit.
     */

    private final AccountAdministration accounts;

    private final Credits credits;

    private final Messages messages;

    AdminUsersController(AccountAdministration accounts, Credits credits, Messages messages) {
        this.accounts = accounts;
        this.credits = credits;
        this.messages = messages;
    }

    record LoadCredits(@NotNull @Min(1) @Max(1_000_000_000) Long amount, @Size(max = 500) String note) {
    }

    record LedgerEntry(long id, @Schema(pattern = "credit|debit") String kind, long amount,
            @Schema(pattern = "load|adjustment|reservation|refund") String reason, String note, Long actorId,
            Instant createdAt) {

        static LedgerEntry from(Credits.Entry entry) {
            return new LedgerEntry(entry.id(), entry.kind(), entry.amount(), entry.reason(), entry.note(),
                    entry.actorId(), entry.createdAt());
        }
    }

    record OneEntry(boolean success, LedgerEntry data, long credit, long debit) {
    }

    record EntryList(boolean success, int count, List<LedgerEntry> data) {
    }

    record CreateUserRequest(@NotBlank @Pattern(regexp = AccountRules.USERNAME) String username,
            @NotNull @AcceptablePassword String password, @NotBlank @Size(max = 100) String name,
            @NotBlank @Size(max = 100) String surname,
            @NotBlank @Email(regexp = AccountRules.EMAIL) @Size(max = 254) String email,
            @NotBlank @Size(max = 50) String userTypeName, @Min(0) @Max(ModelBodies.MAX_CREDIT) Long credit,
            @Min(0) @Max(ModelBodies.MAX_CREDIT) Long debit, @Size(max = 32) String phoneNumber,
            @URL @Size(max = 2048) String avatar) {
    }

    record UpdateUserRequest(@Pattern(regexp = AccountRules.USERNAME) String username,
            @AcceptablePassword String password, @Size(min = 1, max = 100) String name,
            @Size(min = 1, max = 100) String surname, @Email(regexp = AccountRules.EMAIL) @Size(max = 254) String email,
            @Size(min = 1, max = 50) String userTypeName, Boolean isActive,
            @Min(0) @Max(ModelBodies.MAX_CREDIT) Long credit, @Min(0) @Max(ModelBodies.MAX_CREDIT) Long debit,
            @Size(max = 32) String phoneNumber, @URL @Size(max = 2048) String avatar) {
    }

    record DeleteUserRequest(Boolean permanently) {
    }

    record UserType(int id, String name) {
    }

    /** Seed 004's user object. */
    record AdminUser(String userId, String username, String name, String surname, String email, boolean isActive,
            long credit, long debit, UserType userType, String phoneNumber, String avatar) {

        static AdminUser from(AdminView view, Credits.Balance balance) {
            return new AdminUser(view.publicId(), view.username(), view.name(), view.surname(), view.email(),
                    view.active(), balance.credit(), balance.debit(),
                    new UserType(view.userType().id(), view.userType().name()), view.phoneNumber(), view.avatar());
        }
    }

    record UserList(boolean success, int count, List<AdminUser> data, String nextCursor) {
    }

    record OneUser(boolean success, AdminUser data) {
    }

    @GetMapping
    @Operation(summary = "All users, active and inactive; filter by userType, search, keyset paging")
    UserList list(@RequestParam(required = false) @Size(max = 50) String userType,
            @RequestParam(required = false) @Size(max = 100) String search,
            @RequestParam(defaultValue = "50") @PageLimit int limit,
            @RequestParam(required = false) @Size(max = 64) String cursor) {
        Page<AdminView> page = accounts.list(userType, search, limit, cursor);
        Map<Long, Credits.Balance> balances = credits.balancesOf(page.rows().stream().map(AdminView::id).toList());
        List<AdminUser> users = page.rows()
            .stream()
            .map(user -> AdminUser.from(user, balances.getOrDefault(user.id(), Credits.Balance.ZERO)))
            .toList();
        return new UserList(true, users.size(), users, page.nextCursor());
    }

    @GetMapping("/{userId}")
    @Operation(summary = "One user by its public userId")
    OneUser get(@PathVariable String userId) {
        return render(find(userId, "user-not-found"));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a user; it signs in with its username or email")
    OneUser create(@AuthenticationPrincipal CurrentAccount admin, @Valid @RequestBody CreateUserRequest request) {
        AdminView created = accounts.create(admin,
                new AccountAdministration.NewUser(request.username(), request.password(), request.name(),
                        request.surname(), request.email(), request.userTypeName(), request.phoneNumber(),
                        request.avatar()));
        if (request.credit() != null || request.debit() != null) {
            credits.setTotals(created.id(), request.credit(), request.debit(), admin.id(), "seed 004 create");
        }
        return render(created);
    }

    @PutMapping("/{userId}")
    @Operation(summary = "Change any of the user's fields; deactivation ends its sessions")
    OneUser update(@AuthenticationPrincipal CurrentAccount admin, @PathVariable String userId,
            @Valid @RequestBody UpdateUserRequest request) {
        AdminView user = find(userId, "user-not-found-update");
        AccountAdministration.UserChanges changes = new AccountAdministration.UserChanges(request.username(),
                request.password(), request.name(), request.surname(), request.email(), request.userTypeName(),
                request.phoneNumber(), request.avatar(), request.isActive());
        AdminView updated = accounts.update(admin, user.id(), changes);
        if (request.credit() != null || request.debit() != null) {
            credits.setTotals(updated.id(), request.credit(), request.debit(), admin.id(), "seed 004 update");
        }
        return render(updated);
    }

    @PostMapping("/{userId}/credits")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Load credits onto the user (seed 001); an entry in the append-only ledger")
    OneEntry loadCredits(@AuthenticationPrincipal CurrentAccount admin, @PathVariable String userId,
            @Valid @RequestBody LoadCredits request) {
        AdminView user = find(userId, "user-not-found");
        Credits.Entry entry = credits.load(user.id(), request.amount(), request.note(), admin.id());
        Credits.Balance balance = credits.balanceOf(user.id());
        return new OneEntry(true, LedgerEntry.from(entry), balance.credit(), balance.debit());
    }

    @GetMapping("/{userId}/credits")
    @Operation(summary = "The user's ledger entries, newest first")
    EntryList creditEntries(@PathVariable String userId,
            @RequestParam(defaultValue = "100") @PageLimit(max = 1000) int limit,
            @RequestParam(required = false) Long before) {
        AdminView user = find(userId, "user-not-found");
        List<LedgerEntry> entries = credits.entriesOf(user.id(), limit, before)
            .stream()
            .map(LedgerEntry::from)
            .toList();
        return new EntryList(true, entries.size(), entries);
    }

    private OneUser render(AdminView user) {
        return new OneUser(true, AdminUser.from(user, credits.balanceOf(user.id())));
    }

    @DeleteMapping("/{userId}")
    @Operation(summary = "Deactivate the user, or with {\"permanently\": true} delete it for good")
    Confirmation delete(@AuthenticationPrincipal CurrentAccount admin, @PathVariable String userId,
            @RequestBody(required = false) DeleteUserRequest request) {
        AdminView user = find(userId, "user-not-found-delete");
        if (request != null && Boolean.TRUE.equals(request.permanently())) {
            accounts.deletePermanently(admin, user.id());
            return Confirmation.of(messages.get("done.user-deleted"));
        }
        accounts.deactivate(admin, user.id());
        return Confirmation.of(messages.get("done.user-deactivated"));
    }

    private AdminView find(String userId, String notFoundCode) {
        return accounts.byPublicId(userId).orElseThrow(() -> ApiException.notFound(notFoundCode));
    }

}
