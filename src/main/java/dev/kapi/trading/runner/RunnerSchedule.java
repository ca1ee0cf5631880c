package dev.kapi.trading.runner;

import java.time.Clock;

import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

import dev.kapi.trading.TradingSettings;

/**
 * The runner's trigger on this instance: each minute (by
 * {@code kapi.trading.runner.cron}), the tick of that minute, and later in it (by
 * {@code kapi.trading.runner.retry-cron}) the retry pass that runs the unfinished claims
 * of a dead instance, the exit pass ({@link ForcedExits#retry}), the limit orders' pass
 * ({@link LimitOrders#pass}: new fills, timeouts) and the stops on the exchange of
 * stopped bots ({@link Protections#reconcileIdle}). Off with
 * {@code KAPI_TRADING_RUNNER_ENABLED=false}; tests call the runner themselves.
 */
@Component
class RunnerSchedule implements SchedulingConfigurer {

    private final BotRunner runner;

    private final ForcedExits exits;

    private final LimitOrders limits;

    private final Protections protections;

    private final Clock clock;

    private final TradingSettings.Runner settings;

    RunnerSchedule(BotRunner runner, ForcedExits exits, LimitOrders limits, Protections protections, Clock clock,
            TradingSettings settings) {
        this.limits = limits;
        this.protections = protections;
        this.runner = runner;
        this.exits = exits;
        this.clock = clock;
        this.settings = settings.runner();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (settings.enabled()) {
            registrar.addCronTask(this::tick, settings.cron());
            registrar.addCronTask(this::retry, settings.retryCron());
        }
    }

    void tick() {
        runner.tick(clock.instant());
    }

    /**
     * Later in the minute: the claims of an instance that died during its tick, run by
     * this one, and the exits still requested (a kill switch's, an unclear force-exit).
     */
    void retry() {
        runner.retry(clock.instant());
        exits.retry();
        limits.pass();
        protections.reconcileIdle();
    }

}
