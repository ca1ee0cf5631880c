package dev.kapi.trading;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Seed 002's reports over the trade table and the bots' positions. */
@Service
class Reports {

    private final Bots bots;
    private final Trades trades;

    Reports(Bots bots, Trades trades) {
        this.bots = bots;
        this.trades = trades;
    }

    record BotPerformance(Bot bot, Performance performance) {
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
            Trades.BotTotals own = totals.getOrDefault(bot.id(), new Trades.BotTotals(bot.id(), 0, BigDecimal.ZERO, null));
            BigDecimal open = bot.unrealizedPnl();
            lines.add(new ReportController.SummaryLine(bot.id(), bot.name(), bot.symbol(), bot.status().wire(),
                    bot.active(), own.tradeCount(), Money.plain(own.realizedPnl()), Money.plain(open),
                    Money.plain(own.realizedPnl().add(open)), own.lastTradeAt()));
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
}
