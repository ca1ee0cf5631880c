package dev.kapi.trading.decision;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.kapi.trading.TradingSettings;
import dev.kapi.trading.backtest.Backtester;
import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.BotStatus;
import dev.kapi.trading.exchange.Exchange;
import dev.kapi.trading.exchange.PaperExchange;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.exchange.ExchangeName;
import dev.kapi.trading.market.GeneratedPrices;
import dev.kapi.trading.market.PriceFeed;
import dev.kapi.trading.market.Side;
import dev.kapi.trading.runner.BotRunner;
import dev.kapi.trading.strategy.EmaStrategy;
import dev.kapi.trading.strategy.RsiStrategy;
import dev.kapi.trading.strategy.Signal;
import dev.kapi.trading.strategy.Strategies;
import dev.kapi.trading.sweep.SweepKernel;
import dev.kapi.trading.sweep.SweepManagement;
import dev.kapi.trading.trade.FifoBook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The one per-candle decision ({@link CandleRule}) as the runner, the backtester and the
 * sweep kernel take it: the same trades on the same candles, each exit and the sizing.
 */
class TradingCandleRuleTests {

    private static final CandleInterval INTERVAL = CandleInterval.M1;

    private static final BigDecimal QUOTE = new BigDecimal("100");

    private static final TradingSettings.Paper PAPER = new TradingSettings.Paper(new BigDecimal("0.001"),
            new BigDecimal("0.0005"), false, new BigDecimal("0.05"), 100);

    private static final Strategies.Configured<?> RSI = new Strategies.Configured<>(new RsiStrategy(),
            new RsiStrategy.Params(6, 35.0, 65.0));

    private static final List<Risk> RISKS = List.of(Risk.NONE,
            new Risk(new BigDecimal("0.004"), new BigDecimal("0.006"), null, null, null, null, null, null),
            new Risk(null, null, new BigDecimal("0.003"), new BigDecimal("0.001"), null, 30,
                    new Risk.Sizing("balance_fraction", new BigDecimal("0.5")), null),
            new Risk(new BigDecimal("0.01"), null, new BigDecimal("0.002"), null, null, 5, null, null),
            new Risk(null, null, null, null, new BigDecimal("0.02"), null,
                    new Risk.Sizing("fixed_quote", new BigDecimal("9000")), null));

    @Test
    void runnerBacktesterAndSweepKernelWhenTheSameCandlesThenTheSameTrades() {
        List<Candle> candles = GeneratedPrices.walk(11, 3000, INTERVAL, Instant.parse("2024-01-01T00:00:00Z"),
                BigDecimal.valueOf(100));
        Signal[] signals = RSI.signals(candles);
        Set<ExitReason> seen = EnumSet.noneOf(ExitReason.class);
        for (Risk risk : RISKS) {
            List<String> backtest = new ArrayList<>();
            Backtester.Result result = new Backtester(new TradingSettings(null, PAPER, null, null, null, null)).run(RSI,
                    new Backtester.Setup("X", INTERVAL, QUOTE, risk, null, null), candles, trade -> backtest
                        .add(index(candles, trade.executedAt()) + " " + trade.side() + " " + trade.exitReason()));

            assertThat(runner(candles, signals, risk)).as("runner, %s", risk).isEqualTo(backtest);
            List<String> kernel = kernelRule(candles, signals, risk);
            assertThat(kernel).as("sweep kernel's rule, %s", risk)
                .isEqualTo(backtest.stream().map(line -> line.substring(0, line.lastIndexOf(' '))).toList());
            SweepKernel.Stats stats = SweepKernel.run(SweepManagement.series(candles, INTERVAL), RSI.signals(candles),
                    setup(risk), 0, candles.size());
            assertThat(stats.trades()).isEqualTo(backtest.size());
            assertThat(stats.profit()).isCloseTo(result.performance().totalPnl().doubleValue(), within(1e-6));
            backtest.forEach(line -> {
                String reason = line.substring(line.lastIndexOf(' ') + 1);
                if (!reason.equals("null")) {
                    seen.add(ExitReason.valueOf(reason));
                }
            });
        }
        // Every exit a candle decides (force_exit is its owner's, never a candle's).
        assertThat(seen).containsExactlyInAnyOrderElementsOf(
                java.util.Arrays.stream(ExitReason.values()).filter(ExitReason::byCandle).toList());
    }

