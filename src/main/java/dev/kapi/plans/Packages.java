package dev.kapi.plans;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.plans.PlanCatalog.Content;
import dev.kapi.plans.PlanCatalog.NewContent;
import dev.kapi.plans.PlanCatalog.PackageView;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/** The packages and their contents. */
@Repository
class Packages {

    private final JdbcClient jdbc;

    private final EntitlementCache entitlements;

    Packages(JdbcClient jdbc, EntitlementCache entitlements) {
        this.jdbc = jdbc;
        this.entitlements = entitlements;
    }

    /** A package's own fields, before its contents are attached. */
    private record Row(long id, String name, String detail, int days, Instant createdAt, Instant updatedAt) {

        PackageView with(List<Content> contents) {
            return new PackageView(id, name, detail, days, contents, createdAt, updatedAt);
        }
    }

    long create(String name, String detail, int days, Instant now) {
        return jdbc.sql("""
                INSERT INTO packages (name, detail, days, created_at, updated_at)
                VALUES (:name, :detail, :days, :now, :now)
                RETURNING id
                """)
            .param("name", name)
            .param("detail", detail)
            .param("days", days)
            .param("now", utc(now))
            .query(Long.class)
            .single();
    }

    Optional<PackageView> byId(long id) {
        return withContents(
                jdbc.sql("SELECT * FROM packages WHERE id = :id").param("id", id).query(Packages::row).optional());
    }

    Optional<PackageView> byName(String name) {
        return withContents(jdbc.sql("SELECT * FROM packages WHERE lower(name) = lower(:name)")
            .param("name", name)
            .query(Packages::row)
            .optional());
    }

    /**
     * Locks the package against concurrent changes until the transaction ends; false if
     * there is none.
     */
    boolean lock(long id) {
        return jdbc.sql("SELECT id FROM packages WHERE id = :id FOR UPDATE")
            .param("id", id)
            .query(Long.class)
            .optional()
            .isPresent();
    }

    List<PackageView> all() {
        List<Row> rows = jdbc.sql("SELECT * FROM packages ORDER BY lower(name), id").query(Packages::row).list();
        Map<Long, List<Content>> contents = contentsOf(rows.stream().map(Row::id).toList());
        return rows.stream().map(row -> row.with(contents.get(row.id()))).toList();
    }

    void update(long id, String name, String detail, int days, Instant now) {
        jdbc.sql("UPDATE packages SET name = :name, detail = :detail, days = :days, updated_at = :now WHERE id = :id")
            .param("name", name)
            .param("detail", detail)
            .param("days", days)
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    /** A change of contents is a change of the package. */
    void touch(long id, Instant now) {
        jdbc.sql("UPDATE packages SET updated_at = :now WHERE id = :id")
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM packages WHERE id = :id").param("id", id).update() > 0;
    }

    Content addContent(long packageId, NewContent content) {
        long id = jdbc.sql("""
                INSERT INTO package_contents (package_id, name, content_value) VALUES (:packageId, :name, :value)
                RETURNING id
                """)
            .param("packageId", packageId)
            .param("name", content.name())
            .param("value", content.contentValue())
            .query(Long.class)
            .single();
        entitlements.changedForEveryone();
        return new Content(id, packageId, content.name(), content.contentValue());
    }

    void replaceContents(long packageId, List<NewContent> contents) {
        jdbc.sql("DELETE FROM package_contents WHERE package_id = :packageId").param("packageId", packageId).update();
        contents.forEach(content -> addContent(packageId, content));
        entitlements.changedForEveryone();
    }

    Optional<Content> contentById(long id) {
        return jdbc.sql("SELECT * FROM package_contents WHERE id = :id")
            .param("id", id)
            .query(Packages::content)
            .optional();
    }

    Optional<Content> contentByName(String name) {
        return jdbc.sql("SELECT * FROM package_contents WHERE lower(name) = lower(:name) ORDER BY id LIMIT 1")
            .param("name", name)
            .query(Packages::content)
            .optional();
    }

    void updateContent(long id, String name, String contentValue) {
        jdbc.sql("UPDATE package_contents SET name = :name, content_value = :value WHERE id = :id")
            .param("name", name)
            .param("value", contentValue)
            .param("id", id)
            .update();
        entitlements.changedForEveryone();
    }

    boolean deleteContent(long id) {
        boolean deleted = jdbc.sql("DELETE FROM package_contents WHERE id = :id").param("id", id).update() > 0;
        entitlements.changedForEveryone();
        return deleted;
    }

    /** The contents of the given packages, oldest first; every id is a key. */
    Map<Long, List<Content>> contentsOf(Collection<Long> packageIds) {
        Map<Long, List<Content>> contents = new LinkedHashMap<>();
        packageIds.forEach(id -> contents.put(id, new ArrayList<>()));
        if (!packageIds.isEmpty()) {
            jdbc.sql("SELECT * FROM package_contents WHERE package_id IN (:ids) ORDER BY id")
                .param("ids", List.copyOf(packageIds))
                .query(Packages::content)
                .list()
                .forEach(content -> contents.get(content.packageId()).add(content));
        }
        contents.replaceAll((id, list) -> List.copyOf(list));
        return contents;
    }

    private Optional<PackageView> withContents(Optional<Row> row) {
        return row.map(found -> found.with(contentsOf(List.of(found.id())).get(found.id())));
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        return new Row(rs.getLong("id"), rs.getString("name"), rs.getString("detail"), rs.getInt("days"),
                instant(rs, "created_at"), instant(rs, "updated_at"));
    }

    private static Content content(ResultSet rs, int n) throws SQLException {
        return new Content(rs.getLong("id"), rs.getLong("package_id"), rs.getString("name"),
                rs.getString("content_value"));
    }

}
