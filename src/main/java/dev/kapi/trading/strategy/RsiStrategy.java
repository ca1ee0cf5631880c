package dev.kapi.trading.strategy;

import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.stereotype.Component;

import dev.kapi.shared.ApiException;
import dev.kapi.trading.market.Candle;

/**
 * The relative strength index ({@code rsi}): buy when the RSI of {@code period} closes is
 * below {@code oversold}, sell when it is above {@code overbought}. Wilder's RSI: the
 * first average gain and loss are the simple averages of the first {@code period}
 * changes, then each follows {@code avg = (avg * (period - 1) + change) / period}; RSI =
 * 100 - 100 / (1 + gain / loss), 100 when nothing was lost. Nothing is signalled before
 * candle {@code period + 1}.
 */
@Component
public final class RsiStrategy implements Strategy<RsiStrategy.Params> {

    public record Params(@NotNull @Min(2) @Max(EmaStrategy.MAX_PERIOD) Integer period,
            @NotNull @DecimalMin("0") @DecimalMax("100") Double oversold,
            @NotNull @DecimalMin("0") @DecimalMax("100") Double overbought) {
    }

    @Override
    public String name() {
        return "rsi";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public void check(Params params) {
        if (params.overbought() <= params.oversold()) {
            throw ApiException.invalidField("overbought", "overbought-not-above-oversold");
        }
    }

    @Override
    public int candlesNeeded(Params params) {
        return params.period() + 1;
    }

    /** Wilder's smoothing forgets its start slowly: ten periods of history. */
    @Override
    public int history(Params params) {
        return 10 * params.period() + 1;
    }

    @Override
    public Signal[] signals(Params params, List<Candle> candles) {
        return signals(params, candles, Prices.closes(candles));
    }

    @Override
    public Signal[] signals(Params params, List<Candle> candles, double[] closes) {
        int period = params.period();
        Signal[] signals = new Signal[closes.length];
        double gain = 0;
        double loss = 0;
        for (int i = 0; i < closes.length; i++) {
            if (i == 0) {
                signals[i] = Signal.WARMING_UP;
                continue;
            }
            double change = closes[i] - closes[i - 1];
            double up = Math.max(change, 0);
            double down = Math.max(-change, 0);
            if (i <= period) {
                gain += up;
                loss += down;
                if (i < period) {
                    signals[i] = Signal.WARMING_UP;
                    continue;
                }
                gain /= period;
                loss /= period;
            }
            else {
                gain = (gain * (period - 1) + up) / period;
                loss = (loss * (period - 1) + down) / period;
            }
            double rsi = loss == 0 ? 100 : 100 - 100 / (1 + gain / loss);
            signals[i] = rsi < params.oversold() ? Signal.BUY : rsi > params.overbought() ? Signal.SELL : Signal.HOLD;
        }
        return signals;
    }

}
