package dev.kapi.identity;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

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
                .query(Long.class).list());
    }
}