    /**
     * Figures recorded before the decision had one home: backtests (every trade, to the
     * last decimal) and sweeps (every double, to the bit) must not move.
     */
    @Test
    void backtestAndSweepKernelWhenPinnedSettingsThenTheFiguresOfBefore() {
        Risk trailing = new Risk(new BigDecimal("0.01"), new BigDecimal("0.01"), new BigDecimal("0.03"),
                new BigDecimal("0.005"), new BigDecimal("0.02"), 90,
                new Risk.Sizing("balance_fraction", new BigDecimal("0.5")), null);
        Risk stops = new Risk(new BigDecimal("0.03"), null, new BigDecimal("0.01"), null, new BigDecimal("0.1"), 90,
                new Risk.Sizing("fixed_quote", new BigDecimal("250")), null);

        assertThat(pinned(CandleInterval.M1, RSI, trailing)).isEqualTo("147338268 3093 true "
                + "Stats[profit=-195.21423827273247, totalReturn=-0.019521423827273288, maxDrawdown=0.020523176464922615, "
                + "sharpe=-10.397875731603568, calmar=-19.70195891204774, trades=34, winRate=0.5294117647058824] "
                + "Stats[profit=-197.69497450528797, totalReturn=-0.019769497450528806, maxDrawdown=0.020762755590782587, "
                + "sharpe=-17.752490401855866, calmar=-37.4087273470064, trades=32, winRate=0.375]");
        assertThat(pinned(CandleInterval.H1,
                new Strategies.Configured<>(new EmaStrategy(), new EmaStrategy.Params(null, 5, 20)), stops))
            .isEqualTo("-465805346 118012 false "
                    + "Stats[profit=-527.8766363235845, totalReturn=-0.05278766363235843, maxDrawdown=0.05296572262036552, "
                    + "sharpe=-10.298611185013284, calmar=-0.4431869211865006, trades=1334, winRate=0.136431784107946] "
                    + "Stats[profit=-168.3044446773365, totalReturn=-0.01683044446773363, maxDrawdown=0.01690247518858804, "
                    + "sharpe=-9.510830305726508, calmar=-1.2434478701089444, trades=440, winRate=0.14545454545454545]");
    }

    @Test
    void exitWhenOneCandleReachesTheStopAndTheTargetThenTheStopAtItsPrice() {
        Risk risk = new Risk(new BigDecimal("0.1"), new BigDecimal("0.1"), null, null, null, null, null, null);

        CandleRule.Decision decision = CandleRule.decide(new CandleRule.Settings(risk, QUOTE, null),
                holding("1", "100", null), Signal.HOLD, candle("100", "120", "80", "100"), Instant.EPOCH);

        assertThat(decision.side()).isEqualTo(Side.SELL);
        assertThat(decision.reason()).isEqualTo(ExitReason.STOP_LOSS);
        assertThat(decision.reference()).isEqualByComparingTo("90");
    }

    @Test
    void exitWhenTheCandleOpensBelowTheStopThenAtTheOpen() {
        Risk risk = new Risk(new BigDecimal("0.1"), null, null, null, null, null, null, null);

        CandleRule.Decision decision = CandleRule.decide(new CandleRule.Settings(risk, QUOTE, null),
                holding("1", "100", null), Signal.BUY, candle("85", "86", "84", "85"), Instant.EPOCH);

        assertThat(decision.reference()).isEqualByComparingTo("85");
    }

