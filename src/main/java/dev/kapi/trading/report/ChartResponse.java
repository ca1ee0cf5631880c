package dev.kapi.trading.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.trading.exchange.ExchangeName;
import dev.kapi.trading.market.PriceFeed;

import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.BotStatus;
import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.runner.StandingOrder;

/**
 * A bot's chart: its last candles (down-sampled), its trades among them and its equity at
 * each candle's close; {@code candles_unavailable} when the exchange could not give the
 * candles. {@code exchange} and {@code price_feed} say what drew the candles, so that a
 * generated walk is never taken for a market. {@code orders} are the bot's orders
 * standing now (resting limit orders, its stop's legs on the exchange) and
 * {@code stop_level} its position's stop as Kapı computes it, on the exchange or not.
 */
public record ChartResponse(@JsonProperty("bot_id") long botId, String name, String symbol, CandleInterval interval,
        BotStatus status, boolean paper, @JsonProperty("starting_balance") BigDecimal startingBalance, Instant from,
        Instant to, List<ChartCandle> candles, @JsonProperty("candles_unavailable") boolean candlesUnavailable,
        List<ChartTrade> trades, @JsonProperty("equity_curve") List<EquityPoint> equityCurve, ExchangeName exchange,
        @JsonProperty("price_feed") PriceFeed priceFeed, List<ChartOrder> orders,
        @JsonProperty("stop_level") BigDecimal stopLevel) {

    /** The fewest points a chart may be asked to down-sample to. */
    public static final int MIN_POINTS = 10;

    record ChartCandle(@JsonProperty("open_time") Instant openTime, BigDecimal open, BigDecimal high, BigDecimal low,
            BigDecimal close) {
    }

    record ChartTrade(long id, Side side, BigDecimal price, BigDecimal quantity, BigDecimal fee,
            @JsonProperty("realized_pnl") BigDecimal realizedPnl, @JsonProperty("executed_at") Instant executedAt,
            @JsonProperty("exit_reason") ExitReason exitReason) {
    }

    record ChartOrder(StandingOrder.Kind kind, Side side, BigDecimal price,
            @JsonProperty("stop_price") BigDecimal stopPrice, BigDecimal quantity,
            @JsonProperty("filled_quantity") BigDecimal filledQuantity, StandingOrder.Status status,
            @JsonProperty("placed_at") Instant placedAt, @JsonProperty("client_order_id") String clientOrderId) {

        static ChartOrder from(StandingOrder order) {
            return new ChartOrder(order.kind(), order.side(), Money.plain(order.price()),
                    Money.plain(order.stopPrice()), Money.plain(order.quantity()), Money.plain(order.filledQuantity()),
                    order.status(), order.placedAt(), order.clientOrderId());
        }
    }

    public static ChartResponse from(BotCharts.Chart chart) {
        Bot bot = chart.bot();
        return new ChartResponse(bot.id(), bot.name(), bot.symbol(), bot.interval(), bot.status(), bot.paper(),
                Money.plain(bot.risk().balance()), chart.from(), chart.to(),
                chart.candles()
                    .stream()
                    .map(candle -> new ChartCandle(candle.openTime(), Money.plain(candle.open()),
                            Money.plain(candle.high()), Money.plain(candle.low()), Money.plain(candle.close())))
                    .toList(),
                chart.candlesUnavailable(),
                chart.trades()
                    .stream()
                    .map(trade -> new ChartTrade(trade.id(), trade.side(), Money.plain(trade.price()),
                            Money.plain(trade.quantity()), Money.plain(trade.fee()), Money.plain(trade.realizedPnl()),
                            trade.executedAt(), trade.exitReason()))
                    .toList(),
                chart.equity().stream().map(point -> new EquityPoint(point.at(), Money.plain(point.equity()))).toList(),
                bot.exchange(), bot.priceFeed(), chart.orders().stream().map(ChartOrder::from).toList(),
                Money.plain(chart.stopLevel()));
    }
}
