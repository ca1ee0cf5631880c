package dev.kapi.trading.trade;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.market.Instants;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Seed 002's trade routes. A list is newest first; its next page is named by the
 * {@code X-Next-Cursor} header, so the body stays a plain array.
 */
@RestController
@RequestMapping("/api/trading")
@Tag(name = "trading")
class TradeController {

    private final TradeManagement trades;

    TradeController(TradeManagement trades) {
        this.trades = trades;
    }

    record TradeRequest(@JsonProperty("bot_id") Long botId, @Pattern(regexp = "[A-Z0-9]{5,20}") String symbol,
            @NotNull @Pattern(regexp = "buy|sell") String side,
            @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 20, fraction = 18) BigDecimal price,
            @NotNull @DecimalMin(value = "0", inclusive = false) @Digits(integer = 20,
                    fraction = 18) BigDecimal quantity,
            @DecimalMin("0") @Digits(integer = 20, fraction = 18) BigDecimal fee,
            @JsonProperty("executed_at") @Schema(format = "date-time") String executedAt) {

        TradeManagement.ManualTrade manual() {
            return new TradeManagement.ManualTrade(botId, symbol, Side.of(side), price, quantity, fee,
                    executedAt == null ? null : Instants.parse(executedAt, "executed_at"));
        }
    }

    record TradeResponse(long id, @JsonProperty("bot_id") Long botId, String symbol, Side side, BigDecimal price,
            BigDecimal quantity, @JsonProperty("quote_quantity") BigDecimal quoteQuantity, BigDecimal fee,
            @JsonProperty("realized_pnl") BigDecimal realizedPnl, @Schema(pattern = "bot|manual") String source,
            @JsonProperty("client_order_id") String clientOrderId, @JsonProperty("executed_at") Instant executedAt,
            @JsonProperty("exit_reason") ExitReason exitReason,
            @JsonProperty("price_source") @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(
                    description = "a paper fill's price: order_book (walked from the exchange's book) or close "
                            + "(the candle's close and the fixed slippage); absent for exchange and manual trades",
                    allowableValues = {
                            "order_book", "close" }) String priceSource){

        static TradeResponse from(Trade trade) {
            return new TradeResponse(trade.id(), trade.botId(), trade.symbol(), trade.side(),
                    Money.plain(trade.price()), Money.plain(trade.quantity()),
                    Money.plain(trade.price().multiply(trade.quantity())), Money.plain(trade.fee()),
                    Money.plain(trade.realizedPnl()), trade.source(), trade.clientOrderId(), trade.executedAt(),
                    trade.exitReason(), trade.priceSource());
        }
    }

    @PostMapping("/trades")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Record a manual trade, into a bot's book or the user's own book for the symbol")
    ResponseEntity<TradeResponse> create(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody TradeRequest request) {
        Trade trade = trades.record(me.id(), request.manual());
        return ResponseEntity.created(URI.create("/api/trading/trades/" + trade.id())).body(TradeResponse.from(trade));
    }

    @GetMapping("/trades")
    @Operation(summary = "The user's trades, newest first, filtered; the next page's cursor is in X-Next-Cursor")
    ResponseEntity<List<TradeResponse>> list(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(name = "bot_id", required = false) Long botId,
            @RequestParam(required = false) @Pattern(regexp = "[A-Z0-9]{5,20}") String symbol,
            @RequestParam(required = false) @Pattern(regexp = "buy|sell") String side,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) @Size(max = 200) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return page(trades.list(query(me, botId, symbol, side, from, to, cursor, limit)));
    }

    @GetMapping("/trades/{id:\\d+}")
    @Operation(summary = "One trade")
    TradeResponse get(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return TradeResponse.from(trades.get(me.id(), id));
    }

    @GetMapping("/reports/{bot_id:\\d+}/trades")
    @Operation(summary = "A bot's trade history, filtered like /trades")
    ResponseEntity<List<TradeResponse>> ofBot(@AuthenticationPrincipal CurrentAccount me,
            @PathVariable("bot_id") long botId,
            @RequestParam(required = false) @Pattern(regexp = "buy|sell") String side,
            @RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(required = false) @Size(max = 200) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return page(trades.listOfBot(query(me, botId, null, side, from, to, cursor, limit)));
    }

    private static Trades.Query query(CurrentAccount me, Long botId, String symbol, String side, String from, String to,
            String cursor, int limit) {
        return new Trades.Query(me.id(), botId, symbol, side == null ? null : Side.of(side),
                from == null ? null : Instants.parse(from, "from"), to == null ? null : Instants.parse(to, "to"),
                cursor == null || cursor.isBlank() ? null : TradeCursor.decode(cursor), limit);
    }

    private static ResponseEntity<List<TradeResponse>> page(Page<Trade> page) {
        return page.asArray(TradeResponse::from);
    }

}