    @Test
    void trailingStopWhenTheOffsetIsReachedThenItTrailsTheHighestHighBeforeTheCandle() {
        Risk risk = new Risk(null, null, new BigDecimal("0.05"), new BigDecimal("0.1"), null, null, null, null);
        CandleRule.Settings settings = new CandleRule.Settings(risk, QUOTE, null);

        CandleRule.Decision below = CandleRule.decide(settings, holding("1", "100", "109"), Signal.HOLD,
                candle("105", "106", "95", "100"), Instant.EPOCH);
        CandleRule.Decision above = CandleRule.decide(settings, holding("1", "100", "120"), Signal.HOLD,
                candle("118", "130", "113", "115"), Instant.EPOCH);

        assertThat(below.side()).isNull();
        assertThat(below.highWater()).isEqualByComparingTo("109");
        assertThat(above.reason()).isEqualTo(ExitReason.TRAILING_STOP);
        assertThat(above.reference()).isEqualByComparingTo("114");
    }

    @Test
    void maxDrawdownWhenEquityFallsThatFarBelowItsPeakThenSellsAtTheCloseAndPauses() {
        Risk risk = new Risk(null, null, null, null, new BigDecimal("0.1"), null, null, null);
        CandleRule.Holding holding = new CandleRule.Holding(new BigDecimal("100"), new BigDecimal("10000"),
                BigDecimal.ZERO, new BigDecimal("100"), new BigDecimal("100"), new BigDecimal("10000"), null);

        CandleRule.Decision decision = CandleRule.decide(new CandleRule.Settings(risk, QUOTE, null), holding,
                Signal.BUY, candle("91", "91", "89", "90"), Instant.EPOCH);

        assertThat(decision.side()).isEqualTo(Side.SELL);
        assertThat(decision.reason()).isEqualTo(ExitReason.MAX_DRAWDOWN);
        assertThat(decision.reference()).isEqualByComparingTo("90");
        assertThat(decision.pause()).isTrue();
    }

    @Test
    void buyWhenCoolingDownOrAboveMaxPositionThenNone() {
        CandleRule.Holding flat = new CandleRule.Holding(BigDecimal.ZERO, BigDecimal.ZERO, new BigDecimal("1000"), null,
                null, null, Instant.parse("2024-01-01T00:10:00Z"));
        CandleRule.Settings settings = new CandleRule.Settings(Risk.NONE, QUOTE, null);

        assertThat(CandleRule
            .decide(settings, flat, Signal.BUY, candle("1", "1", "1", "1"), Instant.parse("2024-01-01T00:09:00Z"))
            .side()).isNull();
        assertThat(CandleRule
            .decide(settings, flat, Signal.BUY, candle("1", "1", "1", "1"), Instant.parse("2024-01-01T00:10:00Z"))
            .side()).isEqualTo(Side.BUY);
        assertThat(CandleRule
            .decide(new CandleRule.Settings(Risk.NONE, QUOTE, new BigDecimal("99")), flat, Signal.BUY,
                    candle("1", "1", "1", "1"), Instant.parse("2024-01-01T00:10:00Z"))
            .side()).isNull();
    }

    @Test
    void sizingWhenFixedQuoteOrBalanceFractionThenThatAmountRoundedDownToEightDecimals() {
        Risk fixed = new Risk(null, null, null, null, null, null, new Risk.Sizing("fixed_quote", new BigDecimal("250")),
                null);
        Risk fraction = new Risk(null, null, null, null, null, null,
                new Risk.Sizing("balance_fraction", new BigDecimal("0.333")), null);

        assertThat(Exits.buyAmount(Risk.NONE, QUOTE, new BigDecimal("1000"))).isEqualByComparingTo("100");
        assertThat(Exits.buyAmount(fixed, QUOTE, new BigDecimal("1000"))).isEqualByComparingTo("250");
        assertThat(Exits.buyAmount(fraction, QUOTE, new BigDecimal("1000.00000001"))).isEqualByComparingTo("333");
        assertThat(Exits.buyAmount(fraction, QUOTE, new BigDecimal("-5"))).isEqualByComparingTo("0");
    }

