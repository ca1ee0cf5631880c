package dev.kapi.messaging.contact;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The blacklist ({@code black}: never sent to) and the graylist ({@code gray}: sent only
 * with care), per owner.
 */
@Repository
public class ListEntries {

    public static final String BLACK = "black";
    static final String GRAY = "gray";

    private final JdbcClient jdbc;

    ListEntries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Entry(long id, long ownerId, String list, String phone, Long customerId, String reason, String source,
            Instant createdAt) {
    }

    /** Adds the number; empty when it is on that list already. */
    public Optional<Entry> add(long owner, String list, String phone, Long customerId, String reason, String source,
            Instant now) {
        return jdbc.sql("""
                INSERT INTO messaging_list_entries (owner_id, list, phone, customer_id, reason, source, created_at)
                VALUES (:owner, :list, :phone, :customerId, :reason, :source, :now)
                ON CONFLICT (owner_id, list, phone) DO NOTHING
                RETURNING *
                """)
            .param("owner", owner)
            .param("list", list)
            .param("phone", phone)
            .param("customerId", customerId)
            .param("reason", reason)
            .param("source", source)
            .param("now", utc(now))
            .query(ListEntries::map)
            .optional();
    }

    List<Entry> page(long owner, String list, Long afterId, int limit) {
        return jdbc.sql("""
                SELECT * FROM messaging_list_entries
                WHERE owner_id = :owner AND list = :list AND id > :after
                ORDER BY id LIMIT :limit
                """)
            .param("owner", owner)
            .param("list", list)
            .param("after", afterId == null ? 0L : afterId)
            .param("limit", limit + 1)
            .query(ListEntries::map)
            .list();
    }

    boolean delete(long owner, String list, long id) {
        return jdbc.sql("DELETE FROM messaging_list_entries WHERE id = :id AND owner_id = :owner AND list = :list")
            .param("id", id)
            .param("owner", owner)
            .param("list", list)
            .update() == 1;
    }

    /** Those of the numbers that are on the owner's list. */
    public Set<String> listed(long owner, String list, Collection<String> phones) {
        if (phones.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc
            .sql("""
                    SELECT phone FROM messaging_list_entries WHERE owner_id = :owner AND list = :list AND phone = ANY(:phones)
                    """)
            .param("owner", owner)
            .param("list", list)
            .param("phones", phones.toArray(String[]::new))
            .query(String.class)
            .list());
    }

    /** Both lists of the owner (an account deleted for good). */
    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_list_entries WHERE owner_id = :owner").param("owner", owner).update();
    }

    private static Entry map(ResultSet rs, int n) throws SQLException {
        return new Entry(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("list"), rs.getString("phone"),
                rs.getObject("customer_id", Long.class), rs.getString("reason"), rs.getString("source"),
                instant(rs, "created_at"));
    }

}
