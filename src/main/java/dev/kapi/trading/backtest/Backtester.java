package dev.kapi.trading.backtest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.decision.CandleRule;
import dev.kapi.trading.decision.ExitReason;
import dev.kapi.trading.decision.Exits;
import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.exchange.Exchange;
import dev.kapi.trading.exchange.PaperExchange;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.report.Performance;
import dev.kapi.trading.strategy.Signal;
import dev.kapi.trading.strategy.Strategies;
import dev.kapi.trading.trade.FifoBook;
import dev.kapi.trading.trade.Trade;

/**
 * Runs a strategy over a candle series as the runner would, on paper, candle by candle:
 * first the risk exits of an open position against the candle's low and high
 * ({@link Exits}), then the max-drawdown protection on equity at the close, then the
 * signal (a market order at the close when a buy signal finds the book flat and no
 * cooldown waits, or a sell signal finds it in position); one order per candle, as the
 * runner's client order ids allow. Fills are the paper exchange's
 * ({@link PaperExchange#fill}) with the backtest's fee and slippage, PnL is FIFO, and the
 * report adds {@link BacktestReport}'s figures. Each trade goes to the caller as it is
 * made and into the figures, and is not kept: a backtest of 300,000 trades holds none of
 * them.
 */
@Component
public class Backtester {

    private static final CandleRule.Decision HOLD = CandleRule.Decision.hold(null, null);

    private final TradingSettings.Paper paper;

    public Backtester(TradingSettings settings) {
        this.paper = settings.paper();
    }

    /** What a backtest trades with: fee and slippage null take the paper exchange's. */
    public record Setup(String symbol, CandleInterval interval, BigDecimal quoteAmount, Risk risk, BigDecimal feeRate,
            BigDecimal slippage) {
    }

    /** The figures over every trade made ({@code performance.tradeCount()} of them). */
    public record Result(int candles, Performance performance, BacktestReport report, BigDecimal feeRate,
            BigDecimal slippage) {
    }

    public Result run(Strategies.Configured<?> strategy, String symbol, CandleInterval interval, BigDecimal quoteAmount,
            List<Candle> candles) {
        return run(strategy, new Setup(symbol, interval, quoteAmount, Risk.NONE, null, null), candles, trade -> {
        });
    }

    /** Runs the backtest; {@code each} gets every trade, oldest first, as it is made. */
    public Result run(Strategies.Configured<?> strategy, Setup setup, List<Candle> candles, Consumer<Trade> each) {
        TradingSettings.Paper costs = new TradingSettings.Paper(
                setup.feeRate() != null ? setup.feeRate() : paper.feeRate(),
                setup.slippage() != null ? setup.slippage() : paper.slippage(), false, paper.maxSlippage(),
                paper.depth());
        Risk risk = setup.risk() == null ? Risk.NONE : setup.risk();
        CandleRule.Settings settings = new CandleRule.Settings(risk, setup.quoteAmount(), null);
        Signal[] signals = strategy.signals(candles);
        Performance.Tally tally = new Performance.Tally();
        BacktestReport.Sells sells = new BacktestReport.Sells();
        long made = 0;
        List<FifoBook.Lot> lots = new ArrayList<>();
        BigDecimal quantity = BigDecimal.ZERO;
        BigDecimal realizedTotal = BigDecimal.ZERO;
        BigDecimal entry = null;
        BigDecimal highWater = null;
        BigDecimal peak = risk.balance();
        Instant cooldownUntil = null;
        boolean paused = false;
        double start = risk.balance().doubleValue();
        double cash = start;
        double held = 0;
        double[] equity = new double[candles.size()];
        int inPosition = 0;
        for (int i = 0; i < signals.length; i++) {
            Candle candle = candles.get(i);
            Instant closeTime = candle.openTime().plus(setup.interval().length());
            if (quantity.signum() > 0) {
                inPosition++;
            }
            CandleRule.Decision decision = paused ? HOLD
                    : CandleRule.decide(settings,
                            new CandleRule.Holding(quantity, FifoBook.cost(lots),
                                    risk.balance().add(realizedTotal).subtract(FifoBook.cost(lots)), entry, highWater,
                                    peak, cooldownUntil),
                            signals[i], candle, closeTime);
            Side side = decision.side();
            BigDecimal reference = decision.reference();
            ExitReason reason = decision.reason();
            BigDecimal amount = decision.amount();
            paused = paused || decision.pause();
            if (decision.highWater() != null) {
                highWater = decision.highWater();
            }
            if (decision.peak() != null) {
                peak = decision.peak();
            }
            if (side != null) {
                Exchange.Fill fill = PaperExchange.fill(
                        new Exchange.MarketOrder(null, setup.symbol(), side, amount, quantity, reference, closeTime),
                        costs);
                long id = ++made;
                BigDecimal realized = BigDecimal.ZERO;
                if (side == Side.BUY) {
                    lots.add(FifoBook.buy(id, fill.price(), fill.quantity(), fill.fee()));
                    entry = fill.price();
                    highWater = fill.price();
                    cash -= fill.price().multiply(fill.quantity()).add(fill.fee()).doubleValue();
                }
                else {
                    FifoBook.Sale sale = FifoBook.sell(lots, fill.price(), fill.quantity(), fill.fee());
                    realized = sale.realizedPnl();
                    realizedTotal = realizedTotal.add(realized);
                    lots = new ArrayList<>(sale.remaining());
                    entry = null;
                    highWater = null;
                    cash += fill.price().multiply(fill.quantity()).subtract(fill.fee()).doubleValue();
                    Instant until = Exits.cooldownUntil(risk, reason, fill.executedAt());
                    cooldownUntil = until != null ? until : cooldownUntil;
                }
                quantity = FifoBook.quantity(lots);
                held = quantity.doubleValue();
                Trade trade = new Trade(id, 0, null, setup.symbol(), side, fill.price(), fill.quantity(), fill.fee(),
                        realized, "backtest", null, fill.executedAt(), side == Side.SELL ? reason : null);
                tally.add(trade);
                sells.add(trade);
                each.accept(trade);
            }
            equity[i] = cash + held * candle.close().doubleValue();
        }
        BigDecimal last = candles.isEmpty() ? null : candles.getLast().close();
        Performance performance = tally.result(quantity, FifoBook.cost(lots), last);
        return new Result(candles.size(), performance,
                BacktestReport.of(candles, setup.interval(), start, equity, sells, inPosition, paused), costs.feeRate(),
                costs.slippage());
    }

}
