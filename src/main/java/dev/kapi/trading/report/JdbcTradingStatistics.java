package dev.kapi.trading.report;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.trading.TradingStatistics;
import dev.kapi.trading.bot.BotStatus;

/** The trading figures, read straight from the bot table. */
@Component
class JdbcTradingStatistics implements TradingStatistics {

    private final JdbcClient jdbc;

    JdbcTradingStatistics(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Map<Long, Long> activeBotsPerAccount() {
        Map<Long, Long> bots = new HashMap<>();
        jdbc.sql("SELECT owner_id, count(*) AS n FROM trading_bots WHERE active GROUP BY owner_id").query(rs -> {
            bots.put(rs.getLong("owner_id"), rs.getLong("n"));
        });
        return bots;
    }

    @Override
    public Map<String, Long> botsByStatus() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (BotStatus status : BotStatus.values()) {
            counts.put(status.wire(), 0L);
        }
        jdbc.sql("SELECT status, count(*) AS n FROM trading_bots GROUP BY status").query(rs -> {
            counts.put(rs.getString("status"), rs.getLong("n"));
        });
        return counts;
    }

}
