package dev.kapi.trading.exchange;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.kapi.trading.market.CandleInterval;

/**
 * The exchanges Kapı trades on, with what each offers: the order types Kapı can send
 * there, whether it has OCO orders, whether its public candles can feed a bot, and the
 * candle intervals it serves. Every exchange can be traded on paper.
 */
public enum ExchangeName {

    BINANCE("binance", List.of("market", "limit"), true, true, Set.of(CandleInterval.values())),

    /**
     * BtcTurk's graph API serves 1, 15, 30, 60 and 240 minute and daily candles (ccxt's
     * {@code btcturk} timeframes); it has stop-limit orders
     * ({@code orderMethod: stoplimit}) but no OCO.
     */
    BTCTURK("btcturk", List.of("market", "limit"), false, true, Set.of(CandleInterval.M1, CandleInterval.M15,
            CandleInterval.M30, CandleInterval.H1, CandleInterval.H4, CandleInterval.D1));

    private final String wire;

    private final List<String> orderTypes;

    private final boolean oco;

    private final boolean stopOrders;

    private final Set<CandleInterval> intervals;

    ExchangeName(String wire, List<String> orderTypes, boolean oco, boolean stopOrders, Set<CandleInterval> intervals) {
        this.wire = wire;
        this.orderTypes = orderTypes;
        this.oco = oco;
        this.stopOrders = stopOrders;
        this.intervals = intervals;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public List<String> orderTypes() {
        return orderTypes;
    }

    public boolean oco() {
        return oco;
    }

    /** Whether Kapı places a bot's stop there ({@code stop_on_exchange}). */
    public boolean stopOrders() {
        return stopOrders;
    }

    /** Whether the exchange serves candles of this interval. */
    public boolean offers(CandleInterval interval) {
        return intervals.contains(interval);
    }

    /** The intervals it serves, shortest first. */
    public List<CandleInterval> intervals() {
        return Arrays.stream(CandleInterval.values()).filter(intervals::contains).toList();
    }

    public static Optional<ExchangeName> of(String wire) {
        return Arrays.stream(values()).filter(name -> name.wire.equals(wire)).findFirst();
    }

    /** The regular expression of the names, for request validation. */
    public static final String PATTERN = "binance|btcturk";

}
