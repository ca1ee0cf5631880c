package dev.kapi.trading.strategy;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.RequestBodies;
import dev.kapi.trading.market.Candle;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every strategy bean by name; reads and checks a bot's {@code params} for the strategy
 * it names.
 */
@Component
public final class Strategies {

    private final Map<String, Strategy<?>> byName;

    private final RequestBodies bodies;

    private final JsonMapper json;

    Strategies(List<Strategy<?>> strategies, RequestBodies bodies, JsonMapper json) {
        this.byName = strategies.stream()
            .collect(Collectors.toMap(Strategy::name, Function.identity(), (a, b) -> a, TreeMap::new));
        this.bodies = bodies;
        this.json = json;
    }

    /** A strategy with its parameters, read and checked. */
    public record Configured<P>(Strategy<P> strategy, P params) {

        public Signal signal(List<Candle> candles) {
            return strategy.signal(params, candles);
        }

        public Signal[] signals(List<Candle> candles) {
            return strategy.signals(params, candles);
        }

        public Signal[] signals(List<Candle> candles, double[] closes) {
            return strategy.signals(params, candles, closes);
        }

        public int history() {
            return strategy.history(params);
        }

        public String name() {
            return strategy.name();
        }
    }

    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * Reads a request's params: 400 naming {@code strategy} when unknown, or the
     * parameter that is wrong.
     */
    public Configured<?> read(String name, Map<String, ?> params) {
        Strategy<?> strategy = byName.get(name);
        if (strategy == null) {
            throw ApiException.invalidField("strategy", "strategy-unknown", String.join(", ", names()));
        }
        return configure(strategy, params);
    }

    /** Reads params stored with a bot, which were checked when they were written. */
    public Configured<?> stored(String name, String paramsJson) {
        Strategy<?> strategy = byName.get(name);
        if (strategy == null) {
            throw new IllegalStateException("Unknown strategy " + name);
        }
        return stored(strategy, paramsJson);
    }

    /** The params as stored and answered: the record written back as a JSON object. */
    public String toJson(Configured<?> configured) {
        return json.writeValueAsString(configured.params());
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> asMap(String paramsJson) {
        return json.readValue(paramsJson, Map.class);
    }

    private <P> Configured<P> configure(Strategy<P> strategy, Map<String, ?> params) {
        P read = bodies.read(params, strategy.parameters());
        strategy.check(read);
        return new Configured<>(strategy, read);
    }

    private <P> Configured<P> stored(Strategy<P> strategy, String paramsJson) {
        return new Configured<>(strategy, json.readValue(paramsJson, strategy.parameters()));
    }

}
