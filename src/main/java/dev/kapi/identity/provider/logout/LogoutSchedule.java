package dev.kapi.identity.provider.logout;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Runs the back-channel logout rounds in the background, one after another while there is
 * work, writes those of sessions that expired every {@code expiry-sweep}, and removes
 * ended logouts {@code retention} after their end, hourly. Off with
 * {@code kapi.identity.backchannel-logout.enabled=false} (the tests run rounds
 * themselves).
 */
@Component
class LogoutSchedule implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(LogoutSchedule.class);

    private final LogoutDelivery delivery;

    private final BackchannelLogoutSettings settings;

    private final JdbcClient jdbc;

    private final Clock clock;

    private final ExpiredSessionLogouts expired;

    LogoutSchedule(LogoutDelivery delivery, BackchannelLogoutSettings settings, JdbcClient jdbc, Clock clock,
            ExpiredSessionLogouts expired) {
        this.delivery = delivery;
        this.expired = expired;
        this.settings = settings;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (settings.enabled()) {
            registrar.addFixedDelayTask(this::poll, settings.pollInterval());
            registrar.addFixedDelayTask(this::prune, Duration.ofHours(1));
            registrar.addFixedDelayTask(this::sweepExpired, settings.expirySweep());
        }
    }

    void poll() {
        try {
            int rounds = 0;
            while (delivery.deliverDue() >= settings.batchSize() && ++rounds < 10) {
                // a full batch: more may be due
            }
        }
        catch (RuntimeException ex) {
            log.error("A back-channel logout round failed; the next one retries", ex);
        }
    }

    /** Writes the logouts of sessions that expired since the last sweep. */
    void sweepExpired() {
        try {
            expired.sweepAll();
        }
        catch (RuntimeException ex) {
            log.error("A sweep of expired sessions' back-channel logouts failed; the next one retries", ex);
        }
    }

    /** Removes delivered and failed logouts ended more than the retention ago. */
    int prune() {
        return jdbc.sql("DELETE FROM oauth2_logout_deliveries WHERE status <> 'pending' AND ended_at < :before")
            .param("before", utc(clock.instant().minus(settings.retention())))
            .update();
    }

}