    @Test
    void cooldownWhenAStopSoldThenThatLongAndNoneAfterASignal() {
        Risk risk = new Risk(null, null, null, null, null, 15, null, null);
        Instant at = Instant.parse("2024-01-01T00:00:00Z");

        assertThat(Exits.cooldownUntil(risk, ExitReason.TRAILING_STOP, at)).isEqualTo(at.plusSeconds(900));
        assertThat(Exits.cooldownUntil(risk, ExitReason.TAKE_PROFIT, at)).isNull();
        assertThat(Exits.cooldownUntil(risk, ExitReason.SIGNAL, at)).isNull();
    }

    /**
     * A backtest's trades (a hash and the length of their text) and whether it paused,
     * and the sweep kernel's figures over the series and over candles 5,000 to 12,000.
     */
    private static String pinned(CandleInterval interval, Strategies.Configured<?> strategy, Risk risk) {
        List<Candle> candles = GeneratedPrices.walk(11, 20_000, interval, Instant.parse("2024-01-01T00:00:00Z"),
                BigDecimal.valueOf(100));
        StringBuilder trades = new StringBuilder();
        Backtester.Result result = new Backtester(new TradingSettings(null, PAPER, null, null, null, null)).run(
                strategy, new Backtester.Setup("X", interval, QUOTE, risk, null, null), candles,
                trade -> trades.append(trade.side())
                    .append(trade.price().toPlainString())
                    .append(',')
                    .append(trade.quantity().toPlainString())
                    .append(',')
                    .append(trade.fee().toPlainString())
                    .append(',')
                    .append(trade.realizedPnl().toPlainString())
                    .append(trade.executedAt())
                    .append(trade.exitReason())
                    .append(';'));
        SweepKernel.Series series = SweepManagement.series(candles, interval);
        SweepKernel.Setup setup = SweepKernel.Setup.of(risk, QUOTE, 0.001, 0.0005, interval);
        Signal[] signals = strategy.signals(candles, series.close());
        return trades.toString().hashCode() + " " + trades.length() + " " + result.report().paused() + " "
                + SweepKernel.run(series, signals, setup, 0, candles.size()) + " "
                + SweepKernel.run(series, signals, setup, 5000, 12000);
    }

    /**
     * The runner's decision ({@link BotRunner#decide}) over a bot kept as the runner
     * keeps it.
     */
    private static List<String> runner(List<Candle> candles, Signal[] signals, Risk risk) {
        List<String> made = new ArrayList<>();
        List<FifoBook.Lot> lots = new ArrayList<>();
        Bot bot = bot(risk, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, null, null, null, null);
        for (int i = 0; i < candles.size(); i++) {
            Candle candle = candles.get(i);
            Instant closeTime = candle.openTime().plus(INTERVAL.length());
            CandleRule.Decision decision = BotRunner.decide(bot, signals[i], candle, closeTime);
            BigDecimal peak = decision.peak() != null ? decision.peak() : bot.peakEquity();
            if (decision.side() == null) {
                BigDecimal highWater = !bot.inPosition() ? null
                        : decision.highWater() != null ? decision.highWater() : bot.highWater();
                bot = bot(risk, bot.positionQuantity(), bot.positionCost(), bot.realizedTotal(), bot.entryPrice(),
                        highWater, peak, bot.cooldownUntil());
            }
            else {
                Exchange.Fill fill = PaperExchange.fill(new Exchange.MarketOrder("c" + i, "X", decision.side(),
                        decision.amount(), bot.positionQuantity(), decision.reference(), closeTime), PAPER);
                made.add(i + " " + decision.side() + " " + decision.reason());
                if (decision.side() == Side.BUY) {
                    lots.add(FifoBook.buy(i, fill.price(), fill.quantity(), fill.fee()));
                    bot = bot(risk, FifoBook.quantity(lots), FifoBook.cost(lots), bot.realizedTotal(), fill.price(),
                            fill.price(), peak, bot.cooldownUntil());
                }
                else {
                    FifoBook.Sale sale = FifoBook.sell(lots, fill.price(), fill.quantity(), fill.fee());
                    lots = new ArrayList<>(sale.remaining());
                    Instant cooldown = Exits.cooldownUntil(risk, decision.reason(), fill.executedAt());
                    bot = bot(risk, FifoBook.quantity(lots), FifoBook.cost(lots),
                            bot.realizedTotal().add(sale.realizedPnl()), null, null, peak,
                            cooldown != null ? cooldown : bot.cooldownUntil());
                }
            }
            if (decision.pause()) {
                break;
            }
        }
        return made;
    }

