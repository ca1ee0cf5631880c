package dev.kapi.trading;

import java.util.List;

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
