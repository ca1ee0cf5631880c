package dev.kapi.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The event table: rows, slugs and the list query that stays fast at a million events.
 */
@Repository
class Events {

    private static final String SELECT = """
            SELECT e.id, e.title, e.slug, e.description, e.content, e.image_url, e.location, e.start_time,
                   e.end_time, e.category_id, c.name AS category_name, e.created_by, e.created_at, e.updated_at,
                   e.deleted_at, e.deleted_by, e.title_key, e.timezone, e.capacity, e.registration_opens_at,
                   e.registration_closes_at, e.approval, e.waitlist, e.visibility, e.attendance, e.confirmed_count,
                   e.waitlisted_count, e.pending_count, e.checked_in_count, e.sequence, e.series_id,
                   e.series_edited
            FROM events e
            LEFT JOIN event_categories c ON c.id = e.category_id
            """;

    /** Bounds of a walk along the sort index during a search, in rows. */
    private static final int MIN_SCAN = 500;

    private static final int MAX_SCAN = 50_000;

    private static final Pattern ESTIMATED_ROWS = Pattern.compile("rows=(\\d+)");

    private final JdbcClient jdbc;

    Events(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The fields an editor sets; of {@code settings}, the counts are not written.
     */
    record Fields(String title, String description, String content, String imageUrl, String location, Instant startTime,
            Instant endTime, Integer categoryId, Attendance settings) {
    }

    long insert(Fields fields, String slug, long createdBy, Instant now) {
        return insert(fields, slug, createdBy, now, null);
    }

    /** An event, an occurrence of a series when {@code seriesId} is given. */
    long insert(Fields fields, String slug, long createdBy, Instant now, Long seriesId) {
        return jdbc.sql("""
                INSERT INTO events (title, slug, description, content, image_url, location, start_time, end_time,
                                    category_id, created_by, created_at, updated_at, timezone, capacity,
                                    registration_opens_at, registration_closes_at, approval, waitlist, visibility,
                                    attendance, series_id)
                VALUES (:title, :slug, :description, :content, :imageUrl, :location, :startTime, :endTime,
                        :categoryId, :createdBy, :now, :now, :timezone, :capacity, :opensAt, :closesAt, :approval,
                        :waitlist, :visibility, :attendance, :seriesId)
                RETURNING id
                """)
            .params(params(fields))
            .param("slug", slug)
            .param("createdBy", createdBy)
            .param("now", utc(now))
            .param("seriesId", seriesId)
            .query(Long.class)
            .single();
    }

    void update(long id, Fields fields, Instant now) {
        update(id, fields, now, false);
    }

    /**
     * Writes an event's fields; {@code onItsOwn} marks an occurrence as edited apart from
     * its series.
     */
    void update(long id, Fields fields, Instant now, boolean onItsOwn) {
        jdbc.sql("""
                UPDATE events SET title = :title, description = :description, content = :content,
                                  image_url = :imageUrl, location = :location, start_time = :startTime,
                                  end_time = :endTime, category_id = :categoryId, updated_at = :now,
                                  timezone = :timezone, capacity = :capacity, registration_opens_at = :opensAt,
                                  registration_closes_at = :closesAt, approval = :approval, waitlist = :waitlist,
                                  visibility = :visibility, attendance = :attendance,
                                  sequence = sequence + 1, series_edited = series_edited OR :onItsOwn
                WHERE id = :id
                """).params(params(fields)).param("now", utc(now)).param("id", id).param("onItsOwn", onItsOwn).update();
    }

    Optional<Event> byId(long id) {
        return jdbc.sql(SELECT + " WHERE e.id = :id").param("id", id).query(Events::map).optional();
    }

    /** The event, locked for a change until the transaction ends. */
    Optional<Event> lock(long id) {
        return jdbc.sql(SELECT + " WHERE e.id = :id FOR UPDATE OF e").param("id", id).query(Events::map).optional();
    }

    /**
     * The live event with this slug, else (when deleted ones count) the one deleted last.
     */
    Optional<Event> bySlug(String slug, boolean includeDeleted) {
        return jdbc.sql(SELECT + """
                 WHERE e.slug = :slug AND (e.deleted_at IS NULL OR :includeDeleted)
                 ORDER BY e.deleted_at IS NOT NULL, e.deleted_at DESC, e.id DESC
                 LIMIT 1
                """).param("slug", slug).param("includeDeleted", includeDeleted).query(Events::map).optional();
    }

    /**
     * The first free slug for {@code base} among live events: the base itself, else the
     * base with the next number after the highest one in use ({@code base-2},
     * {@code base-3}, ...).
     */
    String freeSlug(String base) {
        return jdbc.sql("""
                SELECT CASE
                         WHEN NOT EXISTS (SELECT 1 FROM events WHERE slug = :base AND deleted_at IS NULL) THEN :base
                         ELSE :base || '-' || (coalesce((
                             SELECT max(substring(slug FROM length(:base) + 2)::bigint)
                             FROM events
                             WHERE slug LIKE :base || '-%' AND deleted_at IS NULL
                               AND substring(slug FROM length(:base) + 2) ~ '^[0-9]{1,15}$'), 1) + 1)
                       END
                """).param("base", base).query(String.class).single();
    }

    boolean liveSlugTaken(String slug, long exceptId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM events WHERE slug = :slug AND deleted_at IS NULL AND id <> :id)")
            .param("slug", slug)
            .param("id", exceptId)
            .query(Boolean.class)
            .single();
    }

