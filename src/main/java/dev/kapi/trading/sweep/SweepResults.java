package dev.kapi.trading.sweep;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.trading.backtest.BacktestReport;

/**
 * The shape a sweep's ranked results and walk-forward folds are stored in (as JSON) and
 * answered in: each figure a decimal, in the API's names.
 */
final class SweepResults {

    private SweepResults() {
    }

    record Stats(BigDecimal profit, @JsonProperty("total_return") BigDecimal totalReturn,
            @JsonProperty("max_drawdown") BigDecimal maxDrawdown, BigDecimal sharpe, BigDecimal calmar, int trades,
            @JsonProperty("win_rate") BigDecimal winRate) {

        static Stats of(SweepKernel.Stats s) {
            return new Stats(BacktestReport.decimal(s.profit()), BacktestReport.decimal(s.totalReturn()),
                    BacktestReport.decimal(s.maxDrawdown()), BacktestReport.decimal(s.sharpe()),
                    BacktestReport.decimal(s.calmar()), s.trades(), BacktestReport.decimal(s.winRate()));
        }
    }

    record ResultLine(int rank, Map<String, Object> params, BigDecimal score, BigDecimal profit,
            @JsonProperty("total_return") BigDecimal totalReturn, @JsonProperty("max_drawdown") BigDecimal maxDrawdown,
            BigDecimal sharpe, BigDecimal calmar, int trades, @JsonProperty("win_rate") BigDecimal winRate,
            @JsonProperty("out_of_sample") List<Stats> outOfSample) {
    }

    record FoldLine(int fold, @JsonProperty("in_sample_candles") int inSampleCandles,
            @JsonProperty("out_of_sample_candles") int outOfSampleCandles,
            @JsonProperty("best_params") Map<String, Object> bestParams,
            @JsonProperty("in_sample_score") BigDecimal inSampleScore,
            @JsonProperty("out_of_sample_score") BigDecimal outOfSampleScore) {
    }

    static List<ResultLine> of(List<SweepManagement.Result> results) {
        return results.stream().map(r -> {
            Stats s = Stats.of(r.stats());
            return new ResultLine(r.rank(), r.params(), BacktestReport.decimal(r.score()), s.profit(), s.totalReturn(),
                    s.maxDrawdown(), s.sharpe(), s.calmar(), s.trades(), s.winRate(),
                    r.folds() == null ? null : r.folds().stream().map(Stats::of).toList());
        }).toList();
    }

    static List<FoldLine> folds(List<SweepManagement.Fold> folds) {
        return folds.stream()
            .map(f -> new FoldLine(f.fold(), f.inSampleCandles(), f.outOfSampleCandles(), f.bestParams(),
                    BacktestReport.decimal(f.inSampleScore()), BacktestReport.decimal(f.outOfSampleScore())))
            .toList();
    }

}
