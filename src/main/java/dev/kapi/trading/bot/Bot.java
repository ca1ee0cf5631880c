package dev.kapi.trading.bot;

import java.math.BigDecimal;
import java.time.Instant;

import dev.kapi.trading.decision.Risk;
import dev.kapi.trading.exchange.ExchangeName;
import dev.kapi.trading.market.CandleInterval;
import dev.kapi.trading.market.Money;
import dev.kapi.trading.market.PriceFeed;

/**
 * A bot as stored: its configuration and its state. {@code apiKeyId} null means paper
 * trading. {@code active} is whether it was started; {@code status} says what it is doing
 * (idle, in_position) or why it is not trading (paused, error); {@code statusReason} says
 * why it paused itself ({@code max-drawdown}). {@code entryPrice}, {@code highWater},
 * {@code peakEquity} and {@code cooldownUntil} are what its risk settings need.
 * {@code exchange} is where it trades (a keyed bot's is its key's) and {@code priceFeed}
 * where its prices come from; {@code orders} how its signal orders are placed (market or
 * limit). {@code stopOnExchange}: a live bot keeps its stop (and take-profit) on the
 * exchange while it holds a position.
 */
public record Bot(long id, long ownerId, String name, String symbol, BigDecimal quoteAmount, CandleInterval interval,
        String strategy, String params, Long apiKeyId, BigDecimal maxDailyLoss, BigDecimal maxPosition, boolean active,
        BotStatus status, BigDecimal positionQuantity, BigDecimal positionCost, String lastSignal, BigDecimal lastPrice,
        Instant lastCandleAt, Instant lastRunAt, int errorCount, String lastError, Instant createdAt, Instant updatedAt,
        Risk risk, BigDecimal entryPrice, BigDecimal highWater, BigDecimal realizedTotal, BigDecimal peakEquity,
        Instant cooldownUntil, String statusReason, ExchangeName exchange, PriceFeed priceFeed, OrderPolicy orders,
        boolean stopOnExchange) {

    /**
     * What the bot's balance holds outside its position: the starting balance, plus
     * realized PnL, less the position's cost.
     */
    public BigDecimal available() {
        return risk.balance().add(realizedTotal).subtract(positionCost);
    }

    /**
     * The starting balance plus realized PnL plus the open position valued at
     * {@code price}.
     */
    BigDecimal equity(BigDecimal price) {
        return available().add(positionQuantity.multiply(price));
    }

    public boolean paper() {
        return apiKeyId == null;
    }

    public boolean inPosition() {
        return positionQuantity.signum() > 0;
    }

    /**
     * What the open position would bring at the last price seen, less what it cost; zero
     * when flat.
     */
    public BigDecimal unrealizedPnl() {
        if (!inPosition()) {
            return BigDecimal.ZERO;
        }
        BigDecimal price = lastPrice != null ? lastPrice : positionCost.divide(positionQuantity, Money.MATH);
        return Money.round(positionQuantity.multiply(price).subtract(positionCost));
    }
}
