package dev.kapi.identity.importing;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;
import org.springframework.stereotype.Repository;

import dev.kapi.identity.importing.ImportLine.ExternalIdentity;

import static dev.kapi.shared.SqlTime.utc;

/**
 * What an import reads and writes of the account tables: the lookups of a whole file at
 * once (by address, username and external identity) and the batched inserts.
 */
@Repository
class ImportedAccounts {

    private static final int CHUNK = 10_000;

    private final JdbcClient jdbc;

    private final JdbcTemplate template;

    private final SecureRandom random = new SecureRandom();

    ImportedAccounts(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** An account already there, by its address. */
    record Existing(long id, String email, String username, String role) {
    }

    /** The user types by name. */
    Map<String, Integer> userTypes() {
        Map<String, Integer> types = new HashMap<>();
        jdbc.sql("SELECT id, name FROM user_types")
            .query((rs, row) -> types.put(rs.getString("name"), rs.getInt("id")))
            .list();
        return types;
    }

    Map<String, Existing> byEmails(Collection<String> emails) {
        Map<String, Existing> found = new HashMap<>();
        for (List<String> chunk : chunks(emails)) {
            jdbc.sql("""
                    SELECT a.id, a.email, a.username, t.name AS role FROM accounts a
                    JOIN user_types t ON t.id = a.user_type_id WHERE a.email = ANY(:emails)
                    """)
                .param("emails", new SqlArrayValue("text", chunk.toArray()))
                .query((rs, row) -> found.put(rs.getString("email"),
                        new Existing(rs.getLong("id"), rs.getString("email"), rs.getString("username"),
                                rs.getString("role"))))
                .list();
        }
        return found;
    }

    /** The accounts holding these usernames (lower-cased), by lower-cased username. */
    Map<String, Long> byUsernames(Collection<String> lowerUsernames) {
        Map<String, Long> found = new HashMap<>();
        for (List<String> chunk : chunks(lowerUsernames)) {
            jdbc.sql("SELECT id, lower(username) AS name FROM accounts WHERE lower(username) = ANY(:names)")
                .param("names", new SqlArrayValue("text", chunk.toArray()))
                .query((rs, row) -> found.put(rs.getString("name"), rs.getLong("id")))
                .list();
        }
        return found;
    }

    /** The accounts an external identity already belongs to. */
    Map<ExternalIdentity, Long> byIdentities(Collection<ExternalIdentity> identities) {
        Map<ExternalIdentity, Long> found = new HashMap<>();
        List<String> keys = identities.stream().map(identity -> identity.alias() + "\n" + identity.subject()).toList();
        for (List<String> chunk : chunks(keys)) {
            jdbc.sql("""
                    SELECT e.account_id, p.alias, e.subject
                    FROM external_identities e JOIN identity_providers p ON p.id = e.provider_id
                    WHERE p.alias || E'\\n' || e.subject = ANY(:keys)
                    """)
                .param("keys", new SqlArrayValue("text", chunk.toArray()))
                .query((rs, row) -> found.put(new ExternalIdentity(rs.getString("alias"), rs.getString("subject")),
                        rs.getLong("account_id")))
                .list();
        }
        return found;
    }

    /** Creates the accounts; answers their ids by address. */
    Map<String, Long> insert(List<ImportLine> lines, Map<String, Integer> types, String defaultType, Instant now) {
        List<Object[]> rows = new ArrayList<>(lines.size());
        for (ImportLine line : lines) {
            byte[] id = new byte[8];
            random.nextBytes(id);
            Instant created = line.createdAt() == null ? now : line.createdAt();
            rows.add(new Object[] { HexFormat.of().formatHex(id), line.username(), line.email(), line.fullName(),
                    line.name(), line.surname(), types.get(line.userType() == null ? defaultType : line.userType()),
                    Boolean.TRUE.equals(line.emailVerified()), line.passwordHash(), utc(created), utc(now) });
        }
        template.batchUpdate("""
                INSERT INTO accounts (public_id, username, email, full_name, name, surname, user_type_id,
                                      email_verified, password_hash, language, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'tr', ?, ?)
                """, rows);
        List<String> withIdentities = lines.stream()
            .filter(line -> !line.identities().isEmpty())
            .map(ImportLine::email)
            .toList();
        Map<String, Long> ids = new HashMap<>();
        byEmails(withIdentities).forEach((email, existing) -> ids.put(email, existing.id()));
        return ids;
    }

    /**
     * Overwrites what the line gives of an existing account; a new password hash also
     * marks the password changed.
     */
    void update(long accountId, ImportLine line, Integer typeId, Instant now) {
        jdbc.sql(
                """
                        UPDATE accounts SET username = COALESCE(:username, username), name = COALESCE(:name, name),
                               surname = COALESCE(:surname, surname), full_name = COALESCE(:fullName, full_name),
                               user_type_id = COALESCE(:typeId, user_type_id),
                               email_verified = COALESCE(:verified, email_verified),
                               password_hash = COALESCE(:hash, password_hash),
                               password_changed_at = CASE WHEN CAST(:hash AS text) IS NULL THEN password_changed_at ELSE :now END,
                               updated_at = :now
                        WHERE id = :id
                        """)
            .param("username", line.username())
            .param("name", line.name())
            .param("surname", line.surname())
            .param("fullName", line.fullName())
            .param("typeId", typeId)
            .param("verified", line.emailVerified())
            .param("hash", line.passwordHash())
            .param("now", utc(now))
            .param("id", accountId)
            .update();
    }

    void insertIdentities(List<Object[]> rows) {
        template.batchUpdate("""
                INSERT INTO external_identities (account_id, provider_id, subject, linked_at)
                SELECT ?, id, ?, ? FROM identity_providers WHERE alias = ?
                ON CONFLICT DO NOTHING
                """, rows);
    }

    /** The aliases of the configured external identity providers. */
    Set<String> providerAliases() {
        return new HashSet<>(jdbc.sql("SELECT alias FROM identity_providers").query(String.class).list());
    }

    private static List<List<String>> chunks(Collection<String> values) {
        List<String> all = List.copyOf(values);
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            chunks.add(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
        return chunks;
    }

}
