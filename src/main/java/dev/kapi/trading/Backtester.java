package dev.kapi.trading;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * Runs a strategy over a candle series as the runner would, on paper: signals in one pass, a market order
 * at a candle's close when a buy signal finds the book flat or a sell signal finds it in position, filled
 * with the paper exchange's fee and slippage, FIFO PnL, and the performance report's figures.
 */
@Component
class Backtester {

    private final TradingSettings.Paper paper;

    Backtester(TradingSettings settings) {
        this.paper = settings.paper();
    }

    record Result(int candles, Performance performance, List<Trade> trades) {
    }

    Result run(Strategies.Configured<?> strategy, String symbol, CandleInterval interval, BigDecimal quoteAmount,
            List<Candle> candles) {
        Signal[] signals = strategy.signals(candles);
        List<Trade> trades = new ArrayList<>();
        List<FifoBook.Lot> lots = new ArrayList<>();
        BigDecimal quantity = BigDecimal.ZERO;
        for (int i = 0; i < signals.length; i++) {
            Side side = signals[i] == Signal.BUY && quantity.signum() == 0 ? Side.BUY
                    : signals[i] == Signal.SELL && quantity.signum() > 0 ? Side.SELL : null;
            if (side == null) {
                continue;
            }
            Candle candle = candles.get(i);
            Exchange.Fill fill = PaperExchange.fill(new Exchange.MarketOrder(null, symbol, side, quoteAmount, quantity,
                    candle.close(), candle.openTime().plus(interval.length())), paper);
            long id = trades.size() + 1L;
            BigDecimal realized = BigDecimal.ZERO;
            if (side == Side.BUY) {
                lots.add(FifoBook.buy(id, fill.price(), fill.quantity(), fill.fee()));
            }
            else {
                FifoBook.Sale sale = FifoBook.sell(lots, fill.price(), fill.quantity(), fill.fee());
                realized = sale.realizedPnl();
                lots = new ArrayList<>(sale.remaining());
            }
            quantity = FifoBook.quantity(lots);
            trades.add(new Trade(id, 0, null, symbol, side, fill.price(), fill.quantity(), fill.fee(), realized,
                    "backtest", null, fill.executedAt()));
        }
        BigDecimal last = candles.isEmpty() ? null : candles.getLast().close();
        return new Result(candles.size(), Performance.of(trades, quantity, FifoBook.cost(lots), last), trades);
    }
}