    void softDelete(long id, long deletedBy, Instant now) {
        jdbc.sql(
                "UPDATE events SET deleted_at = :now, deleted_by = :by, updated_at = :now, sequence = sequence + 1 WHERE id = :id")
            .param("now", utc(now))
            .param("by", deletedBy)
            .param("id", id)
            .update();
    }

    /** Brings a deleted event back under the slug; a live one is left as it is. */
    void restore(long id, String slug, Instant now) {
        jdbc.sql("""
                UPDATE events SET deleted_at = NULL, deleted_by = NULL, slug = :slug, updated_at = :now,
                                  sequence = sequence + 1
                WHERE id = :id AND deleted_at IS NOT NULL""")
            .param("slug", slug)
            .param("now", utc(now))
            .param("id", id)
            .update();
    }

    boolean delete(long id) {
        return jdbc.sql("DELETE FROM events WHERE id = :id").param("id", id).update() == 1;
    }

    /**
     * Adds to the registration counts of an event (whose row the caller has locked) and
     * marks it as one that answers issue 33's fields. The capacity check constraint
     * refuses a count past the capacity, whatever a caller got wrong.
     */
    void count(long id, int confirmed, int waitlisted, int pending, int checkedIn) {
        jdbc.sql("""
                UPDATE events SET confirmed_count = confirmed_count + :confirmed,
                                  waitlisted_count = waitlisted_count + :waitlisted,
                                  pending_count = pending_count + :pending,
                                  checked_in_count = checked_in_count + :checkedIn, attendance = TRUE
                WHERE id = :id""")
            .param("confirmed", confirmed)
            .param("waitlisted", waitlisted)
            .param("pending", pending)
            .param("checkedIn", checkedIn)
            .param("id", id)
            .update();
    }

    /**
     * Public events, cancelled ones too, that end after {@code since}, in start order:
     * the public calendar feed.
     */
    List<Event> publicFeed(Integer categoryId, Instant since, int limit) {
        return jdbc.sql(SELECT + """
                 WHERE e.visibility = 'public' AND e.end_time > :since
                   AND (CAST(:categoryId AS integer) IS NULL OR e.category_id = :categoryId)
                 ORDER BY e.start_time, e.id
                 LIMIT :limit
                """)
            .param("since", utc(since))
            .param("categoryId", categoryId)
            .param("limit", limit)
            .query(Events::map)
            .list();
    }

    /**
     * The events an account registered for (whatever became of the registration) that end
     * after {@code since}, in start order: its personal calendar feed.
     */
    List<Event> registeredFeed(long accountId, Instant since, int limit) {
        return jdbc.sql(SELECT + """
                 JOIN event_registrations r ON r.event_id = e.id
                 WHERE r.account_id = :accountId AND e.end_time > :since
                 ORDER BY e.start_time, e.id
                 LIMIT :limit
                """)
            .param("accountId", accountId)
            .param("since", utc(since))
            .param("limit", limit)
            .query(Events::map)
            .list();
    }

    /** The ids of a series' live occurrences that start after {@code after}, in order. */
    List<Long> futureOccurrences(long seriesId, Instant after, boolean uneditedOnly) {
        return jdbc.sql("""
                SELECT id FROM events
                WHERE series_id = :seriesId AND start_time > :after AND deleted_at IS NULL
                  AND (NOT :uneditedOnly OR NOT series_edited)
                ORDER BY start_time, id""")
            .param("seriesId", seriesId)
            .param("after", utc(after))
            .param("uneditedOnly", uneditedOnly)
            .query(Long.class)
            .list();
    }

