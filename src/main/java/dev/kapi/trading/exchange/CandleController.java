package dev.kapi.trading.exchange;

import java.time.Instant;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.ApiException;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Instants;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * {@code POST /api/trading/candles/download}: fills the shared candle store with an
 * exchange's public candles of a range, for backtests with a {@code source}.
 */
@RestController
@RequestMapping("/api/trading/candles")
@Tag(name = "trading")
class CandleController {

    private final CandleDownloads downloads;

    CandleController(CandleDownloads downloads) {
        this.downloads = downloads;
    }

    /** A range of one symbol's candles on one exchange: {@code [from, to)}. */
    record DownloadRequest(@NotNull @Pattern(regexp = ExchangeName.PATTERN) @Schema(allowableValues = {
            "binance", "btcturk" }) String exchange, @NotNull @Pattern(regexp = "[A-Z0-9]{5,20}") String symbol,
            @NotNull @Schema(implementation = CandleInterval.class) String interval,
            @NotBlank @Size(max = 40) @Schema(format = "date-time") String from,
            @NotBlank @Size(max = 40) @Schema(format = "date-time") String to){
    }

    record DownloadResponse(String exchange, String symbol, CandleInterval interval, Instant from, Instant to,
            int candles, int fetched, int requests) {

        static DownloadResponse from(CandleDownloads.Downloaded downloaded) {
            return new DownloadResponse(downloaded.exchange().wire(), downloaded.symbol(), downloaded.interval(),
                    downloaded.from(), downloaded.to(), downloaded.candles(), downloaded.fetched(),
                    downloaded.requests());
        }
    }

    @PostMapping("/download")
    @Operation(summary = "Download an exchange's public candles of a range into the shared store (at most "
            + "100,000 by default, 1,000,000 a user and day: 429 candles-quota-exceeded; only what the store lacks is "
            + "fetched); answers what the store now holds")
    DownloadResponse download(@AuthenticationPrincipal CurrentAccount me, @Valid @RequestBody DownloadRequest request) {
        CandleInterval interval = CandleInterval.of(request.interval())
            .orElseThrow(() -> ApiException.invalidField("interval", "interval-unknown", "1m, 5m, 1h, 1d"));
        return DownloadResponse
            .from(downloads.download(me.id(), ExchangeName.of(request.exchange()).orElseThrow(), request.symbol(),
                    interval, Instants.parse(request.from(), "from"), Instants.parse(request.to(), "to")));
    }

}
