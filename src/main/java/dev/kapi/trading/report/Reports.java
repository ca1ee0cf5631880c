package dev.kapi.trading.report;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;
import dev.kapi.trading.bot.Bot;
import dev.kapi.trading.bot.BotManagement;
import dev.kapi.trading.bot.BotStatus;
import dev.kapi.trading.bot.Bots;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.trade.Trades;

/**
 * Seed 002's reports over the trade table and the bots' positions, and the admin's list
 * of every bot.
 */
@Service
public class Reports {

    private static final List<String> STATUSES = BotStatus.wires(EnumSet.allOf(BotStatus.class));

    private final Bots bots;

    private final Trades trades;

    Reports(Bots bots, Trades trades) {
        this.bots = bots;
        this.trades = trades;
    }

    record BotPerformance(Bot bot, Performance performance) {
    }

    /**
     * A bot's trades and PnL: realized from its trades, unrealized from its open position
     * at the last price.
     */
    public record Figures(long tradeCount, BigDecimal realizedPnl, BigDecimal unrealizedPnl, BigDecimal totalPnl,
            Instant lastTradeAt) {
    }

    /** A bot with its figures, as its owner's summary and the admin list show it. */
    public record BotLine(Bot bot, Figures figures) {
    }

    /** Every bot of an owner, and the same figures over all of them. */
    record Summary(List<BotLine> bots, int activeBots, Figures totals) {
    }

    @Transactional(readOnly = true)
    BotPerformance performance(long ownerId, long botId) {
        Bot bot = bots.byId(botId, ownerId).orElseThrow(BotManagement::notFound);
        Performance.Tally tally = new Performance.Tally();
        trades.eachOfBot(botId, null, null, tally::add);
        return new BotPerformance(bot, tally.result(bot.positionQuantity(), bot.positionCost(), bot.lastPrice()));
    }

    @Transactional(readOnly = true)
    Summary summary(long ownerId) {
        Map<Long, Trades.BotTotals> totals = trades.totalsByBot(ownerId);
        List<BotLine> lines = new ArrayList<>();
        BigDecimal realized = BigDecimal.ZERO;
        BigDecimal unrealized = BigDecimal.ZERO;
        long tradeCount = 0;
        int active = 0;
        Instant last = null;
        for (Bot bot : bots.ofOwner(ownerId)) {
            Trades.BotTotals own = totalsOf(bot, totals);
            BigDecimal open = bot.unrealizedPnl();
            lines.add(new BotLine(bot, figures(bot, own)));
            realized = realized.add(own.realizedPnl());
            unrealized = unrealized.add(open);
            tradeCount += own.tradeCount();
            active += bot.active() ? 1 : 0;
            if (own.lastTradeAt() != null && (last == null || own.lastTradeAt().isAfter(last))) {
                last = own.lastTradeAt();
            }
        }
        return new Summary(lines, active, new Figures(tradeCount, Money.plain(realized), Money.plain(unrealized),
                Money.plain(realized.add(unrealized)), last));
    }

    /**
     * Every owner's bots, newest first, optionally of one status ({@code idle},
     * {@code in_position}, {@code paused}, {@code error}), each with the same figures as
     * its owner's summary.
     */
    @Transactional(readOnly = true)
    public Page<BotLine> allBots(String status, String cursor, int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalidField("status", "invalid-status", String.join(", ", STATUSES));
        }
        Page<Bot> page = Page.byId(
                bots.pageOfAll(status == null ? null : BotStatus.of(status), Cursors.afterId(cursor), limit), limit,
                Bot::id);
        Map<Long, Trades.BotTotals> totals = trades.totalsOfBots(page.rows().stream().map(Bot::id).toList());
        return page.map(bot -> new BotLine(bot, figures(bot, totalsOf(bot, totals))));
    }

    private static Trades.BotTotals totalsOf(Bot bot, Map<Long, Trades.BotTotals> totals) {
        return totals.getOrDefault(bot.id(), new Trades.BotTotals(bot.id(), 0, BigDecimal.ZERO, null));
    }

    private static Figures figures(Bot bot, Trades.BotTotals totals) {
        BigDecimal open = bot.unrealizedPnl();
        return new Figures(totals.tradeCount(), Money.plain(totals.realizedPnl()), Money.plain(open),
                Money.plain(totals.realizedPnl().add(open)), totals.lastTradeAt());
    }

}
