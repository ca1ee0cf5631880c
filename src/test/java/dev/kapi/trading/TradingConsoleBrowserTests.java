package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;

import dev.kapi.support.Chromium;
import dev.kapi.trading.exchange.PaperExchange;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.runner.BotRunner;
import dev.kapi.trading.runner.LimitOrders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bot's page in the admin console, in headless Chromium as in AdminConsoleBrowserTests:
 * here, in the trading package, so that the test can record the paper candles and tick
 * the runner that make the bot's trades.
 */
class TradingConsoleBrowserTests extends TradingTestSupport {

    private static Chromium chromium;

    private static ChromeDriver browser;

    private static WebDriverWait wait;

    @Autowired
    BotRunner runner;

    @Autowired
    PaperExchange paper;

    @Autowired
    LimitOrders limits;

    @BeforeAll
    static void startBrowser() {
        chromium = Chromium.start("tr-TR", 1440, 1000);
        browser = chromium.driver();
        wait = chromium.waiting();
    }

    @AfterAll
    static void stopBrowser() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void botPageWhenTheBotTradedThenThePriceChartShowsItsBuysAndSellsAndTheEquityCurveAndTradesShow() {
        // given: a paper bot that bought twice and sold twice, one of the sells a
        // stop-loss
        String token = newUserToken();
        String symbol = TradingRunnerIntegrationTests.uniqueSymbol();
        Instant first = randomMinuteAfter("2033-01-01T00:00:00Z");
        String[][] candles = { { "105", "105", "105", "105" }, { "99", "99", "99", "99" },
                { "104", "106", "103", "104" }, { "111", "112", "109", "111" }, { "108", "108", "107", "108" },
                { "98", "99", "97", "98" }, { "97", "102", "80", "101" }, { "102", "103", "101", "102" } };
        List<Candle> series = new ArrayList<>();
        for (int i = 0; i < candles.length; i++) {
            String[] v = candles[i];
            series.add(new Candle(first.plus(Duration.ofMinutes(i)), new BigDecimal(v[0]), new BigDecimal(v[1]),
                    new BigDecimal(v[2]), new BigDecimal(v[3]), BigDecimal.TEN));
        }
        paper.record(symbol, CandleInterval.M1, series);
        Map<String, Object> body = simpleBot(symbol, "100", "110");
        body.put("name", "Grafik botu");
        body.put("stop_loss", "0.1");
        long bot = startedBot(token, body);
        for (int minute = 1; minute <= candles.length; minute++) {
            runner.tick(first.plus(Duration.ofMinutes(minute)));
        }
        assertThat(list(token, "/api/trading/trades?bot_id={bot}", bot)).extracting(t -> t.get("exit_reason"))
            .containsExactly("stop_loss", null, "signal", null);

        // when: an admin opens the bots list and follows the bot's name
        signInAsANewAdmin();
        browser.executeScript("location.hash = arguments[0]", "#/bots");
        one("a[data-bot='" + bot + "']").click();
        one("[data-page=bot][data-bot-id='" + bot + "']");

        // then: the price chart with a marker per trade, the equity curve, the trades
        one("svg[data-chart=price] polyline");
        assertThat(all("svg[data-chart=price] line.wick")).hasSize(candles.length);
        assertThat(all("svg[data-chart=price] polygon.marker[data-side=buy]")).hasSize(2);
        assertThat(all("svg[data-chart=price] polygon.marker[data-side=sell]")).hasSize(2);
        assertThat(all("svg[data-chart=price] polygon.marker[data-exit-reason=stop_loss]")).hasSize(1);
        assertThat(one("svg[data-chart=equity] polyline").getAttribute("points").split(" ")).hasSize(candles.length);
        assertThat(all("table[data-table=trades] tbody tr")).hasSize(4);
        assertThat(one("table[data-table=trades]").getText()).contains("stop_loss", "signal");
        assertThat(one("[data-figure=trades] strong").getText()).isEqualTo("4");
        assertThat(one("h1").getText()).contains("Grafik botu", symbol);
        chromium.screenshot("bot");
        assertThat(all("[role=alert]")).isEmpty();
        chromium.assertNoConsoleErrors();
    }

