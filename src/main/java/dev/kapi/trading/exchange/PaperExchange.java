package dev.kapi.trading.exchange;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.GeneratedPrices;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.Side;

import static dev.kapi.shared.SqlTime.instant;
import static dev.kapi.shared.SqlTime.utc;

/**
 * The default exchange: no money moves. Candles are the recorded ones of
 * {@code trading_paper_candles} where the symbol has any for the time asked, else
 * {@link GeneratedPrices}. Orders fill at once at the deciding candle's close, moved
 * against the trader by the slippage setting, with the fee setting charged in the quote
 * currency. A paper order that was not recorded as a trade never happened, so a lookup
 * finds nothing.
 */
@Component
public final class PaperExchange implements Exchange {

    private static final int QUANTITY_SCALE = 8;

    private final JdbcClient jdbc;

    private final TradingSettings.Paper settings;

    PaperExchange(JdbcClient jdbc, TradingSettings settings) {
        this.jdbc = jdbc;
        this.settings = settings.paper();
    }

    @Override
    public ExchangeName name() {
        return ExchangeName.BINANCE;
    }

    /** Paper orders keep no exchange rules: no step, tick or minimum. */
    @Override
    public SymbolRules rules(String symbol) {
        return new SymbolRules("", "", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO,
                BigDecimal.ZERO, BigDecimal.ZERO);
    }

    @Override
    public Optional<OrderBook> depth(String symbol, int limit) {
        return Optional.empty();
    }

    /** A paper bot's balance is its own starting balance, not an account's. */
    @Override
    public List<Balance> balances() {
        return List.of();
    }

    @Override
    public List<Candle> candles(String symbol, CandleInterval interval, Instant lastOpen, int limit) {
        List<Candle> recorded = jdbc.sql("""
                SELECT * FROM (
                    SELECT open_time, open, high, low, close, volume FROM trading_paper_candles
                    WHERE symbol = :symbol AND candle_interval = :interval AND open_time <= :last
                    ORDER BY open_time DESC LIMIT :limit) c
                ORDER BY open_time
                """)
            .param("symbol", symbol)
            .param("interval", interval.code())
            .param("last", utc(lastOpen))
            .param("limit", limit)
            .query((rs, row) -> new Candle(instant(rs, "open_time"), rs.getBigDecimal("open"), rs.getBigDecimal("high"),
                    rs.getBigDecimal("low"), rs.getBigDecimal("close"), rs.getBigDecimal("volume")))
            .list();
        return recorded.isEmpty() ? GeneratedPrices.candles(symbol, interval, lastOpen, limit) : recorded;
    }

    @Override
    public Fill place(MarketOrder order) {
        return fill(order, settings);
    }

    @Override
    public Optional<Fill> lookUp(String symbol, String clientOrderId) {
        return Optional.empty();
    }

    /** The paper fill of an order, also used by backtests. */
    public static Fill fill(MarketOrder order, TradingSettings.Paper settings) {
        BigDecimal slip = order.side() == Side.BUY ? BigDecimal.ONE.add(settings.slippage())
                : BigDecimal.ONE.subtract(settings.slippage());
        BigDecimal price = order.referencePrice().multiply(slip);
        BigDecimal quantity = order.side() == Side.BUY
                ? order.quoteAmount().divide(price, QUANTITY_SCALE, RoundingMode.DOWN) : order.quantity();
        BigDecimal fee = Money.round(price.multiply(quantity).multiply(settings.feeRate()));
        return new Fill(order.clientOrderId(), price, quantity, fee, order.at());
    }

    /**
     * Records candles for the paper exchange to replay, replacing any at the same times.
     */
    public void record(String symbol, CandleInterval interval, List<Candle> candles) {
        for (Candle candle : candles) {
            jdbc.sql(
                    """
                            INSERT INTO trading_paper_candles (symbol, candle_interval, open_time, open, high, low, close, volume)
                            VALUES (:symbol, :interval, :openTime, :open, :high, :low, :close, :volume)
                            ON CONFLICT (symbol, candle_interval, open_time) DO UPDATE
                            SET open = EXCLUDED.open, high = EXCLUDED.high, low = EXCLUDED.low, close = EXCLUDED.close,
                                volume = EXCLUDED.volume
                            """)
                .param("symbol", symbol)
                .param("interval", interval.code())
                .param("openTime", utc(candle.openTime()))
                .param("open", candle.open())
                .param("high", candle.high())
                .param("low", candle.low())
                .param("close", candle.close())
                .param("volume", candle.volume())
                .update();
        }
    }

}
