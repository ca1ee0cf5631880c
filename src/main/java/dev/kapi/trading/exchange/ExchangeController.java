package dev.kapi.trading.exchange;

import java.util.Arrays;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.trading.market.CandleInterval;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code GET /api/trading/exchanges}: the exchanges a bot can trade on and what each
 * offers, so a client can offer only what works there.
 */
@RestController
@RequestMapping("/api/trading")
@Tag(name = "trading")
class ExchangeController {

    /**
     * One exchange: the order types Kapı sends there, whether it has OCO orders, whether
     * Kapı keeps a bot's stop there ({@code stop_on_exchange}), whether its public
     * candles can feed a bot ({@code price_feed: live}), whether bots can trade it on
     * paper, and its candle intervals.
     */
    record ExchangeResponse(String name, @JsonProperty("order_types") List<String> orderTypes, boolean oco,
            @JsonProperty("stop_on_exchange") boolean stopOnExchange, boolean candles, boolean paper,
            List<CandleInterval> intervals) {

        static ExchangeResponse from(ExchangeName name) {
            return new ExchangeResponse(name.wire(), name.orderTypes(), name.oco(), name.stopOrders(), true, true,
                    name.intervals());
        }
    }

    @GetMapping("/exchanges")
    @Operation(summary = "The exchanges bots trade on: order types, OCO, public candles, paper trading, intervals")
    List<ExchangeResponse> list() {
        return Arrays.stream(ExchangeName.values()).map(ExchangeResponse::from).toList();
    }

}