    @Test
    void botPageWhenALimitBuyRestsPartlyFilledUnderItsStopAndTakeProfitThenTheirLinesAndTheOrdersTableShow() {
        // given: a live limit bot whose buy rests at 98.01, half filled, and whose OCO
        // for the half held stands on the (stubbed) exchange: stop 93.11, target 117.61
        String token = newUserToken();
        String symbol = BinanceStandIn.uniqueSymbol();
        String base = BinanceStandIn.base(symbol);
        binance.rulesAndARestingLimitBuy(symbol);
        binance.ocoTaken(symbol, 7);
        Instant first = randomMinuteAfter("2034-01-01T00:00:00Z");
        BigDecimal close = new BigDecimal("99");
        paper.record(symbol, CandleInterval.M1, List.of(new Candle(first, close, close, close, close, BigDecimal.TEN)));
        Map<String, Object> body = simpleBot(symbol, "100", "1000000");
        body.put("name", "Emir botu");
        body.put("api_key_id", id(createKey(token, "orders-" + base)));
        body.put("order_type", "limit");
        body.put("limit_offset", new BigDecimal("0.01"));
        body.put("unfilled_timeout_minutes", 60);
        body.put("on_unfilled", "cancel");
        body.put("stop_on_exchange", true);
        body.put("stop_loss", new BigDecimal("0.05"));
        body.put("take_profit", new BigDecimal("0.2"));
        long bot = startedBot(token, body);
        runner.tick(first.plus(Duration.ofMinutes(1)));
        String order = "kapi-" + bot + "-" + first.getEpochSecond() / 60;
        binance.limitBuyState(symbol, order, "PARTIALLY_FILLED", "0.5");
        clock.advance(Duration.ofMinutes(1));
        limits.pass();

        // when: an admin opens the bot's page
        signInAsANewAdmin();
        browser.executeScript("location.hash = arguments[0]", "#/bots/" + bot);
        one("[data-page=bot][data-bot-id='" + bot + "']");

        // then: a labelled dashed line per order, in price order, and the orders table
        WebElement limit = one("svg[data-chart=price] g[data-order-kind=limit]");
        WebElement stop = one("svg[data-chart=price] g[data-order-kind=stop]");
        WebElement target = one("svg[data-chart=price] g[data-order-kind=take_profit]");
        assertThat(limit.findElement(By.cssSelector("text")).getAttribute("textContent"))
            .isEqualTo("Limit alış 1.0203 @ 98.01 (0.5 gerçekleşen)");
        assertThat(stop.findElement(By.cssSelector("text")).getAttribute("textContent")).isEqualTo("Zarar kes 93.11");
        assertThat(target.findElement(By.cssSelector("text")).getAttribute("textContent")).isEqualTo("Kâr al 117.61");
        double limitY = lineY(limit);
        assertThat(lineY(stop)).isGreaterThan(limitY);
        assertThat(lineY(target)).isLessThan(limitY);
        // The stop stands on the exchange, so Kapı's own stop level is not drawn again.
        assertThat(all("svg[data-chart=price] g[data-order-kind=stop_level]")).isEmpty();
        assertThat(all("table[data-table=orders] tbody tr")).hasSize(3);
        assertThat(all("table[data-table=orders] [data-order-kind]"))
            .extracting(cell -> cell.getAttribute("data-order-kind"))
            .containsExactly("limit", "stop", "take_profit");
        assertThat(one("table[data-table=orders]").getText()).contains(order, "93.11", "92.17", "117.61", "0.5");
        chromium.screenshot("bot-orders");
        assertThat(all("[role=alert]")).isEmpty();
        chromium.assertNoConsoleErrors();
    }

    private static double lineY(WebElement order) {
        return Double.parseDouble(order.findElement(By.cssSelector("line")).getAttribute("y1"));
    }

    @Test
    void botPageWhenTheBotIsUnknownThenTheConsoleSaysSo() {
        signInAsANewAdmin();
        browser.executeScript("location.hash = arguments[0]", "#/bots/" + Long.MAX_VALUE);

        assertThat(one("#page [role=alert]").getText()).isNotBlank();
    }

    private void signInAsANewAdmin() {
        chromium.forgetConsole();
        chromium.comeFrom(randomIp());
        String admin = registerAdmin();
        browser.get("http://localhost:" + port + "/admin");
        WebElement form = one("[data-page=sign-in]");
        form.findElement(By.name("username")).sendKeys(admin);
        form.findElement(By.name("password")).sendKeys(PASSWORD);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        one("[data-page=dashboard]");
    }

    private WebElement one(String css) {
        return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
    }

    private List<WebElement> all(String css) {
        return browser.findElements(By.cssSelector(css));
    }

}