    /** A series' occurrences, live ones, in order. */
    List<Event> occurrences(long seriesId) {
        return jdbc.sql(SELECT + " WHERE e.series_id = :seriesId AND e.deleted_at IS NULL ORDER BY e.start_time, e.id")
            .param("seriesId", seriesId)
            .query(Events::map)
            .list();
    }

    /** An account is gone: its events stay, without an author. */
    void forgetAccount(long accountId) {
        jdbc.sql("UPDATE events SET created_by = NULL WHERE created_by = :id").param("id", accountId).update();
        jdbc.sql("UPDATE events SET deleted_by = NULL WHERE deleted_by = :id").param("id", accountId).update();
    }

    /**
     * One page of a list, {@code limit + 1} events at most (the extra one tells that a
     * next page exists). First the page's ids are found with the filters alone, which is
     * one range of the sort index (and index-only, so a large skip stays cheap); then
     * those rows are read by id.
     */
    List<Event> page(EventQuery query) {
        List<Long> ids = query.tsquery() == null ? ids(plainPage(query)) : searchPage(query);
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Integer> position = new HashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            position.put(ids.get(i), i);
        }
        List<Event> events = new ArrayList<>(byIds(ids));
        events.sort(Comparator.comparing(event -> position.get(event.id())));
        return events;
    }

    /** The events with these ids, in no particular order (one statement for a page). */
    List<Event> byIds(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(SELECT + " WHERE e.id = ANY(:ids)")
            .param("ids", ids.toArray(Long[]::new))
            .query(Events::map)
            .list();
    }

    /**
     * A search page, found one of two ways. Walking the sort index and testing each event
     * costs about {@code wanted / share of matching events} rows; taking every match from
     * the full-text index and sorting costs one row per match. The planner's estimates
     * pick the cheaper (they are good for single words, and its own choice is not trusted
     * because it cannot know how search words and filters correlate: a wrong guess would
     * walk a million rows). The walk is bounded, and when it does not fill the page the
     * full-text index answers (index scans in sort order off for that one statement).
     */
    private List<Long> searchPage(EventQuery query) {
        Conditions where = conditions(query);
        Map<String, Object> params = new HashMap<>(where.params());
        double all = estimate("SELECT 1 FROM events e WHERE " + where.sql(), params);
        params.put("tsquery", query.tsquery());
        double matching = Math.max(1, estimate(
                "SELECT 1 FROM events e WHERE " + where.sql() + " AND e.search_vector @@ CAST(:tsquery AS tsquery)",
                params));
        int wanted = query.skip() + query.limit() + 1;
        double walk = wanted * all / matching;
        if (walk <= matching) {
            int scan = (int) Math.min(MAX_SCAN, Math.max(MIN_SCAN, 3 * walk));
            List<Long> ids = ids(boundedSearchPage(query, scan));
            if (ids.size() == query.limit() + 1) {
                return ids;
            }
        }
        jdbc.sql("SET LOCAL enable_indexscan = off").update();
        jdbc.sql("SET LOCAL enable_indexonlyscan = off").update();
        try {
            return ids(indexedSearchPage(query));
        }
        finally {
            jdbc.sql("SET LOCAL enable_indexscan = on").update();
            jdbc.sql("SET LOCAL enable_indexonlyscan = on").update();
        }
    }

    /**
     * The planner's estimate of the rows a query returns: planning only, nothing is read.
     */
    private double estimate(String sql, Map<String, Object> params) {
        String plan = jdbc.sql("EXPLAIN " + sql).params(params).query(String.class).list().getFirst();
        Matcher rows = ESTIMATED_ROWS.matcher(plan);
        return rows.find() ? Double.parseDouble(rows.group(1)) : 0;
    }

    /**
     * A statement that finds the ids of a page; the benchmark explains the very same
     * ones.
     */
    record PageStatement(String sql, Map<String, Object> params) {
    }

    PageStatement plainPage(EventQuery query) {
        Conditions where = conditions(query);
        return where.statement("SELECT e.id FROM events e WHERE " + where.sql() + " ORDER BY " + order(query, "e")
                + " OFFSET :skip LIMIT :fetch", query);
    }

    /**
     * The search page among the first {@code scan} events of the filtered list in sort
     * order.
     */
    PageStatement boundedSearchPage(EventQuery query, int scan) {
        Conditions where = conditions(query);
        PageStatement statement = where.statement("SELECT s.id FROM (SELECT e.id, e." + query.sort().column()
                + ", e.search_vector FROM events e WHERE " + where.sql() + " ORDER BY " + order(query, "e")
                + " LIMIT :scan) s WHERE s.search_vector @@ CAST(:tsquery AS tsquery) ORDER BY " + order(query, "s")
                + " OFFSET :skip LIMIT :fetch", query);
        statement.params().put("scan", scan);
        return statement;
    }

    PageStatement indexedSearchPage(EventQuery query) {
        Conditions where = conditions(query);
        return where.statement("SELECT e.id FROM events e WHERE " + where.sql()
                + " AND e.search_vector @@ CAST(:tsquery AS tsquery) ORDER BY " + order(query, "e")
                + " OFFSET :skip LIMIT :fetch", query);
    }

    private List<Long> ids(PageStatement statement) {
        return jdbc.sql(statement.sql()).params(statement.params()).query(Long.class).list();
    }

    private record Conditions(String sql, Map<String, Object> params) {

        PageStatement statement(String sql, EventQuery query) {
            Map<String, Object> all = new HashMap<>(params);
            all.put("skip", query.skip());
            all.put("fetch", query.limit() + 1);
            if (query.tsquery() != null) {
                all.put("tsquery", query.tsquery());
            }
            return new PageStatement(sql, all);
        }
    }

    private static Conditions conditions(EventQuery query) {
        List<String> sql = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (!query.includeDeleted()) {
            sql.add("e.deleted_at IS NULL");
        }
        if (query.publicOnly()) {
            sql.add("e.visibility = 'public'");
        }
        if (query.categoryId() != null) {
            sql.add("e.category_id = :categoryId");
            params.put("categoryId", query.categoryId());
        }
        switch (query.status()) {
            case UPCOMING -> {
                // Not ended yet. No event lasts longer than the longest one, which turns
                // the condition into
                // a start_time range that the sort and category indexes can use.
                sql.add("e.end_time > :now");
                sql.add("e.start_time > :now - (SELECT max(end_time - start_time) FROM events)");
                params.put("now", utc(query.now()));
            }
            case PAST -> {
                sql.add("e.end_time <= :now");
                sql.add("e.start_time < :now");
                params.put("now", utc(query.now()));
            }
            case ALL -> {
            }
        }
        EventCursor after = query.after();
        if (after != null) {
            sql.add("(e." + query.sort().column() + ", e.id) " + (query.descending() ? "<" : ">")
                    + " (:afterValue, :afterId)");
            params.put("afterValue", query.sort().isTime() ? utc(Instant.parse(after.value())) : after.value());
            params.put("afterId", after.id());
        }
        return new Conditions(sql.isEmpty() ? "TRUE" : String.join(" AND ", sql), params);
    }

    private static String order(EventQuery query, String alias) {
        String direction = query.descending() ? " DESC" : " ASC";
        return alias + "." + query.sort().column() + direction + ", " + alias + ".id" + direction;
    }

    private static Map<String, Object> params(Fields fields) {
        Map<String, Object> params = new HashMap<>();
        params.put("title", fields.title());
        params.put("description", fields.description());
        params.put("content", fields.content());
        params.put("imageUrl", fields.imageUrl());
        params.put("location", fields.location());
        params.put("startTime", utc(fields.startTime()));
        params.put("endTime", utc(fields.endTime()));
        params.put("categoryId", fields.categoryId());
        Attendance settings = fields.settings();
        params.put("timezone", settings.timezone());
        params.put("capacity", settings.capacity());
        params.put("opensAt", utc(settings.opensAt()));
        params.put("closesAt", utc(settings.closesAt()));
        params.put("approval", settings.approval());
        params.put("waitlist", settings.waitlist());
        params.put("visibility", settings.visibility());
        params.put("attendance", settings.shown());
        return params;
    }

    private static Event map(ResultSet rs, int row) throws SQLException {
        return new Event(rs.getLong("id"), rs.getString("title"), rs.getString("slug"), rs.getString("description"),
                rs.getString("content"), rs.getString("image_url"), rs.getString("location"), instant(rs, "start_time"),
                instant(rs, "end_time"), rs.getObject("category_id", Integer.class), rs.getString("category_name"),
                rs.getObject("created_by", Long.class), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "deleted_at"), rs.getObject("deleted_by", Long.class), rs.getString("title_key"),
                new Attendance(rs.getString("timezone"), rs.getObject("capacity", Integer.class),
                        instant(rs, "registration_opens_at"), instant(rs, "registration_closes_at"),
                        rs.getString("approval"), rs.getBoolean("waitlist"), rs.getString("visibility"),
                        rs.getBoolean("attendance"), rs.getInt("confirmed_count"), rs.getInt("waitlisted_count"),
                        rs.getInt("pending_count"), rs.getInt("checked_in_count")),
                rs.getInt("sequence"), rs.getObject("series_id", Long.class), rs.getBoolean("series_edited"));
    }

}
