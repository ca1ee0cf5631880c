package dev.kapi.plans;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/** The packages given to accounts, each for a window of time. */
@Repository
class UserPackages {

    private static final String SELECT = """
            SELECT up.*, p.name AS package_name
            FROM user_packages up
            JOIN packages p ON p.id = up.package_id
            """;

    private final JdbcClient jdbc;

    private final EntitlementCache cache;

    UserPackages(JdbcClient jdbc, EntitlementCache cache) {
        this.jdbc = jdbc;
        this.cache = cache;
    }

    /** One stored user package; whether it is active depends on when one asks. */
    record Assignment(long id, long accountId, long packageId, String packageName, Instant startsAt, Instant endsAt,
            Instant createdAt) {

        boolean activeAt(Instant now) {
            return !now.isBefore(startsAt) && now.isBefore(endsAt);
        }
    }

    long create(long accountId, long packageId, Instant startsAt, Instant endsAt, Instant now) {
        long id = jdbc.sql("""
                INSERT INTO user_packages (account_id, package_id, starts_at, ends_at, created_at)
                VALUES (:accountId, :packageId, :startsAt, :endsAt, :now)
                RETURNING id
                """)
            .param("accountId", accountId)
            .param("packageId", packageId)
            .param("startsAt", utc(startsAt))
            .param("endsAt", utc(endsAt))
            .param("now", utc(now))
            .query(Long.class)
            .single();
        cache.changed(accountId);
        return id;
    }

    Optional<Assignment> byId(long id) {
        return jdbc.sql(SELECT + " WHERE up.id = :id").param("id", id).query(UserPackages::map).optional();
    }

    /** Latest start first. */
    List<Assignment> ofAccounts(Collection<Long> accountIds) {
        if (accountIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(SELECT + " WHERE up.account_id IN (:ids) ORDER BY up.starts_at DESC, up.id DESC")
            .param("ids", List.copyOf(accountIds))
            .query(UserPackages::map)
            .list();
    }

    void update(long id, long packageId, Instant startsAt, Instant endsAt) {
        jdbc.sql("""
                UPDATE user_packages SET package_id = :packageId, starts_at = :startsAt, ends_at = :endsAt
                WHERE id = :id RETURNING account_id
                """)
            .param("packageId", packageId)
            .param("startsAt", utc(startsAt))
            .param("endsAt", utc(endsAt))
            .param("id", id)
            .query(Long.class)
            .optional()
            .ifPresent(cache::changed);
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM user_packages WHERE id = :id RETURNING account_id")
            .param("id", id)
            .query(Long.class)
            .optional()
            .map(accountId -> {
                cache.changed(accountId);
                return true;
            })
            .orElse(false);
    }

    int deleteOf(long accountId) {
        int deleted = jdbc.sql("DELETE FROM user_packages WHERE account_id = :accountId")
            .param("accountId", accountId)
            .update();
        cache.changed(accountId);
        return deleted;
    }

    /**
     * When the account's active packages next change by themselves: the nearest start or
     * end after now.
     */
    Instant nextChange(long accountId, Instant now) {
        return jdbc.sql("""
                SELECT min(boundary) FROM (
                    SELECT starts_at AS boundary FROM user_packages WHERE account_id = :accountId AND starts_at > :now
                    UNION ALL
                    SELECT ends_at FROM user_packages WHERE account_id = :accountId AND ends_at > :now) boundaries
                """)
            .param("accountId", accountId)
            .param("now", utc(now))
            .query((rs, row) -> instant(rs, "min"))
            .optional()
            .orElse(null);
    }

    boolean anyOf(long packageId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM user_packages WHERE package_id = :packageId)")
            .param("packageId", packageId)
            .query(Boolean.class)
            .single();
    }

    /** The content values of the account's packages active at {@code now}, sorted. */
    SortedSet<String> activeContentValues(long accountId, Instant now) {
        return new TreeSet<>(jdbc.sql("""
                SELECT DISTINCT c.content_value
                FROM user_packages up
                JOIN package_contents c ON c.package_id = up.package_id
                WHERE up.account_id = :accountId AND up.starts_at <= :now AND up.ends_at > :now
                """).param("accountId", accountId).param("now", utc(now)).query(String.class).list());
    }

    boolean activeContentValue(long accountId, String contentValue, Instant now) {
        return jdbc.sql("""
                SELECT EXISTS (
                    SELECT 1
                    FROM user_packages up
                    JOIN package_contents c ON c.package_id = up.package_id
                    WHERE up.account_id = :accountId AND up.starts_at <= :now AND up.ends_at > :now
                      AND c.content_value = :value)
                """)
            .param("accountId", accountId)
            .param("now", utc(now))
            .param("value", contentValue)
            .query(Boolean.class)
            .single();
    }

    private static Assignment map(ResultSet rs, int n) throws SQLException {
        return new Assignment(rs.getLong("id"), rs.getLong("account_id"), rs.getLong("package_id"),
                rs.getString("package_name"), instant(rs, "starts_at"), instant(rs, "ends_at"),
                instant(rs, "created_at"));
    }

}
