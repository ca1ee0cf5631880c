package dev.kapi.trading.sweep;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
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
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.PageLimit;
import dev.kapi.trading.backtest.CandleSource;
import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Money;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parameter sweeps: accepted at once (202), run in the background, read back with their
 * ranked results.
 */
@RestController
@RequestMapping("/api/trading/sweeps")
@Tag(name = "trading")
class SweepController {

    private final SweepManagement sweeps;

    private final JsonMapper json;

    SweepController(SweepManagement sweeps, JsonMapper json) {
        this.sweeps = sweeps;
        this.json = json;
    }

    record WalkForward(@NotNull @Min(2) @Max(SweepManagement.MAX_FOLDS) Integer folds) {
    }

    record SweepRequest(@NotBlank @Size(max = 50) String strategy,
            @Schema(description = "parameters every combination shares") @Size(max = 20) Map<String, Object> params,
            @Schema(description = "each parameter's values; every combination is tried") @NotNull @Size(min = 1,
                    max = 10) Map<String, List<Object>> grid,
            @Valid Risk risk, @Schema(implementation = CandleInterval.class) String interval,
            @JsonProperty("quote_amount") @DecimalMin(value = "0",
                    inclusive = false) @DecimalMax(Money.MAX_AMOUNT) @Digits(integer = 20,
                            fraction = 18) BigDecimal quoteAmount,
            @Schema(description = "Binance kline CSV") String candles, @Valid CandleSource.Generate generate,
            @JsonProperty("fee_rate") @DecimalMin("0") @DecimalMax(CandleSource.MAX_COST) @Digits(integer = 1,
                    fraction = 8) BigDecimal feeRate,
            @DecimalMin("0") @DecimalMax(CandleSource.MAX_COST) @Digits(integer = 1, fraction = 8) BigDecimal slippage,
            @Pattern(regexp = "sharpe|profit|calmar") String objective,
            @JsonProperty("walk_forward") @Valid WalkForward walkForward) {
    }

    record Accepted(long id, String status) {
    }

    record Progress(int done, int total) {
    }

    record SweepResponse(long id, String status, String strategy, String objective, int combinations, int skipped,
            int candles, @JsonProperty("walk_forward_folds") Integer folds, Progress progress, String error,
            @JsonProperty("created_at") Instant createdAt, @JsonProperty("finished_at") Instant finishedAt,
            List<Object> results, @JsonProperty("walk_forward") List<Object> walkForward) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(
            summary = "Start a parameter sweep: every combination of the grid backtested and ranked; 409 while one runs")
    ResponseEntity<Accepted> start(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody SweepRequest request) {
        CandleInterval interval = CandleSource.interval(request.interval());
        List<Candle> candles = CandleSource.candles(request.candles(), request.generate(), interval);
        Map<String, Object> given = new java.util.LinkedHashMap<>(json.convertValue(request, Map.class));
        given.remove("candles");
        SweepManagement.Request sweep = new SweepManagement.Request(request.strategy(), request.params(),
                request.grid(), request.risk() == null ? Risk.NONE : request.risk().check(), candles, interval,
                request.quoteAmount() == null ? BigDecimal.valueOf(100) : request.quoteAmount(), request.feeRate(),
                request.slippage(), request.objective() == null ? "sharpe" : request.objective(),
                request.walkForward() == null ? null : request.walkForward().folds(), given);
        long id = sweeps.start(me.id(), sweep);
        return ResponseEntity.accepted()
            .location(URI.create("/api/trading/sweeps/" + id))
            .body(new Accepted(id, "running"));
    }

    @GetMapping
    @Operation(summary = "The user's sweeps, newest first, without their results")
    ResponseEntity<List<SweepResponse>> list(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return sweeps.list(me.id(), cursor, limit).asArray(this::response);
    }

    @GetMapping("/{id:\\d+}")
    @Operation(summary = "A sweep: status, progress and, once done, its results ranked by the objective")
    SweepResponse get(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return response(sweeps.get(me.id(), id));
    }

    @DeleteMapping("/{id:\\d+}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Cancel a running sweep (it stays, cancelled), or delete one that has ended")
    void cancel(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        sweeps.cancel(me.id(), id);
    }

    @SuppressWarnings("unchecked")
    private SweepResponse response(Sweeps.Sweep sweep) {
        return new SweepResponse(sweep.id(), sweep.status(), sweep.strategy(), sweep.objective(), sweep.combinations(),
                sweep.skipped(), sweep.candles(), sweep.folds(), new Progress(sweep.done(), sweep.combinations()),
                sweep.error(), sweep.createdAt(), sweep.finishedAt(),
                sweep.results() == null ? null : json.readValue(sweep.results(), List.class),
                sweep.walkForward() == null ? null : json.readValue(sweep.walkForward(), List.class));
    }

}
