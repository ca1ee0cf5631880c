package dev.kapi.admin;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.kapi.shared.SqlTime;

/** The request inbox's two tables: requests and their answers, newest request first. */
@Repository
class SupportRequests {

    static final List<String> STATUSES = List.of("open", "answered", "closed");

    record Answer(long id, long requestId, long adminId, String body, Instant createdAt) {
    }

    record Request(long id, long accountId, String userPublicId, String subject, String body, String status,
            String language, Instant createdAt, Instant updatedAt, Instant closedAt) {
    }

    private final JdbcClient jdbc;

    SupportRequests(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    long insert(long accountId, String userPublicId, String subject, String body, String language, Instant now) {
        return jdbc.sql("""
                INSERT INTO support_requests (account_id, user_public_id, subject, body, status, language,
                                              created_at, updated_at)
                VALUES (:account, :publicId, :subject, :body, 'open', :language, :now, :now) RETURNING id""")
            .param("account", accountId)
            .param("publicId", userPublicId)
            .param("subject", subject)
            .param("body", body)
            .param("language", language)
            .param("now", SqlTime.utc(now))
            .query(Long.class)
            .single();
    }

    Optional<Request> byId(long id) {
        return jdbc.sql("SELECT * FROM support_requests WHERE id = :id")
            .param("id", id)
            .query(SupportRequests::request)
            .optional();
    }

    /**
     * Newest first, optionally only one account's or one status', starting below the id
     * {@code before}.
     */
    List<Request> find(Long accountId, String status, Long before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM support_requests WHERE true");
        Map<String, Object> params = new HashMap<>();
        if (accountId != null) {
            sql.append(" AND account_id = :account");
            params.put("account", accountId);
        }
        if (status != null) {
            sql.append(" AND status = :status");
            params.put("status", status);
        }
        if (before != null) {
            sql.append(" AND id < :before");
            params.put("before", before);
        }
        sql.append(" ORDER BY id DESC LIMIT :limit");
        params.put("limit", limit);
        return jdbc.sql(sql.toString()).params(params).query(SupportRequests::request).list();
    }

    /** The answers of the given requests, oldest first within each. */
    Map<Long, List<Answer>> answersOf(Collection<Long> requestIds) {
        Map<Long, List<Answer>> answers = new HashMap<>();
        if (requestIds.isEmpty()) {
            return answers;
        }
        jdbc.sql("SELECT * FROM support_answers WHERE request_id = ANY(:ids) ORDER BY request_id, id")
            .param("ids", requestIds.stream().distinct().toArray(Long[]::new))
            .query(rs -> {
                Answer answer = new Answer(rs.getLong("id"), rs.getLong("request_id"), rs.getLong("admin_id"),
                        rs.getString("body"), SqlTime.instant(rs, "created_at"));
                answers.computeIfAbsent(answer.requestId(), id -> new ArrayList<>()).add(answer);
            });
        return answers;
    }

    long answer(long requestId, long adminId, String body, Instant now) {
        long answerId = jdbc.sql("""
                INSERT INTO support_answers (request_id, admin_id, body, created_at)
                VALUES (:request, :admin, :body, :now) RETURNING id""")
            .param("request", requestId)
            .param("admin", adminId)
            .param("body", body)
            .param("now", SqlTime.utc(now))
            .query(Long.class)
            .single();
        jdbc.sql("UPDATE support_requests SET status = 'answered', updated_at = :now WHERE id = :id")
            .param("id", requestId)
            .param("now", SqlTime.utc(now))
            .update();
        return answerId;
    }

    void close(long requestId, Instant now) {
        jdbc.sql("UPDATE support_requests SET status = 'closed', updated_at = :now, closed_at = :now WHERE id = :id")
            .param("id", requestId)
            .param("now", SqlTime.utc(now))
            .update();
    }

    /**
     * Locks the request row for a state change, so two admins cannot answer and close it
     * at once.
     */
    Optional<Request> lock(long id) {
        return jdbc.sql("SELECT * FROM support_requests WHERE id = :id FOR UPDATE")
            .param("id", id)
            .query(SupportRequests::request)
            .optional();
    }

    Map<String, Long> countByStatus() {
        Map<String, Long> counts = new HashMap<>();
        STATUSES.forEach(status -> counts.put(status, 0L));
        jdbc.sql("SELECT status, count(*) AS n FROM support_requests GROUP BY status").query(rs -> {
            counts.put(rs.getString("status"), rs.getLong("n"));
        });
        return counts;
    }

    void deleteOf(long accountId) {
        jdbc.sql("DELETE FROM support_requests WHERE account_id = :account").param("account", accountId).update();
    }

    private static Request request(ResultSet rs, int row) throws SQLException {
        return new Request(rs.getLong("id"), rs.getLong("account_id"), rs.getString("user_public_id"),
                rs.getString("subject"), rs.getString("body"), rs.getString("status"), rs.getString("language"),
                SqlTime.instant(rs, "created_at"), SqlTime.instant(rs, "updated_at"), SqlTime.instant(rs, "closed_at"));
    }

}
