package dev.kapi.identity.importing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.UsersImported;
import dev.kapi.identity.account.AccountCache;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.identity.importing.ImportLine.ExternalIdentity;
import dev.kapi.identity.importing.ImportLine.Problem;
import dev.kapi.identity.importing.ImportedAccounts.Existing;
import dev.kapi.identity.session.Sessions;
import dev.kapi.shared.ApiException;
import tools.jackson.databind.json.JsonMapper;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Imports users from an NDJSON stream as one transaction: every line is read and checked
 * (alone, against the other lines and against the accounts already there) before anything
 * is written, and one bad line refuses the whole file. Who may do what: an admin's
 * session with recent authentication may create or update admins; a service key (or
 * anything that is not a person) may not create an admin nor touch an existing one, so
 * that an {@code admin:write} key cannot take an admin over by importing a hash it knows
 * the password of.
 */
@Service
public class UserImports {

    static final String DEFAULT_TYPE = "user";

    private final ImportedAccounts accounts;

    private final UserImportSettings settings;

    private final JsonMapper json;

    private final TransactionOperations transactions;

    private final AuditLog audit;

    private final Sessions sessions;

    private final AccountCache cache;

    private final ApplicationEventPublisher events;

    private final Clock clock;

    UserImports(ImportedAccounts accounts, UserImportSettings settings, JsonMapper json,
            TransactionOperations transactions, AuditLog audit, Sessions sessions, AccountCache cache,
            ApplicationEventPublisher events, Clock clock) {
        this.accounts = accounts;
        this.settings = settings;
        this.json = json;
        this.transactions = transactions;
        this.audit = audit;
        this.sessions = sessions;
        this.cache = cache;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Who imports: an admin account (null for the command line) and whether a person
     * proved themselves (a session with recent authentication, or the operator at the
     * server's console).
     */
    public record Importer(Long accountId, boolean person) {

        public static Importer of(CurrentAccount admin) {
            return new Importer(admin.id(), admin.sessionId() != null);
        }

        public static Importer commandLine() {
            return new Importer(null, true);
        }
    }

    /** What to do with a line whose address already has an account. */
    public enum OnExisting {

        SKIP, UPDATE;

        public static OnExisting of(String value) {
            return switch (value == null ? "skip" : value) {
                case "skip" -> SKIP;
                case "update" -> UPDATE;
                default -> throw ApiException.invalidField("on_existing", "import-on-existing-invalid");
            };
        }

    }

    /** What an import did (or, on a dry run, would do). */
    public record Result(int imported, int updated, int skipped) {
    }

    /** The file was refused: its bad lines (at most the listed bound) and how many. */
    public static final class Rejected extends RuntimeException {

        private final transient List<Problem> problems;

        private final int badLines;

        Rejected(List<Problem> problems, int badLines) {
            super("import refused", null, false, false);
            this.problems = problems;
            this.badLines = badLines;
        }

        /** Each problem as {line, field, code, message}. */
        public List<Map<String, Object>> lines() {
            return problems.stream().map(problem -> {
                Map<String, Object> line = new java.util.LinkedHashMap<>();
                line.put("line", problem.line());
                line.put("field", problem.field());
                line.put("code", problem.code());
                line.put("message", problem.message());
                return line;
            }).toList();
        }

        public int badLines() {
            return badLines;
        }

    }

    public Result run(Importer importer, InputStream in, boolean dryRun, OnExisting onExisting) {
        Instant now = clock.instant();
        List<ImportLine> lines = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        read(in, new ImportLines(json, now), lines, problems);
        Plan plan = plan(importer, lines, onExisting, problems);
        if (!problems.isEmpty()) {
            Set<Integer> bad = new HashSet<>();
            problems.forEach(problem -> bad.add(problem.line()));
            List<Problem> listed = problems.stream()
                .sorted(java.util.Comparator.comparingInt(Problem::line))
                .limit(settings.maxListedProblems())
                .toList();
            throw new Rejected(listed, bad.size());
        }
        Result result = new Result(plan.created().size(), plan.updated().size(), plan.skipped());
        if (dryRun) {
            return result;
        }
        try {
            transactions.executeWithoutResult(status -> write(importer, plan, result, now));
        }
        catch (DuplicateKeyException ex) {
            // An account made between the checks and the write: nothing of the file
            // stays.
            throw ApiException.conflict("import-conflict");
        }
        plan.updated().keySet().forEach(cache::changed);
        return result;
    }

    private record Plan(Map<String, Integer> types, List<ImportLine> created, Map<Long, ImportLine> updated,
            Map<Long, Existing> existing, int skipped) {
    }

    private void read(InputStream in, ImportLines reader, List<ImportLine> lines, List<Problem> problems) {
        BoundedLines source = new BoundedLines(in, settings.maxLineBytes());
        int number = 0;
        try {
            BoundedLines.Line line;
            while ((line = source.next()) != null) {
                number++;
                if (number > settings.maxLines()) {
                    throw ApiException.badRequest("import-too-many-lines", settings.maxLines());
                }
                if (line.tooLong()) {
                    problems.add(new Problem(number, null, "import-line-too-long",
                            "at most " + settings.maxLineBytes() + " bytes"));
                    continue;
                }
                if (line.text().isBlank()) {
                    continue;
                }
                ImportLines.Read read = reader.read(number, line.text());
                if (read.line() != null) {
                    lines.add(read.line());
                }
                problems.addAll(read.problems());
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        if (number == 0) {
            throw ApiException.badRequest("import-file-empty");
        }
    }

    private Plan plan(Importer importer, List<ImportLine> lines, OnExisting onExisting, List<Problem> problems) {
        Map<String, Integer> types = accounts.userTypes();
        Set<String> emails = new HashSet<>();
        Set<String> usernames = new HashSet<>();
        Set<ExternalIdentity> identities = new HashSet<>();
        Set<String> providers = accounts.providerAliases();
        for (ImportLine line : lines) {
            if (!emails.add(line.email())) {
                problems.add(new Problem(line.number(), "email", "duplicate-in-file", "an earlier line has it"));
            }
            if (line.username() != null && !usernames.add(line.username().toLowerCase(Locale.ROOT))) {
                problems.add(new Problem(line.number(), "username", "duplicate-in-file", "an earlier line has it"));
            }
            Set<String> aliasesOfLine = new HashSet<>();
            for (ExternalIdentity identity : line.identities()) {
                if (!providers.contains(identity.alias())) {
                    problems.add(new Problem(line.number(), "external_identities", "identity-provider-unknown",
                            "no identity provider " + identity.alias()
                                    + " (POST /api/admin/identity-providers first)"));
                }
                else if (!aliasesOfLine.add(identity.alias())) {
                    problems.add(new Problem(line.number(), "external_identities", "duplicate-in-line",
                            "an account has one identity at " + identity.alias()));
                }
                if (!identities.add(identity)) {
                    problems.add(new Problem(line.number(), "external_identities", "duplicate-in-file",
                            "an earlier line has " + identity.alias() + " " + identity.subject()));
                }
            }
            if (line.userType() != null && !types.containsKey(line.userType())) {
                problems.add(new Problem(line.number(), "user_type", "user-type-unknown",
                        "one of " + String.join(", ", types.keySet().stream().sorted().toList())));
            }
        }
        Map<String, Existing> existing = accounts.byEmails(emails);
        Map<String, Long> takenUsernames = accounts.byUsernames(usernames);
        Map<ExternalIdentity, Long> takenIdentities = accounts.byIdentities(identities);
        List<ImportLine> created = new ArrayList<>();
        Map<Long, ImportLine> updated = new HashMap<>();
        Map<Long, Existing> updatedAccounts = new HashMap<>();
        int skipped = 0;
        for (ImportLine line : lines) {
            Existing account = existing.get(line.email());
            if (account != null && onExisting == OnExisting.SKIP) {
                skipped++;
                continue;
            }
            long self = account == null ? 0 : account.id();
            if (CurrentAccount.ADMIN.equals(line.userType()) && !importer.person()) {
                problems.add(new Problem(line.number(), "user_type", "import-admin-needs-person",
                        "only an admin's session with recent authentication imports admins"));
            }
            if (account != null && CurrentAccount.ADMIN.equals(account.role())) {
                if (!importer.person()) {
                    problems.add(new Problem(line.number(), "email", "import-admin-needs-person",
                            "an existing admin is updated only by an admin's session with recent authentication"));
                }
                else if (line.userType() != null && !CurrentAccount.ADMIN.equals(line.userType())) {
                    problems.add(new Problem(line.number(), "user_type", "import-admin-demotion-refused",
                            "an import does not demote an admin; PATCH /api/admin/users/{id} does"));
                }
            }
            Long holder = line.username() == null ? null : takenUsernames.get(line.username().toLowerCase(Locale.ROOT));
            if (holder != null && holder != self) {
                problems.add(new Problem(line.number(), "username", "username-taken", "another account has it"));
            }
            for (ExternalIdentity identity : line.identities()) {
                Long owner = takenIdentities.get(identity);
                if (owner != null && owner != self) {
                    problems.add(new Problem(line.number(), "external_identities", "external-identity-taken",
                            "another account has " + identity.alias() + " " + identity.subject()));
                }
            }
            if (account == null) {
                created.add(line);
            }
            else {
                updated.put(account.id(), line);
                updatedAccounts.put(account.id(), account);
            }
        }
        return new Plan(types, created, updated, updatedAccounts, skipped);
    }

    private void write(Importer importer, Plan plan, Result result, Instant now) {
        Map<String, Long> ids = accounts.insert(plan.created(), plan.types(), DEFAULT_TYPE, now);
        List<Object[]> identities = new ArrayList<>();
        for (ImportLine line : plan.created()) {
            for (ExternalIdentity identity : line.identities()) {
                identities.add(new Object[] { ids.get(line.email()), identity.subject(), utc(now), identity.alias() });
            }
        }
        plan.updated().forEach((accountId, line) -> {
            accounts.update(accountId, line, line.userType() == null ? null : plan.types().get(line.userType()), now);
            if (line.passwordHash() != null) {
                // Whoever held the old password is signed out: the account's password is
                // another now.
                sessions.endAllOf(accountId, null, "password-imported");
            }
            else {
                sessions.forgetAccount(accountId);
            }
            for (ExternalIdentity identity : line.identities()) {
                identities.add(new Object[] { accountId, identity.subject(), utc(now), identity.alias() });
            }
        });
        accounts.insertIdentities(identities);
        audit.record(AuditType.USERS_IMPORTED, importer.accountId(), null, "imported=" + result.imported() + ";updated="
                + result.updated() + ";skipped=" + result.skipped() + ";by="
                + (importer.accountId() == null ? "command-line" : importer.person() ? "session" : "service-key"));
        events.publishEvent(
                new UsersImported(importer.accountId(), result.imported(), result.updated(), result.skipped()));
    }

}
