package dev.kapi.messaging.automation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Time;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Users' automation settings; a user who never saved any has
 * {@link Automation#defaults()}.
 */
@Repository
public class Automations {

    private final JdbcClient jdbc;

    Automations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Automation of(long owner) {
        return jdbc.sql("SELECT * FROM messaging_automation_settings WHERE owner_id = :owner")
            .param("owner", owner)
            .query(Automations::map)
            .optional()
            .orElseGet(Automation::defaults);
    }

    /** The settings of several owners in one query; every id is a key. */
    Map<Long, Automation> of(Collection<Long> owners) {
        Map<Long, Automation> found = new HashMap<>();
        owners.forEach(owner -> found.put(owner, Automation.defaults()));
        if (!owners.isEmpty()) {
            jdbc.sql("SELECT * FROM messaging_automation_settings WHERE owner_id = ANY(:owners)")
                .param("owners", owners.stream().distinct().toArray(Long[]::new))
                .query(rs -> {
                    found.put(rs.getLong("owner_id"), map(rs, 0));
                });
        }
        return found;
    }

    void save(long owner, Automation settings, Instant now) {
        jdbc.sql("""
                INSERT INTO messaging_automation_settings (owner_id, delay_ms, jitter_ms, sending_hours_start,
                    sending_hours_end, time_zone, daily_cap, graylist_mode, graylist_delay_seconds, opt_out_words,
                    updated_at)
                VALUES (:owner, :delay, :jitter, :start, :end, :zone, :cap, :mode, :grayDelay, :words, :now)
                ON CONFLICT (owner_id) DO UPDATE SET delay_ms = EXCLUDED.delay_ms, jitter_ms = EXCLUDED.jitter_ms,
                    sending_hours_start = EXCLUDED.sending_hours_start, sending_hours_end = EXCLUDED.sending_hours_end,
                    time_zone = EXCLUDED.time_zone, daily_cap = EXCLUDED.daily_cap,
                    graylist_mode = EXCLUDED.graylist_mode, graylist_delay_seconds = EXCLUDED.graylist_delay_seconds,
                    opt_out_words = EXCLUDED.opt_out_words, updated_at = EXCLUDED.updated_at
                """)
            .param("owner", owner)
            .param("delay", settings.delayMs())
            .param("jitter", settings.jitterMs())
            .param("start", time(settings.sendingHoursStart()))
            .param("end", time(settings.sendingHoursEnd()))
            .param("zone", settings.timeZone().getId())
            .param("cap", settings.dailyCap())
            .param("mode", settings.graylistMode())
            .param("grayDelay", settings.graylistDelaySeconds())
            .param("words", settings.optOutWords().toArray(String[]::new))
            .param("now", utc(now))
            .update();
    }

    /** The owner's settings (an account deleted for good). */
    public void deleteOf(long owner) {
        jdbc.sql("DELETE FROM messaging_automation_settings WHERE owner_id = :owner").param("owner", owner).update();
    }

    private static Time time(LocalTime time) {
        return time == null ? null : Time.valueOf(time);
    }

    private static Automation map(ResultSet rs, int n) throws SQLException {
        Time start = rs.getTime("sending_hours_start");
        Time end = rs.getTime("sending_hours_end");
        return new Automation(rs.getInt("delay_ms"), rs.getInt("jitter_ms"), start == null ? null : start.toLocalTime(),
                end == null ? null : end.toLocalTime(), ZoneId.of(rs.getString("time_zone")),
                rs.getObject("daily_cap", Integer.class), rs.getString("graylist_mode"),
                rs.getInt("graylist_delay_seconds"),
                List.copyOf(Arrays.asList((String[]) rs.getArray("opt_out_words").getArray())));
    }

}
