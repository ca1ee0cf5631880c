package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.shared.ApiException;
import dev.kapi.shared.Cursors;

/** Seed 002's reports over the trade table and the bots' positions, and the admin's list of every bot. */
@Service
class Reports {

    private static final List<String> STATUSES = List.of("idle", "in_position", "paused", "error");

    private final Bots bots;
    private final Trades trades;

    Reports(Bots bots, Trades trades) {
        this.bots = bots;
        this.trades = trades;
    }

    record BotPerformance(Bot bot, Performance performance) {
    }

    /** A bot with its summary line (trades and PnL), as the admin list shows it. */
    record BotLine(Bot bot, ReportController.SummaryLine summary) {
    }

    /** A page of the admin list and the opaque cursor of the next, null on the last. */
    record BotPage(List<BotLine> bots, String nextCursor) {
    }

    @Transactional(readOnly = true)
    BotPerformance performance(long ownerId, long botId) {
        Bot bot = bots.byId(botId, ownerId).orElseThrow(BotManagement::notFound);
        return new BotPerformance(bot, Performance.of(trades.ofBot(botId), bot.positionQuantity(), bot.positionCost(),
                bot.lastPrice()));
    }

    @Transactional(readOnly = true)
    ReportController.SummaryResponse summary(long ownerId) {
        Map<Long, Trades.BotTotals> totals = trades.totalsByBot(ownerId);
        List<ReportController.SummaryLine> lines = new ArrayList<>();
        BigDecimal realized = BigDecimal.ZERO;
        BigDecimal unrealized = BigDecimal.ZERO;
        long tradeCount = 0;
        int active = 0;
        Instant last = null;
        for (Bot bot : bots.ofOwner(ownerId)) {
            Trades.BotTotals own = totalsOf(bot, totals);
            BigDecimal open = bot.unrealizedPnl();
            lines.add(line(bot, own));
            realized = realized.add(own.realizedPnl());
            unrealized = unrealized.add(open);
            tradeCount += own.tradeCount();
            active += bot.active() ? 1 : 0;
            if (own.lastTradeAt() != null && (last == null || own.lastTradeAt().isAfter(last))) {
                last = own.lastTradeAt();
            }
        }
        return new ReportController.SummaryResponse(lines, new ReportController.Totals(lines.size(), active, tradeCount,
                Money.plain(realized), Money.plain(unrealized), Money.plain(realized.add(unrealized)), last));
    }

    /**
     * Every owner's bots, newest first, optionally of one status ({@code idle}, {@code in_position},
     * {@code paused}, {@code error}), each with the same figures as its owner's summary.
     */
    @Transactional(readOnly = true)
    BotPage allBots(String status, String cursor, int limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw ApiException.invalidField("status", "invalid-status", String.join(", ", STATUSES));
        }
        List<Bot> found = bots.pageOfAll(status == null ? null : BotStatus.of(status),
                decode(cursor), limit);
        List<Bot> page = found.size() > limit ? found.subList(0, limit) : found;
        Map<Long, Trades.BotTotals> totals = trades.totalsOfBots(page.stream().map(Bot::id).toList());
        List<BotLine> lines = page.stream().map(bot -> new BotLine(bot, line(bot, totalsOf(bot, totals)))).toList();
        return new BotPage(lines, found.size() > limit ? Cursors.encode("bot", page.getLast().id()) : null);
    }

    private static Trades.BotTotals totalsOf(Bot bot, Map<Long, Trades.BotTotals> totals) {
        return totals.getOrDefault(bot.id(), new Trades.BotTotals(bot.id(), 0, BigDecimal.ZERO, null));
    }

    private static ReportController.SummaryLine line(Bot bot, Trades.BotTotals totals) {
        BigDecimal open = bot.unrealizedPnl();
        return new ReportController.SummaryLine(bot.id(), bot.name(), bot.symbol(), bot.status().wire(),
                bot.active(), totals.tradeCount(), Money.plain(totals.realizedPnl()), Money.plain(open),
                Money.plain(totals.realizedPnl().add(open)), totals.lastTradeAt());
    }

    /** The id after which the admin list's page starts; null without a cursor. */
    private static Long decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        List<String> parts = Cursors.decode(cursor, 2);
        if (!parts.get(0).equals("bot")) {
            throw Cursors.invalid();
        }
        try {
            return Long.parseLong(parts.get(1));
        }
        catch (NumberFormatException ex) {
            throw Cursors.invalid();
        }
    }
}
