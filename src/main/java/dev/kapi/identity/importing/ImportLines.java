package dev.kapi.identity.importing;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.kapi.identity.importing.ImportLine.ExternalIdentity;
import dev.kapi.identity.importing.ImportLine.Problem;
import dev.kapi.identity.password.ForeignHashes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one line of an import file: a JSON object of the fields the issue names, each
 * bounded; every problem of the line is listed, by field.
 */
final class ImportLines {

    static final int MAX_EMAIL = 254;

    static final int MAX_NAME = 100;

    static final int MAX_FULL_NAME = 200;

    static final int MAX_USERNAME = 100;

    static final int MAX_IDENTITIES = 10;

    static final int MAX_SUBJECT = 255;

    private static final Set<String> FIELDS = Set.of("email", "email_verified", "name", "surname", "full_name",
            "username", "user_type", "created_at", "password_hash", "password_hash_algorithm", "external_identities");

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");

    private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9_-]{0,49}");

    private final JsonMapper json;

    private final Instant now;

    ImportLines(JsonMapper json, Instant now) {
        this.json = json;
        this.now = now;
    }

    /** The line's user, or its problems. */
    record Read(ImportLine line, List<Problem> problems) {
    }

    Read read(int number, String text) {
        List<Problem> problems = new ArrayList<>();
        JsonNode node;
        try {
            node = json.readTree(text);
        }
        catch (JacksonException ex) {
            node = null;
        }
        if (node == null || !node.isObject()) {
            return new Read(null, List.of(new Problem(number, null, "import-line-not-json", "not one JSON object")));
        }
        for (String field : node.propertyNames()) {
            if (!FIELDS.contains(field)) {
                problems.add(new Problem(number, field, "unknown-field", "not a field of an import line"));
            }
        }
        String email = text(node, "email", MAX_EMAIL, true, number, problems);
        if (email != null && !EMAIL.matcher(email).matches()) {
            problems.add(new Problem(number, "email", "email-invalid", "not an email address"));
        }
        Boolean verified = bool(node, "email_verified", number, problems);
        String name = text(node, "name", MAX_NAME, false, number, problems);
        String surname = text(node, "surname", MAX_NAME, false, number, problems);
        String fullName = text(node, "full_name", MAX_FULL_NAME, false, number, problems);
        String username = text(node, "username", MAX_USERNAME, false, number, problems);
        if (username != null && username.chars().anyMatch(Character::isWhitespace)) {
            problems.add(new Problem(number, "username", "username-invalid", "a username has no spaces"));
        }
        String userType = text(node, "user_type", MAX_NAME, false, number, problems);
        Instant createdAt = instant(node, number, problems);
        String hash = hash(node, number, problems);
        List<ExternalIdentity> identities = identities(node, number, problems);
        if (!problems.isEmpty()) {
            return new Read(null, problems);
        }
        String full = fullName != null ? fullName
                : ((name == null ? "" : name) + " " + (surname == null ? "" : surname)).trim();
        return new Read(
                new ImportLine(number, email.toLowerCase(Locale.ROOT), verified, name, surname,
                        full.isEmpty() ? null : full, username,
                        userType == null ? null : userType.toLowerCase(Locale.ROOT), createdAt, hash, identities),
                List.of());
    }

    private static String text(JsonNode node, String field, int max, boolean required, int number,
            List<Problem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                problems.add(new Problem(number, field, "required", "required"));
            }
            return null;
        }
        if (!value.isString() || value.stringValue().isBlank()) {
            problems.add(new Problem(number, field, "invalid-value", "a non-empty string"));
            return null;
        }
        String text = value.stringValue().strip();
        if (text.length() > max) {
            problems.add(new Problem(number, field, "too-long", "at most " + max + " characters"));
            return null;
        }
        return text;
    }

    private static Boolean bool(JsonNode node, String field, int number, List<Problem> problems) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            problems.add(new Problem(number, field, "invalid-value", "true or false"));
            return null;
        }
        return value.booleanValue();
    }

    private Instant instant(JsonNode node, int number, List<Problem> problems) {
        String text = text(node, "created_at", 40, false, number, problems);
        if (text == null) {
            return null;
        }
        try {
            Instant instant = Instant.parse(text);
            if (instant.isAfter(now)) {
                problems.add(new Problem(number, "created_at", "invalid-value", "not in the future"));
            }
            return instant;
        }
        catch (DateTimeParseException ex) {
            problems.add(new Problem(number, "created_at", "invalid-value", "an ISO-8601 instant"));
            return null;
        }
    }

    private static String hash(JsonNode node, int number, List<Problem> problems) {
        JsonNode value = node.get("password_hash");
        String algorithm = text(node, "password_hash_algorithm", 20, false, number, problems);
        boolean hasHash = value != null && !value.isNull();
        if (!hasHash && algorithm == null) {
            return null;
        }
        if (algorithm == null || !ForeignHashes.ALGORITHMS.contains(algorithm)) {
            problems.add(new Problem(number, "password_hash_algorithm", "hash-algorithm-unknown",
                    "one of " + String.join(", ", ForeignHashes.ALGORITHMS)));
            return null;
        }
        if (!hasHash) {
            problems.add(new Problem(number, "password_hash", "required", "required with password_hash_algorithm"));
            return null;
        }
        ForeignHashes.ForeignHash foreign = switch (algorithm) {
            case "bcrypt" -> value.isString() ? new ForeignHashes.Bcrypt(value.stringValue()) : null;
            case "argon2" -> value.isString() ? new ForeignHashes.Argon2(value.stringValue()) : null;
            case "pbkdf2-sha256", "pbkdf2-sha512" ->
                value.isObject() ? new ForeignHashes.Pbkdf2("pbkdf2-sha512".equals(algorithm), string(value, "value"),
                        string(value, "salt"), integer(value, "iterations")) : null;
            default -> value.isObject() ? new ForeignHashes.Scrypt(string(value, "value"), string(value, "salt"),
                    string(value, "signer_key"), string(value, "salt_separator"), integer(value, "rounds"),
                    integer(value, "mem_cost")) : null;
        };
        if (foreign == null) {
            problems.add(new Problem(number, "password_hash", "hash-invalid",
                    algorithm.startsWith("pbkdf2") || algorithm.startsWith("scrypt") ? "an object for " + algorithm
                            : "a string for " + algorithm));
            return null;
        }
        ForeignHashes.Checked checked = ForeignHashes.check(foreign);
        if (checked.problem() != null) {
            problems.add(new Problem(number, checked.problem().field(), checked.problem().code(),
                    checked.problem().message()));
            return null;
        }
        return checked.stored();
    }

    private static String string(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.stringValue() : null;
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            return value != null && value.isIntegralNumber() ? Integer.MAX_VALUE : null;
        }
        return value.intValue();
    }

    private static List<ExternalIdentity> identities(JsonNode node, int number, List<Problem> problems) {
        JsonNode value = node.get("external_identities");
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray() || value.size() > MAX_IDENTITIES) {
            problems.add(new Problem(number, "external_identities", "invalid-value",
                    "a list of at most " + MAX_IDENTITIES + " {alias, subject}"));
            return List.of();
        }
        List<ExternalIdentity> identities = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String field = "external_identities[" + i + "]";
            String alias = item.isObject() ? string(item, "alias") : null;
            String subject = item.isObject() ? string(item, "subject") : null;
            if (alias == null || !ALIAS.matcher(alias).matches()) {
                problems.add(new Problem(number, field + ".alias", "invalid-value",
                        "lower-case letters, digits, - and _, at most 50"));
            }
            else if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT) {
                problems.add(new Problem(number, field + ".subject", "invalid-value",
                        "a non-empty string of at most " + MAX_SUBJECT + " characters"));
            }
            else if (item.size() != 2) {
                problems.add(new Problem(number, field, "unknown-field", "only alias and subject"));
            }
            else {
                identities.add(new ExternalIdentity(alias, subject));
            }
        }
        return identities;
    }

}
