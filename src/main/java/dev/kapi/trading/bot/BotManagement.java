package dev.kapi.trading.bot;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.AccountDeleted;
import dev.kapi.shared.ApiException;
import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.exchange.ApiKey;
import dev.kapi.trading.exchange.ApiKeys;
import dev.kapi.trading.exchange.ExchangeName;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.PriceFeed;
import dev.kapi.trading.strategy.Strategies;
import dev.kapi.trading.trade.Trades;
import tools.jackson.databind.json.JsonMapper;

/**
 * A user's bots: configuration with its rules, start and stop, and the state its owner
 * may change (pause, resume, reset an error). A bot is deleted only when stopped, and its
 * trades go with it.
 */
@Service
public class BotManagement {

    /** The most bots one user has: what bounds the bot list and the reports' summary. */
    public static final int MAX_BOTS = 100;

    private final Bots bots;

    private final Trades trades;

    private final ApiKeys keys;

    private final Strategies strategies;

    private final KillSwitches killSwitches;

    private final Clock clock;

    private final JsonMapper json;

    BotManagement(Bots bots, Trades trades, ApiKeys keys, Strategies strategies, KillSwitches killSwitches, Clock clock,
            JsonMapper json) {
        this.json = json;
        this.killSwitches = killSwitches;
        this.bots = bots;
        this.trades = trades;
        this.keys = keys;
        this.strategies = strategies;
        this.clock = clock;
    }

    /** A bot's configuration as a request gave it, before it is checked. */
    record Changes(String name, String symbol, BigDecimal quoteAmount, String interval, String strategy,
            Map<String, Object> params, Long apiKeyId, BigDecimal maxDailyLoss, BigDecimal maxPosition, Risk risk,
            String exchange, String priceFeed, OrderPolicy orders, boolean stopOnExchange) {
    }

    @Transactional
    Bot create(long ownerId, Changes changes) {
        Bots.Config config = check(ownerId, changes);
        if (bots.lockedCountOf(ownerId) >= MAX_BOTS) {
            throw ApiException.conflict("bots-too-many", MAX_BOTS);
        }
        long id = bots.insert(ownerId, config, clock.instant());
        return bots.byId(id, ownerId).orElseThrow();
    }

    @Transactional(readOnly = true)
    public List<Bot> list(long ownerId) {
        return bots.ofOwner(ownerId);
    }

    @Transactional(readOnly = true)
    public Bot get(long ownerId, long id) {
        return bots.byId(id, ownerId).orElseThrow(BotManagement::notFound);
    }

    /**
     * Replaces the configuration. What the position is in (symbol, exchange, key) cannot
     * change while one is open.
     */
    @Transactional
    Bot update(long ownerId, long id, Changes changes) {
        Bot bot = bots.lock(id, ownerId).orElseThrow(BotManagement::notFound);
        Bots.Config config = check(ownerId, changes);
        if (bot.inPosition() && (!bot.symbol().equals(config.symbol())
                || !Objects.equals(bot.apiKeyId(), config.apiKeyId()) || bot.exchange() != config.exchange())) {
            throw ApiException.conflict("bot-has-position");
        }
        bots.update(id, config, clock.instant());
        return bots.byId(id, ownerId).orElseThrow();
    }

    @Transactional
    void delete(long ownerId, long id) {
        Bot bot = bots.lock(id, ownerId).orElseThrow(BotManagement::notFound);
        if (bot.active()) {
            throw ApiException.conflict("bot-active");
        }
        if (bots.hasStopOnExchange(id)) {
            // Deleted, the bot would leave an order on the exchange that Kapı no longer
            // records or cancels.
            throw ApiException.conflict("bot-has-stop-on-exchange");
        }
        bots.delete(id);
    }

    /**
     * Starts the bot: the runner takes it from the next closed candle. A bot in error is
     * reset first. Not while the owner's kill switch or the admin's is on.
     */
    @Transactional
    public Bot start(long ownerId, long id) {
        Bot bot = bots.lock(id, ownerId).orElseThrow(BotManagement::notFound);
        if (killSwitches.covers(ownerId)) {
            throw ApiException.conflict("kill-switch-on");
        }
        if (!bot.status().startable()) {
            throw ApiException.conflict("bot-in-error");
        }
        if (bot.apiKeyId() != null) {
            // Held until commit, so the key cannot be deleted while the bot starts with
            // it.
            keys.share(bot.apiKeyId(), ownerId).orElseThrow(() -> ApiException.conflict("api-key-gone"));
        }
        bots.setActive(id, true, clock.instant());
        return bots.byId(id, ownerId).orElseThrow();
    }

