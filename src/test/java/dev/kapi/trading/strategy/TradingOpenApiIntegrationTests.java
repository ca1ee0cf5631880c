package dev.kapi.trading.strategy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.kapi.support.ApiDocs;
import dev.kapi.trading.bot.BotStatus;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Side;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trading's vocabulary in {@code /v3/api-docs} (what the typed client is generated from)
 * is its own: the strategy fields list the registered strategies, and the fixed values
 * are its enums' wire names, so the description cannot drift from the code.
 */
class TradingOpenApiIntegrationTests extends IntegrationTest {

    @Autowired
    List<Strategy<?>> strategies;

    @Test
    void strategyFieldsWhenDescribedThenListEveryRegisteredStrategy() {
        ApiDocs docs = ApiDocs.of(client());
        List<String> registered = strategies.stream().map(Strategy::name).sorted().toList();

        assertThat(registered).contains("simple", "ema", "rsi", "bollinger");
        for (String schema : List.of("BotRequest", "BotResponse", "AdminBotResponse", "BacktestRequest", "SweepRequest",
                "SweepResponse")) {
            assertThat(docs.values(schema, "strategy")).as(schema).containsExactlyElementsOf(registered);
        }
    }

    @Test
    void fixedValuesWhenDescribedThenAreTheEnumsWireNames() {
        ApiDocs docs = ApiDocs.of(client());
        List<String> statuses = Arrays.stream(BotStatus.values()).map(BotStatus::wire).toList();
        List<String> intervals = Arrays.stream(CandleInterval.values()).map(CandleInterval::code).toList();
        List<String> sides = Arrays.stream(Side.values()).map(Side::wire).toList();

        for (String answer : List.of("BotResponse", "AdminBotResponse", "StateResponse", "SummaryLine",
                "BotPerformanceResponse", "ChartResponse")) {
            assertThat(docs.values(answer, "status")).as(answer).containsExactlyElementsOf(statuses);
        }
        for (String schema : List.of("BotRequest", "BotResponse", "AdminBotResponse", "BacktestRequest", "SweepRequest",
                "ChartResponse")) {
            assertThat(docs.values(schema, "interval")).as(schema).containsExactlyElementsOf(intervals);
        }
        for (String trade : List.of("TradeResponse", "BacktestTrade", "ChartTrade", "ChartOrder")) {
            assertThat(docs.values(trade, "side")).as(trade).containsExactlyElementsOf(sides);
        }
        assertThat(docs.values("ChartOrder", "kind")).containsExactly("limit", "stop", "take_profit");
        assertThat(docs.values("ChartOrder", "status")).containsExactly("pending", "open");
        assertThat(docs.values("StateResponse", "last_signal"))
            .containsExactlyElementsOf(Arrays.stream(Signal.values()).map(Signal::wire).toList());
        assertThat(docs.parameterValues("/api/admin/trading/bots", "status")).containsExactlyElementsOf(statuses);
    }

}
