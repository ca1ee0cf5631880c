package dev.kapi.trading;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Trading configuration. {@code runner}: whether this instance ticks bots on its own and
 * when (a cron expression, seconds first: a few seconds past each minute, so the exchange
 * has closed the candle), how many bots one claim takes and after how many errors in a
 * row a bot goes to {@code error}; when the retry passes of each minute run and how old
 * an unfinished claim must be for it to take it over (the claiming instance died in the
 * middle of its batch). {@code paper}: the paper exchange's fee and slippage as fractions
 * of the traded amount; whether a live-feed paper bot's market orders fill from the
 * exchange's order book ({@code depth} levels a side), their price at most
 * {@code maxSlippage} from the close. {@code binance}: the REST base URL,
 * {@code recvWindow}, the request timeout and the request weight per minute Kapı stays
 * below. {@code btcturk}: BtcTurk's REST base URL ({@code /api/v1} signed,
 * {@code /api/v2} public), its graph API's (candles) and the request timeout.
 */
@ConfigurationProperties("kapi.trading")
public record TradingSettings(@DefaultValue Runner runner, @DefaultValue Paper paper, @DefaultValue Binance binance,
        @DefaultValue Btcturk btcturk, @DefaultValue Market market, @DefaultValue Protection protection) {

    public record Runner(@DefaultValue("true") boolean enabled, @DefaultValue("5 * * * * *") String cron,
            @DefaultValue("500") int batchSize, @DefaultValue("3") int maxConsecutiveErrors,
            @DefaultValue("15/10 * * * * *") String retryCron, @DefaultValue("25s") Duration claimLease) {
    }

    public record Paper(@DefaultValue("0.001") BigDecimal feeRate, @DefaultValue("0.0005") BigDecimal slippage,
            @DefaultValue("true") boolean orderBook, @DefaultValue("0.05") BigDecimal maxSlippage,
            @DefaultValue("100") int depth) {
    }

    public record Binance(@DefaultValue("https://api.binance.com") URI baseUrl, @DefaultValue("5s") Duration recvWindow,
            @DefaultValue("10s") Duration timeout, @DefaultValue("5000") int maxUsedWeight) {
    }

    public record Btcturk(@DefaultValue("https://api.btcturk.com") URI baseUrl,
            @DefaultValue("https://graph-api.btcturk.com") URI graphUrl, @DefaultValue("10s") Duration timeout) {
    }

    /**
     * The shared candle store: how long a tick waits for another instance fetching the
     * same candles, the most candles one download stores, the most candles a user may
     * download a day (UTC), and how long candles are kept (by open time: a year of
     * backtests plus 200 daily candles of history).
     */
    public record Market(@DefaultValue("15s") Duration lockTimeout, @DefaultValue("100000") int maxDownload,
            @DefaultValue("1000000") long maxDownloadPerDay, @DefaultValue("400d") Duration retention) {
    }

    /**
     * Stops on the exchange: how far below its stop price a stop-limit order's limit is,
     * as a fraction (so a fast fall past the stop still fills).
     */
    public record Protection(@DefaultValue("0.01") BigDecimal stopLimitGap) {
    }
}
