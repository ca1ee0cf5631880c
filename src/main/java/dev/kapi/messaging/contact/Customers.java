package dev.kapi.messaging.contact;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The customer table, its custom field names and group memberships; every statement is
 * scoped to an owner.
 */
@Repository
public class Customers {

    private static final TypeReference<LinkedHashMap<String, String>> FIELDS = new TypeReference<>() {
    };

    private final JdbcClient jdbc;

    private final JsonMapper json;

    Customers(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** A customer's editable fields. */
    record Fields(String phone, String name, Map<String, String> fields) {
    }

    /** The result of one upsert of an import: whether the row was new. */
    record Upserted(long id, String phone, boolean created) {
    }

    Customer insert(long owner, Fields fields, Instant now) {
        return jdbc.sql("""
                INSERT INTO messaging_customers (owner_id, phone, name, fields, country, created_at, updated_at)
                VALUES (:owner, :phone, :name, CAST(:fields AS jsonb), :country, :now, :now)
                RETURNING *
                """)
            .param("owner", owner)
            .param("phone", fields.phone())
            .param("country", PhoneNumbers.market(fields.phone()))
            .param("name", fields.name())
            .param("fields", json.writeValueAsString(fields.fields()))
            .param("now", utc(now))
            .query(this::map)
            .single();
    }

    public Optional<Customer> byId(long owner, long id) {
        return jdbc.sql("SELECT * FROM messaging_customers WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", owner)
            .query(this::map)
            .optional();
    }

    public Optional<Customer> byPhone(long owner, String phone) {
        return jdbc.sql("SELECT * FROM messaging_customers WHERE owner_id = :owner AND phone = :phone")
            .param("owner", owner)
            .param("phone", phone)
            .query(this::map)
            .optional();
    }

    Customer update(long owner, long id, Fields fields, Instant now) {
        return jdbc.sql("""
                UPDATE messaging_customers SET phone = :phone, name = :name, fields = CAST(:fields AS jsonb),
                                               country = :country, updated_at = :now
                WHERE id = :id AND owner_id = :owner
                RETURNING *
                """)
            .param("phone", fields.phone())
            .param("country", PhoneNumbers.market(fields.phone()))
            .param("name", fields.name())
            .param("fields", json.writeValueAsString(fields.fields()))
            .param("now", utc(now))
            .param("id", id)
            .param("owner", owner)
            .query(this::map)
            .single();
    }

    boolean delete(long owner, long id) {
        return jdbc.sql("DELETE FROM messaging_customers WHERE id = :id AND owner_id = :owner")
            .param("id", id)
            .param("owner", owner)
            .update() == 1;
    }

    /**
     * A page in id order: customers after {@code afterId}, optionally in one group and
     * matching {@code search} in name or phone; {@code limit + 1} rows at most.
     */
    List<Customer> page(long owner, String search, Long groupId, Long afterId, int limit) {
        String pattern = search == null ? null
                : "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        String digits = search == null ? null : search.replaceAll("[^0-9]", "");
        return jdbc.sql("""
                SELECT c.* FROM messaging_customers c
                WHERE c.owner_id = :owner AND c.id > :after
                  AND (CAST(:groupId AS bigint) IS NULL OR EXISTS (
                       SELECT 1 FROM messaging_group_members m WHERE m.group_id = :groupId AND m.customer_id = c.id))
                  AND (CAST(:pattern AS text) IS NULL OR c.name ILIKE :pattern
                       OR (:digits <> '' AND c.phone LIKE '%' || :digits || '%'))
                ORDER BY c.id
                LIMIT :limit
                """)
            .param("owner", owner)
            .param("after", afterId == null ? 0L : afterId)
            .param("groupId", groupId)
            .param("pattern", pattern)
            .param("digits", digits == null ? "" : digits)
            .param("limit", limit + 1)
            .query(this::map)
            .list();
    }

    /**
     * Inserts new numbers and updates known ones (name, and fields merged) in one
     * statement.
     */
    List<Upserted> upsert(long owner, List<Fields> rows, Instant now) {
        if (rows.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("""
                INSERT INTO messaging_customers (owner_id, phone, name, fields, country, created_at, updated_at)
                SELECT :owner, r.phone, r.name, CAST(r.fields AS jsonb), r.country, :now, :now
                FROM unnest(CAST(:phones AS text[]), CAST(:names AS text[]), CAST(:fields AS text[]),
                            CAST(:countries AS text[])) AS r (phone, name, fields, country)
                ON CONFLICT (owner_id, phone) DO UPDATE
                    SET name = coalesce(EXCLUDED.name, messaging_customers.name),
                        fields = messaging_customers.fields || EXCLUDED.fields, country = EXCLUDED.country,
                        updated_at = EXCLUDED.updated_at
                RETURNING id, phone, (xmax = 0) AS created
                """)
            .param("owner", owner)
            .param("now", utc(now))
            .param("phones", rows.stream().map(Fields::phone).toArray(String[]::new))
            .param("names", rows.stream().map(Fields::name).toArray(String[]::new))
            .param("countries", rows.stream().map(row -> PhoneNumbers.market(row.phone())).toArray(String[]::new))
            .param("fields", rows.stream().map(row -> json.writeValueAsString(row.fields())).toArray(String[]::new))
            .query((rs, n) -> new Upserted(rs.getLong("id"), rs.getString("phone"), rs.getBoolean("created")))
            .list();
    }

    /**
     * Writes the country of the owner's customers saved before countries were kept (read
     * from their numbers), so that a queue prices each by its market.
     */
    public void fillCountries(long owner) {
        while (true) {
            List<Upserted> missing = jdbc.sql("""
                    SELECT id, phone FROM messaging_customers
                    WHERE owner_id = :owner AND country IS NULL ORDER BY id LIMIT 10000
                    """)
                .param("owner", owner)
                .query((rs, n) -> new Upserted(rs.getLong("id"), rs.getString("phone"), false))
                .list();
            if (missing.isEmpty()) {
                return;
            }
            jdbc.sql("""
                    UPDATE messaging_customers c SET country = r.country
                    FROM unnest(CAST(:ids AS bigint[]), CAST(:countries AS text[])) AS r (id, country)
                    WHERE c.id = r.id
                    """)
                .param("ids", missing.stream().map(Upserted::id).toArray(Long[]::new))
                .param("countries",
                        missing.stream().map(row -> PhoneNumbers.market(row.phone())).toArray(String[]::new))
                .update();
        }
    }

    /**
     * The region the owner's numbers without a country code are read in: the default
     * region of the owner's first sender, else {@link PhoneNumbers#DEFAULT_REGION}.
     */
    String defaultRegion(long owner) {
        return jdbc.sql("""
                SELECT default_region FROM messaging_senders
                WHERE owner_id = :owner AND default_region IS NOT NULL ORDER BY id LIMIT 1
                """).param("owner", owner).query(String.class).optional().orElse(PhoneNumbers.DEFAULT_REGION);
    }

    /** Those of the ids that are the owner's customers. */
    public Set<Long> owned(long owner, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return Set.copyOf(jdbc.sql("SELECT id FROM messaging_customers WHERE owner_id = :owner AND id = ANY(:ids)")
            .param("owner", owner)
            .param("ids", ids.toArray(Long[]::new))
            .query(Long.class)
            .list());
    }

    /**
     * Remembers the custom field names the owner's customers use, the variables drafts
     * may name.
     */
    void registerFields(long owner, Collection<String> names) {
        if (names.isEmpty()) {
            return;
        }
        jdbc.sql("""
                INSERT INTO messaging_custom_fields (owner_id, name)
                SELECT :owner, unnest(CAST(:names AS text[]))
                ON CONFLICT DO NOTHING
                """).param("owner", owner).param("names", names.stream().distinct().toArray(String[]::new)).update();
    }

    public Set<String> fieldNames(long owner) {
        return Set.copyOf(jdbc.sql("SELECT name FROM messaging_custom_fields WHERE owner_id = :owner")
            .param("owner", owner)
            .query(String.class)
            .list());
    }

    public Map<String, String> readFields(String value) {
        return value == null ? Map.of() : json.readValue(value, FIELDS);
    }

    /**
     * Every customer of the owner (and with them their memberships), then the custom
     * field names they used (an account deleted for good).
     */
    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_customers WHERE owner_id = :owner").param("owner", owner).update();
        jdbc.sql("DELETE FROM messaging_custom_fields WHERE owner_id = :owner").param("owner", owner).update();
    }

    private Customer map(ResultSet rs, int n) throws SQLException {
        return new Customer(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("phone"), rs.getString("name"),
                readFields(rs.getString("fields")), instant(rs, "created_at"), instant(rs, "updated_at"));
    }

}
