package dev.kapi.trading.exchange;

import org.springframework.stereotype.Component;

import dev.kapi.trading.bot.Bot;

/**
 * Picks a bot's exchange: the paper exchange without an API key, Binance with the bot's
 * key otherwise.
 */
@Component
public class Exchanges {

    private final PaperExchange paper;

    private final BinanceClient binance;

    private final ApiKeyManagement keys;

    Exchanges(PaperExchange paper, BinanceClient binance, ApiKeyManagement keys) {
        this.paper = paper;
        this.binance = binance;
        this.keys = keys;
    }

    public Exchange forBot(Bot bot) {
        if (bot.paper()) {
            return paper;
        }
        return binance.as(keys.credentials(bot.ownerId(), bot.apiKeyId()));
    }

    /** Where a bot's candles come from; public market data needs no key. */
    public Exchange candlesFor(Bot bot) {
        return bot.paper() ? paper : binance.publicData();
    }

}
