package dev.kapi.trading.bot;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.exchange.ExchangeName;
import dev.kapi.trading.market.PriceFeed;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.runner.ForcedExits;
import dev.kapi.trading.trade.Trade;
import dev.kapi.trading.strategy.Signal;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.report.BotCharts;
import dev.kapi.trading.report.ChartResponse;
import dev.kapi.trading.strategy.EmaStrategy;
import dev.kapi.trading.strategy.SimpleStrategy;
import dev.kapi.trading.strategy.Strategies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Seed 002's bot routes: configuration, start and stop, and the bot's state. */
@RestController
@RequestMapping("/api/trading/bots")
@Tag(name = "trading")
class BotController {

    private final BotManagement bots;

    private final Strategies strategies;

    private final BotCharts charts;

    private final ForcedExits exits;

    BotController(BotManagement bots, Strategies strategies, BotCharts charts, ForcedExits exits) {
        this.bots = bots;
        this.exits = exits;
        this.strategies = strategies;
        this.charts = charts;
    }

    /**
     * A bot's whole configuration; {@code PUT} replaces it like {@code POST} sets it. The
     * risk settings are flat in the body ({@code stop_loss}, ...,
     * {@code starting_balance}), declared once in {@link Risk}.
     */
    record BotRequest(@NotBlank @Size(max = 100) String name,
            @NotNull @Pattern(regexp = "[A-Z0-9]{5,20}") String symbol,
            @JsonProperty("quote_amount") @NotNull @DecimalMin(value = "0",
                    inclusive = false) @DecimalMax(Money.MAX_AMOUNT) @Digits(integer = 20,
                            fraction = 18) BigDecimal quoteAmount,
            @Schema(implementation = CandleInterval.class) String interval,
            @Schema(description = "a registered strategy's name; simple when none") String strategy,
            @Schema(description = "the strategy's parameters") Map<String, Object> params,
            @JsonProperty("ema_period") @Schema(description = "seed 002's shape: the ema strategy's period, "
                    + "also accepted inside params") @Min(2) @Max(EmaStrategy.MAX_PERIOD) Integer emaPeriod,
            @JsonProperty("api_key_id") Long apiKeyId,
            @JsonProperty("max_daily_loss") @DecimalMin(value = "0",
                    inclusive = false) @DecimalMax(Money.MAX_AMOUNT) @Digits(integer = 20,
                            fraction = 18) BigDecimal maxDailyLoss,
            @JsonProperty("max_position") @DecimalMin(value = "0",
                    inclusive = false) @DecimalMax(Money.MAX_AMOUNT) @Digits(integer = 20,
                            fraction = 18) BigDecimal maxPosition,
            @JsonUnwrapped @Valid Risk risk,
            @Schema(description = "where the bot trades; a keyed bot's is its key's; binance when none",
                    allowableValues = {
                            "binance", "btcturk" }) @Pattern(regexp = ExchangeName.PATTERN) String exchange,
            @JsonProperty("price_feed") @Schema(
                    description = "where its prices come from: live (the exchange's "
                            + "public candles; the default, and the only feed of a bot with an API key), generated "
                            + "(a random walk, for demos) or replay (stored candles only)",
                    allowableValues = { "live", "generated",
                            "replay" }) @Pattern(regexp = PriceFeed.PATTERN) String priceFeed,
            @JsonUnwrapped @Valid OrderPolicy orders,
            @JsonProperty("stop_on_exchange") @Schema(description = "a bot with an API key: place its stop "
                    + "(stop_loss or trailing_stop; take_profit with it as OCO where the exchange has OCO) on the "
                    + "exchange right after each entry fills, move it as the trailing stop moves, and cancel it when "
                    + "the bot exits otherwise; false when not given") Boolean stopOnExchange){

        BotManagement.Changes changes() {
            Map<String, Object> merged = new LinkedHashMap<>(params == null ? Map.of() : params);
            if (emaPeriod != null) {
                merged.putIfAbsent("ema_period", emaPeriod);
            }
            return new BotManagement.Changes(name, symbol, quoteAmount, interval,
                    strategy == null || strategy.isBlank() ? SimpleStrategy.NAME : strategy, merged, apiKeyId,
                    maxDailyLoss, maxPosition, risk == null ? Risk.NONE : risk, exchange, priceFeed, orders,
                    Boolean.TRUE.equals(stopOnExchange));
        }
    }

