package dev.kapi.trading.exchange;

import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.market.Candle;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.GeneratedPrices;

/**
 * A bot's candles from its price feed: {@code live} through the shared store and its
 * exchange ({@link CandleFeed}), {@code replay} from the store alone, {@code generated}
 * from the seeded walk.
 */
@Component
public class PriceFeeds {

    private final CandleFeed feed;

    private final Candles store;

    PriceFeeds(CandleFeed feed, Candles store) {
        this.feed = feed;
        this.store = store;
    }

    /** The candles a run of the bot decides on. */
    public List<Candle> candles(Bot bot, CandleInterval interval, Instant lastOpen, int history) {
        return switch (bot.priceFeed()) {
            case LIVE -> feed.candles(bot.exchange(), bot.symbol(), interval, lastOpen, history);
            case REPLAY -> store.read(bot.exchange(), bot.symbol(), interval, lastOpen, history);
            case GENERATED -> GeneratedPrices.candles(bot.symbol(), interval, lastOpen, history);
        };
    }

    /**
     * The candles a chart shows: what the store holds (never a request to an exchange, so
     * that reading a chart costs the exchange nothing), or the walk.
     */
    public List<Candle> stored(Bot bot, CandleInterval interval, Instant lastOpen, int limit) {
        return switch (bot.priceFeed()) {
            case LIVE, REPLAY -> store.read(bot.exchange(), bot.symbol(), interval, lastOpen, limit);
            case GENERATED -> GeneratedPrices.candles(bot.symbol(), interval, lastOpen, limit);
        };
    }

}
