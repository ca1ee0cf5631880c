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

/** Groups of customers and their members; every statement is scoped to an owner. */
@Repository
public class Groups {

    private static final String SELECT = """
            SELECT g.*, (SELECT count(*) FROM messaging_group_members m WHERE m.group_id = g.id) AS customer_count
            FROM messaging_groups g
            """;

    private final JdbcClient jdbc;

    Groups(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Group(long id, long ownerId, String name, String description, long customerCount, Instant createdAt,
            Instant updatedAt) {
    }

    long insert(long owner, String name, String description, Instant now) {
        return jdbc.sql("""
                INSERT INTO messaging_groups (owner_id, name, description, created_at, updated_at)
                VALUES (:owner, :name, :description, :now, :now)
                RETURNING id
                """)
            .param("owner", owner)
            .param("name", name)
            .param("description", description)
            .param("now", utc(now))
            .query(Long.class)
            .single();
    }

    Optional<Group> byId(long owner, long id) {
        return jdbc.sql(SELECT + " WHERE g.id = :id AND g.owner_id = :owner")
            .param("id", id)
            .param("owner", owner)
            .query(Groups::map)
            .optional();
    }

    void update(long owner, long id, String name, String description, Instant now) {
        jdbc.sql("""
                UPDATE messaging_groups SET name = :name, description = :description, updated_at = :now
                WHERE id = :id AND owner_id = :owner
                """)
            .param("name", name)
            .param("description", description)
            .param("now", utc(now))
            .param("id", id)
            .param("owner", owner)
            .update();
    }

    boolean delete(long owner, long id) {
        return jdbc.sql("DELETE FROM messaging_groups WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", owner)
            .update() == 1;
    }

    List<Group> page(long owner, Long afterId, int limit) {
        return jdbc.sql(SELECT + " WHERE g.owner_id = :owner AND g.id > :after ORDER BY g.id LIMIT :limit")
            .param("owner", owner)
            .param("after", afterId == null ? 0L : afterId)
            .param("limit", limit + 1)
            .query(Groups::map)
            .list();
    }

    /**
     * Adds the customers (already checked to be the owner's); those already in stay.
     * Returns how many were new.
     */
    int add(long groupId, Collection<Long> customerIds) {
        return jdbc.sql("""
                INSERT INTO messaging_group_members (group_id, customer_id)
                SELECT :groupId, unnest(CAST(:ids AS bigint[]))
                ON CONFLICT DO NOTHING
                """).param("groupId", groupId).param("ids", customerIds.toArray(Long[]::new)).update();
    }

    int remove(long groupId, Collection<Long> customerIds) {
        return jdbc.sql("DELETE FROM messaging_group_members WHERE group_id = :groupId AND customer_id = ANY(:ids)")
            .param("groupId", groupId)
            .param("ids", customerIds.toArray(Long[]::new))
            .update();
    }

    /** Those of the ids that are the owner's groups. */
    public Set<Long> owned(long owner, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("SELECT id FROM messaging_groups WHERE owner_id = :owner AND id = ANY(:ids)")
            .param("owner", owner)
            .param("ids", ids.toArray(Long[]::new))
            .query(Long.class)
            .list());
    }

    /**
     * Every group of the owner, and with them their memberships (an account deleted for
     * good).
     */
    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_groups WHERE owner_id = :owner").param("owner", owner).update();
    }

    private static Group map(ResultSet rs, int n) throws SQLException {
        return new Group(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("name"), rs.getString("description"),
                rs.getLong("customer_count"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

}