    record BotResponse(long id, String name, String symbol, @JsonProperty("quote_amount") BigDecimal quoteAmount,
            CandleInterval interval, String strategy, Map<String, Object> params,
            @JsonProperty("api_key_id") Long apiKeyId, boolean paper,
            @JsonProperty("max_daily_loss") BigDecimal maxDailyLoss,
            @JsonProperty("max_position") BigDecimal maxPosition, boolean active, BotStatus status,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("updated_at") Instant updatedAt,
            @JsonProperty("stop_loss") BigDecimal stopLoss, @JsonProperty("take_profit") BigDecimal takeProfit,
            @JsonProperty("trailing_stop") BigDecimal trailingStop,
            @JsonProperty("trailing_offset") BigDecimal trailingOffset,
            @JsonProperty("max_drawdown") BigDecimal maxDrawdown,
            @JsonProperty("cooldown_minutes") Integer cooldownMinutes,
            @JsonProperty("position_sizing") Risk.Sizing positionSizing,
            @JsonProperty("starting_balance") BigDecimal startingBalance, ExchangeName exchange,
            @JsonProperty("price_feed") PriceFeed priceFeed, @JsonProperty("order_type") String orderType,
            @JsonProperty("limit_offset") BigDecimal limitOffset,
            @JsonProperty("unfilled_timeout_minutes") Integer unfilledTimeoutMinutes,
            @JsonProperty("on_unfilled") String onUnfilled, @JsonProperty("stop_on_exchange") boolean stopOnExchange) {

        static BotResponse from(Bot bot, Strategies strategies) {
            Risk risk = bot.risk();
            Risk.Sizing sizing = risk.positionSizing() == null ? null
                    : new Risk.Sizing(risk.positionSizing().mode(), Money.plain(risk.positionSizing().value()));
            return new BotResponse(bot.id(), bot.name(), bot.symbol(), Money.plain(bot.quoteAmount()), bot.interval(),
                    bot.strategy(), strategies.asMap(bot.params()), bot.apiKeyId(), bot.paper(),
                    Money.plain(bot.maxDailyLoss()), Money.plain(bot.maxPosition()), bot.active(), bot.status(),
                    bot.createdAt(), bot.updatedAt(), Money.plain(risk.stopLoss()), Money.plain(risk.takeProfit()),
                    Money.plain(risk.trailingStop()), Money.plain(risk.trailingOffset()),
                    Money.plain(risk.maxDrawdown()), risk.cooldownMinutes(), sizing, Money.plain(risk.balance()),
                    bot.exchange(), bot.priceFeed(), bot.orders().orderType(), Money.plain(bot.orders().limitOffset()),
                    bot.orders().unfilledTimeoutMinutes(), bot.orders().onUnfilled(), bot.stopOnExchange());
        }
    }

    record StateRequest(@NotBlank @Schema(pattern = "idle|in_position|paused") String status) {
    }

    record Position(BigDecimal quantity, BigDecimal cost, @JsonProperty("average_price") BigDecimal averagePrice) {
    }

