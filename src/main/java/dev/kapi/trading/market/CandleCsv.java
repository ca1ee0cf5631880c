package dev.kapi.trading.market;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Decimals;

/**
 * Reads Binance's kline CSV (as on its public data site): open time, open, high, low,
 * close, volume, then columns that are not needed. Open times are epoch milliseconds, or
 * microseconds as in Binance's newer spot files; a header line is skipped.
 */
public final class CandleCsv {

    private static final long MICROS_FROM = 100_000_000_000_000L;

    private CandleCsv() {
    }

    public static List<Candle> parse(String csv, int max) {
        List<Candle> candles = new ArrayList<>();
        int line = 0;
        for (String row : csv.split("\r?\n")) {
            line++;
            if (row.isBlank() || (line == 1 && !Character.isDigit(row.strip().charAt(0)))) {
                continue;
            }
            if (candles.size() == max) {
                throw ApiException.invalidField("candles", "candles-too-many", max);
            }
            String[] cells = row.split(",");
            try {
                long time = Long.parseLong(cells[0].strip());
                Instant open = time >= MICROS_FROM ? Instant.ofEpochSecond(time / 1_000_000, time % 1_000_000 * 1000)
                        : Instant.ofEpochMilli(time);
                candles.add(new Candle(open, price(cells[1]), price(cells[2]), price(cells[3]), price(cells[4]),
                        volume(cells[5])));
            }
            catch (RuntimeException ex) {
                throw ApiException.invalidField("candles", "candles-csv-invalid", line);
            }
        }
        return candles;
    }

    /**
     * A price within {@link Decimals}' range and above zero, so no division by it runs
     * away.
     */
    private static BigDecimal price(String cell) {
        BigDecimal value = volume(cell);
        if (value.signum() <= 0) {
            throw new IllegalArgumentException("price not positive");
        }
        return value;
    }

    private static BigDecimal volume(String cell) {
        String text = cell.strip();
        BigDecimal value = text.length() > Decimals.MAX_LENGTH ? null : new BigDecimal(text);
        if (value == null || value.signum() < 0 || !Decimals.inRange(value)) {
            throw new IllegalArgumentException("number out of range");
        }
        return value;
    }

}
