package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.kapi.shared.ApiException;

/**
 * Reads Binance's kline CSV (as on its public data site): open time, open, high, low, close, volume,
 * then columns that are not needed. Open times are epoch milliseconds, or microseconds as in Binance's
 * newer spot files; a header line is skipped.
 */
final class CandleCsv {

    private static final long MICROS_FROM = 100_000_000_000_000L;

    private CandleCsv() {
    }

    static List<Candle> parse(String csv, int max) {
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
                candles.add(new Candle(open, new BigDecimal(cells[1].strip()), new BigDecimal(cells[2].strip()),
                        new BigDecimal(cells[3].strip()), new BigDecimal(cells[4].strip()),
                        new BigDecimal(cells[5].strip())));
            }
            catch (RuntimeException ex) {
                throw ApiException.invalidField("candles", "candles-csv-invalid", line);
            }
        }
        return candles;
    }
}
