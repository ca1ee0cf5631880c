package dev.kapi.events;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.utc;

/**
 * The category table. Names are unique after case and accent folding (a database index
 * says so).
 */
@Repository
class Categories {

    private final JdbcClient jdbc;

    Categories(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<Category> all() {
        return jdbc.sql("SELECT id, name FROM event_categories ORDER BY events_fold(name), id")
            .query(Category.class)
            .list();
    }

    Optional<Category> byId(int id) {
        return jdbc.sql("SELECT id, name FROM event_categories WHERE id = :id")
            .param("id", id)
            .query(Category.class)
            .optional();
    }

    /** The category, locked against deletion until the transaction ends. */
    Optional<Category> lock(int id) {
        return jdbc.sql("SELECT id, name FROM event_categories WHERE id = :id FOR UPDATE")
            .param("id", id)
            .query(Category.class)
            .optional();
    }

    Category create(String name, Instant now) {
        int id = jdbc.sql("""
                INSERT INTO event_categories (name, created_at, updated_at) VALUES (:name, :now, :now) RETURNING id
                """).param("name", name).param("now", utc(now)).query(Integer.class).single();
        return new Category(id, name);
    }

    boolean rename(int id, String name, Instant now) {
        return jdbc.sql("UPDATE event_categories SET name = :name, updated_at = :now WHERE id = :id")
            .param("name", name)
            .param("now", utc(now))
            .param("id", id)
            .update() == 1;
    }

    boolean usedByLiveEvents(int id) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM events WHERE category_id = :id AND deleted_at IS NULL)")
            .param("id", id)
            .query(Boolean.class)
            .single();
    }

    /**
     * Removes the category; soft-deleted events that still name it lose their category.
     */
    void delete(int id) {
        jdbc.sql("DELETE FROM event_categories WHERE id = :id").param("id", id).update();
    }

}
