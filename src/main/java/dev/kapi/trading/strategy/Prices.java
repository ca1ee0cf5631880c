package dev.kapi.trading.strategy;

import java.util.List;

import dev.kapi.trading.market.Candle;

/**
 * Candle prices as doubles, for the strategies and sweeps that compute in floating point.
 */
final class Prices {

    private Prices() {
    }

    static double[] closes(List<Candle> candles) {
        double[] closes = new double[candles.size()];
        for (int i = 0; i < closes.length; i++) {
            closes[i] = candles.get(i).close().doubleValue();
        }
        return closes;
    }

}