    record StateResponse(@JsonProperty("bot_id") long botId, BotStatus status, boolean active, Position position,
            @JsonProperty("last_signal") @Schema(implementation = Signal.class) String lastSignal,
            @JsonProperty("last_price") BigDecimal lastPrice, @JsonProperty("last_candle_at") Instant lastCandleAt,
            @JsonProperty("last_run_at") Instant lastRunAt, @JsonProperty("error_count") int errorCount,
            @JsonProperty("last_error") String lastError, @JsonProperty("status_reason") String statusReason,
            @JsonProperty("entry_price") BigDecimal entryPrice, @JsonProperty("high_water") BigDecimal highWater,
            BigDecimal equity, @JsonProperty("peak_equity") BigDecimal peakEquity,
            @JsonProperty("cooldown_until") Instant cooldownUntil) {

        static StateResponse from(Bot bot) {
            BigDecimal average = bot.inPosition()
                    ? Money.round(bot.positionCost().divide(bot.positionQuantity(), Money.MATH)) : null;
            return new StateResponse(bot.id(), bot.status(), bot.active(),
                    new Position(Money.plain(bot.positionQuantity()), Money.plain(bot.positionCost()),
                            Money.plain(average)),
                    bot.lastSignal(), Money.plain(bot.lastPrice()), bot.lastCandleAt(), bot.lastRunAt(),
                    bot.errorCount(), bot.lastError(), bot.statusReason(), Money.plain(bot.entryPrice()),
                    Money.plain(bot.highWater()),
                    Money.plain(Money.round(bot.equity(bot.lastPrice() != null ? bot.lastPrice()
                            : bot.entryPrice() != null ? bot.entryPrice() : BigDecimal.ZERO))),
                    Money.plain(bot.peakEquity()), bot.cooldownUntil());
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a bot (stopped); without api_key_id it trades on the paper exchange")
    ResponseEntity<BotResponse> create(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody BotRequest request) {
        Bot bot = bots.create(me.id(), request.changes());
        return ResponseEntity.created(URI.create("/api/trading/bots/" + bot.id()))
            .body(BotResponse.from(bot, strategies));
    }

    @GetMapping
    @Operation(summary = "The signed-in user's bots")
    List<BotResponse> list(@AuthenticationPrincipal CurrentAccount me) {
        return bots.list(me.id()).stream().map(bot -> BotResponse.from(bot, strategies)).toList();
    }

    @GetMapping("/{id:\\d+}")
    @Operation(summary = "One bot")
    BotResponse get(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return BotResponse.from(bots.get(me.id(), id), strategies);
    }

    @PutMapping("/{id:\\d+}")
    @Operation(summary = "Replace a bot's configuration; symbol and key stay while a position is open")
    BotResponse update(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @Valid @RequestBody BotRequest request) {
        return BotResponse.from(bots.update(me.id(), id, request.changes()), strategies);
    }

    @DeleteMapping("/{id:\\d+}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a stopped bot and its trades; 409 while it is active")
    void delete(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        bots.delete(me.id(), id);
    }

    @PostMapping("/{id:\\d+}/start")
    @Operation(summary = "Start a bot: it runs from the next closed candle")
    BotResponse start(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return BotResponse.from(bots.start(me.id(), id), strategies);
    }

    @PostMapping("/{id:\\d+}/stop")
    @Operation(summary = "Stop a bot; an open position stays open, unless exit=true: then it is sold at market "
            + "(exit_reason force_exit)")
    BotResponse stop(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @RequestParam(defaultValue = "false") boolean exit) {
        Bot bot = bots.stop(me.id(), id);
        if (!exit) {
            return BotResponse.from(bot, strategies);
        }
        ForcedExits.Outcome outcome = exits.exit(id, false);
        if (outcome.result() == ForcedExits.Result.FAILED) {
            throw ForcedExits.refused(outcome);
        }
        return BotResponse.from(bots.get(me.id(), id), strategies);
    }

    /** A force-exit's answer: {@code sold} with its trade, or {@code pending}. */
    record ForceExitResponse(@JsonProperty("bot_id") long botId, @Schema(allowableValues = {
            "sold", "pending" }) String status, ExitTrade trade){
    }

    record ExitTrade(long id, Side side, BigDecimal price, BigDecimal quantity, BigDecimal fee,
            @JsonProperty("realized_pnl") BigDecimal realizedPnl, @JsonProperty("exit_reason") ExitReason exitReason,
            @JsonProperty("client_order_id") String clientOrderId, @JsonProperty("executed_at") Instant executedAt) {

        static ExitTrade from(Trade trade) {
            return new ExitTrade(trade.id(), trade.side(), Money.plain(trade.price()), Money.plain(trade.quantity()),
                    Money.plain(trade.fee()), Money.plain(trade.realizedPnl()), trade.exitReason(),
                    trade.clientOrderId(), trade.executedAt());
        }
    }

    @PostMapping("/{id:\\d+}/force-exit")
    @Operation(summary = "Sell the bot's open position now at market (exit_reason force_exit); 200 sold, 202 "
            + "when an order of the bot is still in flight (the exit finishes after it), 409 bot-has-no-position "
            + "when flat")
    ResponseEntity<ForceExitResponse> forceExit(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        ForcedExits.Outcome outcome = exits.forceExit(me.id(), id);
        if (outcome.result() == ForcedExits.Result.SOLD) {
            return ResponseEntity.ok(new ForceExitResponse(id, "sold", ExitTrade.from(outcome.trade())));
        }
        return ResponseEntity.accepted().body(new ForceExitResponse(id, "pending", null));
    }

    @GetMapping("/{id:\\d+}/state")
    @Operation(summary = "A bot's state: status, position, last signal and run, errors")
    StateResponse state(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return StateResponse.from(bots.get(me.id(), id));
    }

    @GetMapping("/{id:\\d+}/chart")
    @Operation(summary = "A bot's chart: its last 1,000 candles down-sampled to at most `points`, its trades among "
            + "them and its equity curve")
    ChartResponse chart(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @RequestParam(defaultValue = "500") @Min(ChartResponse.MIN_POINTS) @Max(BotCharts.MAX_CANDLES) int points) {
        return ChartResponse.from(charts.ofOwner(me.id(), id, points));
    }

    @PutMapping("/{id:\\d+}/state")
    @Operation(summary = "Pause (status paused) or resume (idle / in_position, which also resets an error)")
    StateResponse changeState(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            @Valid @RequestBody StateRequest request) {
        return StateResponse.from(bots.changeState(me.id(), id, request.status()));
    }

}
