package dev.kapi.trading.sweep;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Parameter sweeps: how many threads run them ({@code 0}: one per core), the most
 * parameter sets in one sweep, the most candle-steps (parameter sets times candles) in
 * one, and how many sweeps of all users may run at once on this instance.
 */
@ConfigurationProperties("kapi.trading.sweeps")
record SweepSettings(@DefaultValue("0") int threads, @DefaultValue("1000") int maxCombinations,
        @DefaultValue("300000000") long maxCandleSteps, @DefaultValue("4") int maxRunning) {

    int poolSize() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
