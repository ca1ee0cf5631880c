package dev.kapi.trading;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The runner's trigger on this instance: each minute (by {@code kapi.trading.runner.cron}), the tick of
 * that minute, and later in it (by {@code kapi.trading.runner.retry-cron}) the retry pass that runs the
 * unfinished claims of a dead instance. Off with {@code KAPI_TRADING_RUNNER_ENABLED=false}; tests call the runner themselves.
 */
@Component
@ConditionalOnBooleanProperty(name = "kapi.trading.runner.enabled", matchIfMissing = true)
class RunnerSchedule {

    private final BotRunner runner;
    private final Clock clock;

    RunnerSchedule(BotRunner runner, Clock clock) {
        this.runner = runner;
        this.clock = clock;
    }

    @Scheduled(cron = "${kapi.trading.runner.cron:5 * * * * *}")
    void tick() {
        runner.tick(clock.instant());
    }

    /** Later in the minute: the claims of an instance that died during its tick, run by this one. */
    @Scheduled(cron = "${kapi.trading.runner.retry-cron:15/10 * * * * *}")
    void retry() {
        runner.retry(clock.instant());
    }
}
