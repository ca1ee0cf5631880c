package dev.kapi.trading.strategy;

import java.util.List;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.stereotype.Component;

import dev.kapi.trading.market.Candle;

/**
 * Bollinger bands ({@code bollinger}): the simple average of the last {@code period}
 * closes, and bands {@code width} standard deviations (of those closes) above and below
 * it. Buy when the close is below the lower band, sell when it is above the upper one.
 * Nothing is signalled before candle {@code period}.
 */
@Component
final class BollingerStrategy implements Strategy<BollingerStrategy.Params> {

    record Params(@NotNull @Min(2) @Max(EmaStrategy.MAX_PERIOD) Integer period,
            @NotNull @DecimalMin(value = "0", inclusive = false) @DecimalMax("10") Double width) {
    }

    @Override
    public String name() {
        return "bollinger";
    }

    @Override
    public Class<Params> parameters() {
        return Params.class;
    }

    @Override
    public int candlesNeeded(Params params) {
        return params.period();
    }

    @Override
    public Signal[] signals(Params params, List<Candle> candles) {
        return signals(params, candles, Prices.closes(candles));
    }

    @Override
    public Signal[] signals(Params params, List<Candle> candles, double[] closes) {
        int period = params.period();
        Signal[] signals = new Signal[closes.length];
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < closes.length; i++) {
            sum += closes[i];
            sumSquares += closes[i] * closes[i];
            if (i >= period) {
                sum -= closes[i - period];
                sumSquares -= closes[i - period] * closes[i - period];
            }
            if (i < period - 1) {
                signals[i] = Signal.WARMING_UP;
                continue;
            }
            double mean = sum / period;
            double deviation = Math.sqrt(Math.max(0, sumSquares / period - mean * mean));
            double band = params.width() * deviation;
            // A flat window has no band: rounding must not make it signal.
            double tolerance = 1e-12 * Math.abs(mean);
            signals[i] = closes[i] < mean - band - tolerance ? Signal.BUY
                    : closes[i] > mean + band + tolerance ? Signal.SELL : Signal.HOLD;
        }
        return signals;
    }

}