    /** The sweep kernel's decision ({@link CandleRule.Fast}) with the kernel's fills. */
    private static List<String> kernelRule(List<Candle> candles, Signal[] signals, Risk risk) {
        SweepKernel.Setup setup = setup(risk);
        CandleRule.Fast rule = setup.rule();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < candles.size(); i++) {
            Candle c = candles.get(i);
            int action = rule.decide(i, c.open().doubleValue(), c.high().doubleValue(), c.low().doubleValue(),
                    c.close().doubleValue(), signals[i]);
            if (action == CandleRule.Fast.BUY) {
                double price = c.close().doubleValue() * (1 + setup.slippage());
                double quantity = Math.floor(rule.amount / price * 1e8) / 1e8;
                rule.bought(price, quantity, price * quantity * setup.feeRate());
                made.add(i + " BUY");
            }
            else if (action == CandleRule.Fast.SELL) {
                double proceeds = rule.reference * (1 - setup.slippage()) * rule.held;
                rule.sold(i, proceeds, proceeds * setup.feeRate());
                made.add(i + " SELL");
            }
        }
        return made;
    }

    private static SweepKernel.Setup setup(Risk risk) {
        return SweepKernel.Setup.of(risk, QUOTE, PAPER.feeRate().doubleValue(), PAPER.slippage().doubleValue(),
                INTERVAL);
    }

    private static int index(List<Candle> candles, Instant executedAt) {
        return (int) (Duration.between(candles.getFirst().openTime(), executedAt).dividedBy(INTERVAL.length()) - 1);
    }

    private static Bot bot(Risk risk, BigDecimal quantity, BigDecimal cost, BigDecimal realized, BigDecimal entry,
            BigDecimal highWater, BigDecimal peak, Instant cooldownUntil) {
        return new Bot(1, 1, "parity", "X", QUOTE, INTERVAL, "rsi", "{}", null, null, null, true,
                BotStatus.trading(quantity.signum() > 0), quantity, cost, null, null, null, null, 0, null, null, null,
                risk, entry, highWater, realized, peak, cooldownUntil, null, ExchangeName.BINANCE, PriceFeed.GENERATED,
                dev.kapi.trading.bot.OrderPolicy.MARKET, false);
    }

    private static CandleRule.Holding holding(String quantity, String entry, String highWater) {
        BigDecimal q = new BigDecimal(quantity);
        BigDecimal e = new BigDecimal(entry);
        return new CandleRule.Holding(q, q.multiply(e), new BigDecimal("10000").subtract(q.multiply(e)), e,
                highWater == null ? e : new BigDecimal(highWater), null, null);
    }

    private static Candle candle(String open, String high, String low, String close) {
        return new Candle(Instant.parse("2024-01-01T00:00:00Z"), new BigDecimal(open), new BigDecimal(high),
                new BigDecimal(low), new BigDecimal(close), BigDecimal.ONE);
    }

}
