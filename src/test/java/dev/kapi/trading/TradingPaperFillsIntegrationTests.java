package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import org.springframework.beans.factory.annotation.Autowired;

import dev.kapi.trading.exchange.Candles;
import dev.kapi.trading.exchange.ExchangeName;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.runner.BotRunner;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paper market orders of live-feed bots fill from the exchange's public order book
 * (Binance's {@code depth}, no key), and at the close when there is no book; each trade
 * says which.
 */
class TradingPaperFillsIntegrationTests extends TradingTestSupport {

    @Autowired
    BotRunner runner;

    @Autowired
    Candles store;

    @Test
    void liveFeedPaperBuyWhenBinanceGivesABookThenItFillsFromTheAsksAndSaysOrderBook() {
        String token = newUserToken();
        String symbol = symbol();
        Instant open = candle(symbol, "99");
        BINANCE.stubFor(WireMock.get(urlPathEqualTo("/api/v3/depth"))
            .withQueryParam("symbol", equalTo(symbol))
            .willReturn(okJson("""
                    {"lastUpdateId": 1027024,
                     "bids": [["98.90000000", "3.00000000"]],
                     "asks": [["99.10000000", "0.50000000"], ["99.20000000", "10.00000000"]]}
                    """)));
        long bot = startedBot(token, simpleBot(symbol, "100", "1000"));

        runner.tick(open.plus(Duration.ofMinutes(1)));

        Map<String, Object> trade = onlyTrade(token, bot);
        assertThat(trade).containsEntry("price_source", "order_book");
        // 49.55 buys 0.5 at 99.10; the other 50.45 buys at 99.20.
        BigDecimal price = decimal(trade.get("price"));
        assertThat(price).isGreaterThan(new BigDecimal("99.1")).isLessThan(new BigDecimal("99.2"));
        assertThat(price.multiply(decimal(trade.get("quantity")))).isCloseTo(new BigDecimal("100"),
                org.assertj.core.data.Offset.offset(new BigDecimal("0.00001")));
        BINANCE.verify(1, getRequestedFor(urlPathEqualTo("/api/v3/depth")).withQueryParam("symbol", equalTo(symbol))
            .withQueryParam("limit", equalTo("100")));
    }

    @Test
    void paperBuyWhenNoBookOrAGeneratedFeedThenItFillsAtTheCloseAndSaysClose() {
        String token = newUserToken();
        String symbol = symbol();
        Instant open = candle(symbol, "99");
        // No depth stub: the stub answers 404, as an exchange without a book would fail.
        long live = startedBot(token, simpleBot(symbol, "100", "1000"));

        runner.tick(open.plus(Duration.ofMinutes(1)));

        Map<String, Object> trade = onlyTrade(token, live);
        assertThat(trade).containsEntry("price_source", "close");
        assertThat(decimal(trade.get("price")))
            .isEqualByComparingTo(new BigDecimal("99").multiply(new BigDecimal("1.0005")));
        assertThat(list(token, "/api/trading/trades")).filteredOn(t -> t.get("bot_id") == null)
            .allSatisfy(manual -> assertThat(manual).doesNotContainKey("price_source"));
    }

    private Map<String, Object> onlyTrade(String token, long bot) {
        List<Map<String, Object>> trades = list(token, "/api/trading/trades?bot_id={bot}", bot);
        assertThat(trades).hasSize(1);
        return trades.getFirst();
    }

    private Instant candle(String symbol, String close) {
        Instant open = randomMinuteAfter("2033-06-01T00:00:00Z");
        BigDecimal c = new BigDecimal(close);
        List<Candle> candles = new ArrayList<>();
        candles.add(new Candle(open, c, c, c, c, BigDecimal.TEN));
        store.write(ExchangeName.BINANCE, symbol, CandleInterval.M1, candles);
        return open;
    }

    private static String symbol() {
        return "Q" + ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L) + "USDT";
    }

}
