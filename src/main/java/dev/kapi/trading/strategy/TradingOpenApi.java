package dev.kapi.trading.strategy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;

/**
 * Trading's vocabulary in the OpenAPI description that no enum holds: a {@code strategy}
 * names one of the registered {@link Strategy} beans, so its values are theirs. Runs
 * before shared's description, which marks the answers' nullable fields.
 */
@Component
final class TradingOpenApi implements OpenApiCustomizer, Ordered {

    /**
     * The schemas (the records' simple names) whose {@code strategy} names a registered
     * strategy.
     */
    static final List<String> NAMING_A_STRATEGY = List.of("BotRequest", "BotResponse", "AdminBotResponse",
            "BacktestRequest", "SweepRequest", "SweepResponse");

    private final Strategies strategies;

    TradingOpenApi(Strategies strategies) {
        this.strategies = strategies;
    }

    @Override
    @SuppressWarnings({ "rawtypes", "unchecked" })
    public void customise(OpenAPI openApi) {
        if (openApi.getComponents() == null || openApi.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        for (String name : NAMING_A_STRATEGY) {
            Schema schema = schemas.get(name);
            if (schema != null && schema.getProperties() != null
                    && schema.getProperties().get("strategy") instanceof Schema strategy) {
                strategy.setEnum(new ArrayList<>(strategies.names()));
            }
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

}