    /** Stops the bot. An open position stays open; stopping never sells. */
    @Transactional
    public Bot stop(long ownerId, long id) {
        bots.lock(id, ownerId).orElseThrow(BotManagement::notFound);
        bots.setActive(id, false, clock.instant());
        return bots.byId(id, ownerId).orElseThrow();
    }

    /**
     * {@code paused} pauses; {@code idle} or {@code in_position} resumes (and forgets
     * errors): the position says which.
     */
    @Transactional
    Bot changeState(long ownerId, long id, String status) {
        Bot bot = bots.lock(id, ownerId).orElseThrow(BotManagement::notFound);
        BotStatus wanted = BotStatus.settable(status);
        if (wanted == null) {
            throw ApiException.invalidField("status", "bot-status-not-settable");
        }
        bots.move(id, wanted == BotStatus.PAUSED ? BotStatus.Move.PAUSE : BotStatus.Move.RESUME, bot.inPosition(),
                clock.instant());
        return bots.byId(id, ownerId).orElseThrow();
    }

    private Bots.Config check(long ownerId, Changes changes) {
        CandleInterval interval = changes.interval() == null ? CandleInterval.M1
                : CandleInterval.of(changes.interval())
                    .orElseThrow(() -> ApiException.invalidField("interval", "interval-unknown",
                            Arrays.stream(CandleInterval.values())
                                .map(CandleInterval::code)
                                .collect(Collectors.joining(", "))));
        Strategies.Configured<?> strategy = strategies.read(changes.strategy(), changes.params());
        ExchangeName exchange = changes.exchange() == null ? ExchangeName.BINANCE : ExchangeName.of(changes.exchange())
            .orElseThrow(() -> ApiException.invalidField("exchange", "exchange-unknown"));
        if (changes.apiKeyId() != null) {
            ApiKey key = keys.share(changes.apiKeyId(), ownerId)
                .orElseThrow(() -> ApiException.invalidField("api_key_id", "api-key-unknown"));
            ExchangeName keyed = ExchangeName.of(key.exchange()).orElseThrow();
            if (changes.exchange() != null && exchange != keyed) {
                throw ApiException.invalidField("exchange", "exchange-not-the-keys");
            }
            exchange = keyed;
        }
        PriceFeed feed = changes.priceFeed() == null ? PriceFeed.LIVE : PriceFeed.of(changes.priceFeed())
            .orElseThrow(() -> ApiException.invalidField("price_feed", "price-feed-unknown"));
        if (changes.apiKeyId() != null && feed != PriceFeed.LIVE) {
            // Real orders are never decided on a walk or an old series.
            throw ApiException.invalidField("price_feed", "price-feed-live-only");
        }
        if (feed != PriceFeed.GENERATED && !exchange.offers(interval)) {
            throw ApiException.invalidField("interval", "interval-not-offered", exchange.wire(),
                    exchange.intervals().stream().map(CandleInterval::code).collect(Collectors.joining(", ")));
        }
        Risk risk = (changes.risk() == null ? Risk.NONE : changes.risk()).check();
        OrderPolicy orders = (changes.orders() == null ? OrderPolicy.MARKET : changes.orders()).check();
        if (changes.stopOnExchange()) {
            if (changes.apiKeyId() == null) {
                // A paper bot has no exchange to hold its stop: Kapı's own stop is its
                // only one.
                throw ApiException.invalidField("stop_on_exchange", "stop-on-exchange-live-only");
            }
            if (risk.stopLoss() == null && risk.trailingStop() == null) {
                throw ApiException.invalidField("stop_on_exchange", "stop-on-exchange-without-stop");
            }
            if (!exchange.stopOrders()) {
                throw ApiException.invalidField("stop_on_exchange", "stop-on-exchange-not-offered", exchange.wire());
            }
        }
        if (changes.maxPosition() != null && changes.maxPosition().compareTo(changes.quoteAmount()) < 0) {
            throw ApiException.invalidField("max_position", "max-position-below-quote-amount");
        }
        return new Bots.Config(changes.name().strip(), changes.symbol(), changes.quoteAmount(), interval,
                strategy.name(), strategies.toJson(strategy), changes.apiKeyId(), changes.maxDailyLoss(),
                changes.maxPosition(), risk.none() ? "{}" : json.writeValueAsString(risk), exchange, feed, orders,
                changes.stopOnExchange());
    }

    public static ApiException notFound() {
        return ApiException.notFound("bot-not-found");
    }

    /**
     * Removes everything trading kept for an account that was deleted for good: its bots
     * stop at once (the rows go, so no runner claims them again), then its trades, lots
     * and sealed API keys.
     */
    @ApplicationModuleListener
    void on(AccountDeleted deleted) {
        killSwitches.deleteOf(deleted.accountId());
        trades.deleteOf(deleted.accountId());
        bots.deleteOf(deleted.accountId());
        keys.deleteOf(deleted.accountId());
    }

}
