package dev.kapi.messaging.contact;

import java.io.Reader;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.messaging.draft.Templates;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Seed 001's customers: contacts with E.164 numbers unique per user, names and custom
 * fields, listed with search and group filters, and imported from CSV (phone, name, then
 * any custom fields). Numbers without a country code are read in the default region of
 * the user's first sender (Turkey without one).
 */
@Service
class CustomerManagement {

    static final int MAX_IMPORT_ROWS = 100_000;

    private final Customers customers;

    private final Groups groups;

    private final Clock clock;

    CustomerManagement(Customers customers, Groups groups, Clock clock) {
        this.customers = customers;
        this.groups = groups;
        this.clock = clock;
    }

    /**
     * One rejected line of an import: its number in the file (the header is line 1), the
     * phone and why.
     */
    record Rejected(int line, String phone,
            @Schema(pattern = "phone-invalid|duplicate-in-file|too-many-columns|value-too-long") String reason) {
    }

    record ImportResult(int created, int updated, int rejected, List<Rejected> errors) {
    }

    @Transactional
    Customer create(long owner, String phone, String name, Map<String, String> fields) {
        Customers.Fields checked = check(phone, customers.defaultRegion(owner), name, fields);
        try {
            Customer created = customers.insert(owner, checked, clock.instant());
            customers.registerFields(owner, checked.fields().keySet());
            return created;
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("customer-phone-taken", checked.phone());
        }
    }

    @Transactional(readOnly = true)
    Customer get(long owner, long id) {
        return customers.byId(owner, id).orElseThrow(CustomerManagement::notFound);
    }

    /**
     * Changes the given fields; {@code fields}, when given, replaces all custom fields.
     */
    @Transactional
    Customer update(long owner, long id, String phone, String name, Map<String, String> fields) {
        Customer current = get(owner, id);
        Customers.Fields checked = check(phone != null ? phone : current.phone(), customers.defaultRegion(owner),
                name != null ? name : current.name(), fields != null ? fields : current.fields());
        try {
            Customer updated = customers.update(owner, id, checked, clock.instant());
            customers.registerFields(owner, checked.fields().keySet());
            return updated;
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("customer-phone-taken", checked.phone());
        }
    }

    @Transactional
    void delete(long owner, long id) {
        if (!customers.delete(owner, id)) {
            throw notFound();
        }
    }

    @Transactional(readOnly = true)
    Page<Customer> list(long owner, String search, Long groupId, String cursor, int limit) {
        if (groupId != null && groups.byId(owner, groupId).isEmpty()) {
            throw ApiException.notFound("group-not-found");
        }
        String term = search == null || search.isBlank() ? null : search.strip();
        return Page.byId(customers.page(owner, term, groupId, Cursors.afterId(cursor), limit), limit, Customer::id);
    }

    /**
     * Reads a CSV whose header names {@code phone}, optionally {@code name}, and custom
     * fields; a known number is updated (its fields merged), a new one created, and a bad
     * line rejected with its reason. With {@code groupId} (the owner's group, else 404)
     * every created or updated customer joins that group, in the same transaction.
     */
    @Transactional
    ImportResult importCsv(long owner, Reader csv, Long groupId) {
        if (groupId != null && groups.byId(owner, groupId).isEmpty()) {
            throw ApiException.notFound("group-not-found");
        }
        Csv reader = new Csv(csv);
        List<String> first = reader.next();
        if (first == null) {
            throw ApiException.badRequest("import-empty");
        }
        List<String> header = first.stream().map(cell -> cell.strip().toLowerCase(java.util.Locale.ROOT)).toList();
        int phoneColumn = header.indexOf("phone");
        if (phoneColumn < 0) {
            throw ApiException.badRequest("import-no-phone-column");
        }
        for (String column : header) {
            if (!column.equals("phone") && !column.equals("name") && !Templates.FIELD_NAME.matcher(column).matches()) {
                throw ApiException.badRequest("import-bad-column", column);
            }
        }
        int nameColumn = header.indexOf("name");
        String region = customers.defaultRegion(owner);
        Map<String, Customers.Fields> rows = new LinkedHashMap<>();
        List<Rejected> rejected = new ArrayList<>();
        int read = 0;
        for (List<String> cells = reader.next(); cells != null; cells = reader.next()) {
            int i = reader.line() - 1;
            if (++read > MAX_IMPORT_ROWS) {
                throw ApiException.badRequest("import-too-large", MAX_IMPORT_ROWS);
            }
            if (cells.size() == 1 && cells.getFirst().isBlank()) {
                continue;
            }
            String raw = phoneColumn < cells.size() ? cells.get(phoneColumn).strip() : "";
            if (cells.size() > header.size()) {
                rejected.add(new Rejected(i + 1, raw, "too-many-columns"));
                continue;
            }
            String phone = PhoneNumbers.normalise(raw, region).orElse(null);
            if (phone == null) {
                rejected.add(new Rejected(i + 1, raw, "phone-invalid"));
                continue;
            }
            if (rows.containsKey(phone)) {
                rejected.add(new Rejected(i + 1, raw, "duplicate-in-file"));
                continue;
            }
            String name = nameColumn >= 0 && nameColumn < cells.size() && !cells.get(nameColumn).isBlank()
                    ? cells.get(nameColumn).strip() : null;
            Map<String, String> fields = new LinkedHashMap<>();
            for (int column = 0; column < cells.size(); column++) {
                if (column != phoneColumn && column != nameColumn && !cells.get(column).isBlank()) {
                    fields.put(header.get(column), cells.get(column).strip());
                }
            }
            if ((name != null && name.length() > 200) || fields.values().stream().anyMatch(v -> v.length() > 1000)) {
                rejected.add(new Rejected(i + 1, raw, "value-too-long"));
                continue;
            }
            rows.put(phone, new Customers.Fields(phone, name, fields));
        }
        List<Customers.Upserted> upserted = customers.upsert(owner, List.copyOf(rows.values()), clock.instant());
        customers.registerFields(owner, header.stream().filter(c -> !c.equals("phone") && !c.equals("name")).toList());
        if (groupId != null && !upserted.isEmpty()) {
            groups.add(groupId, upserted.stream().map(Customers.Upserted::id).toList());
        }
        int created = (int) upserted.stream().filter(Customers.Upserted::created).count();
        return new ImportResult(created, upserted.size() - created, rejected.size(), rejected);
    }

    private static Customers.Fields check(String phone, String region, String name, Map<String, String> fields) {
        String normalised = PhoneNumbers.require(phone, region, "phone");
        Map<String, String> checked = new LinkedHashMap<>();
        if (fields != null) {
            fields.forEach((key, value) -> {
                if (!Templates.FIELD_NAME.matcher(key).matches() || Templates.BUILT_IN.contains(key)) {
                    throw ApiException.invalidField("fields." + key, "custom-field-name-invalid");
                }
                if (value != null && value.length() > 1000) {
                    throw ApiException.invalidField("fields." + key, "custom-field-too-long");
                }
                if (value != null) {
                    checked.put(key, value);
                }
            });
        }
        return new Customers.Fields(normalised, name == null || name.isBlank() ? null : name.strip(), checked);
    }

    static ApiException notFound() {
        return ApiException.notFound("customer-not-found");
    }

}
