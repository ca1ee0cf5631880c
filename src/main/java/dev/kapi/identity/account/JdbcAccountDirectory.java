package dev.kapi.identity.account;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.identity.AccountDirectory;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.shared.SqlTime;

/** The account directory, read straight from the account table in one query per call. */
@Component
class JdbcAccountDirectory implements AccountDirectory {

    private final JdbcClient jdbc;

    JdbcAccountDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<Long, String> fullNames(Collection<Long> accountIds) {
        Map<Long, String> names = new HashMap<>();
        if (accountIds.isEmpty()) {
            return names;
        }
        jdbc.sql("SELECT id, full_name FROM accounts WHERE id = ANY(:ids)")
            .param("ids", accountIds.stream().distinct().toArray(Long[]::new))
            .query(rs -> {
                names.put(rs.getLong("id"), rs.getString("full_name"));
            });
        return names;
    }

    @Override
    public Set<Long> frozen(Collection<Long> accountIds) {
        if (accountIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.sql("SELECT id FROM accounts WHERE id = ANY(:ids) AND frozen")
            .param("ids", accountIds.stream().distinct().toArray(Long[]::new))
            .query(Long.class)
            .list());
    }

    @Override
    public Map<Long, String> publicIds(Collection<Long> accountIds) {
        Map<Long, String> ids = new HashMap<>();
        if (accountIds.isEmpty()) {
            return ids;
        }
        jdbc.sql("SELECT id, public_id FROM accounts WHERE id = ANY(:ids)")
            .param("ids", accountIds.stream().distinct().toArray(Long[]::new))
            .query(rs -> {
                ids.put(rs.getLong("id"), rs.getString("public_id"));
            });
        return ids;
    }

    @Override
    public Map<Long, String> languages(Collection<Long> accountIds) {
        Map<Long, String> languages = new HashMap<>();
        if (accountIds.isEmpty()) {
            return languages;
        }
        jdbc.sql("SELECT id, language FROM accounts WHERE id = ANY(:ids)")
            .param("ids", accountIds.stream().distinct().toArray(Long[]::new))
            .query(rs -> {
                languages.put(rs.getLong("id"), rs.getString("language"));
            });
        return languages;
    }

    @Override
    public long activeSince(Instant since, Instant now) {
        return jdbc.sql("""
                SELECT count(DISTINCT account_id) FROM sessions
                WHERE revoked_at IS NULL AND expires_at > :now AND last_used_at >= :since""")
            .param("since", SqlTime.utc(since))
            .param("now", SqlTime.utc(now))
            .query(Long.class)
            .single();
    }

    @Override
    public Map<LocalDate, Long> signUpsPerDay(Instant from, Instant to) {
        return perDay("SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM accounts"
                + " WHERE created_at >= :from AND created_at < :to GROUP BY 1", from, to);
    }

    @Override
    public Map<LocalDate, Long> loginsPerDay(Instant from, Instant to) {
        return perDay("SELECT (occurred_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM audit_events"
                + " WHERE type = '" + AuditType.LOGIN_SUCCEEDED.value()
                + "' AND occurred_at >= :from AND occurred_at < :to GROUP BY 1", from, to);
    }

    private Map<LocalDate, Long> perDay(String sql, Instant from, Instant to) {
        Map<LocalDate, Long> days = new HashMap<>();
        jdbc.sql(sql).param("from", SqlTime.utc(from)).param("to", SqlTime.utc(to)).query(rs -> {
            days.put(rs.getObject("day", LocalDate.class), rs.getLong("n"));
        });
        return days;
    }

}
