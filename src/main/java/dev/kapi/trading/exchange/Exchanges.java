package dev.kapi.trading.exchange;

import org.springframework.stereotype.Component;

import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.market.PriceFeed;

/**
 * Picks a bot's exchange: the paper exchange without an API key, the key's exchange
 * (Binance or BtcTurk) opened with the key otherwise; and each exchange's public market
 * data, which needs no key.
 */
@Component
public class Exchanges {

    private final PaperExchange paper;

    private final BinanceClient binance;

    private final BtcturkClient btcturk;

    private final ApiKeyManagement keys;

    Exchanges(PaperExchange paper, BinanceClient binance, BtcturkClient btcturk, ApiKeyManagement keys) {
        this.paper = paper;
        this.binance = binance;
        this.btcturk = btcturk;
        this.keys = keys;
    }

    /** Where the bot's orders go. */
    public Exchange forBot(Bot bot) {
        if (bot.paper()) {
            return bot.priceFeed() == PriceFeed.LIVE ? paper.onBookOf(publicData(bot.exchange())) : paper;
        }
        ApiKeyManagement.Opened key = keys.open(bot.ownerId(), bot.apiKeyId());
        return as(key.exchange(), key.credentials());
    }

    /** The exchange as one API key sees it: balances and orders. */
    public Exchange as(ExchangeName name, ApiCredentials credentials) {
        return switch (name) {
            case BINANCE -> binance.as(credentials);
            case BTCTURK -> btcturk.as(credentials);
        };
    }

    /** The exchange's public market data: candles, order book, symbol rules. */
    public Exchange publicData(ExchangeName name) {
        return switch (name) {
            case BINANCE -> binance.publicData();
            case BTCTURK -> btcturk.publicData();
        };
    }

}
