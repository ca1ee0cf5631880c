package dev.kapi.messaging.queue;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The state machine of one recipient row:
 * {@code pending -> sending -> sent -> delivered -> read}, or {@code failed},
 * {@code skipped} or {@code cancelled}. Each status knows its wire name (the column's and
 * the API's text) and the statuses it may move to.
 */
public enum MessageStatus {

    /** Waiting for its due time and a sending account. */
    PENDING("pending"),
    /**
     * Claimed by a worker and handed to the provider; the outcome is not recorded yet.
     */
    SENDING("sending"),
    /** Accepted by the provider. */
    SENT("sent"),
    /** Reached the recipient's phone. */
    DELIVERED("delivered"),
    /** Read by the recipient. */
    READ("read"),
    /** Not sent, with a code, a reason and whether a retry may help. */
    FAILED("failed"),
    /**
     * Left out: the number is graylisted under {@code skip}, or was blacklisted after the
     * queue started.
     */
    SKIPPED("skipped"),
    /** Its queue was cancelled before it was sent. */
    CANCELLED("cancelled"),
    /**
     * Not delivered for Meta's per-user marketing cap (131049): waits to be sent again
     * when due (4 h, 12 h, 24 h), then fails.
     */
    DEFERRED("deferred");

    /** Every wire name, in the order above: the keys of a queue's counts. */
    static final List<String> WIRE_NAMES = Arrays.stream(values()).map(MessageStatus::wire).toList();

    /** What a provider reports after a send (in its callbacks). */
    public static final Set<MessageStatus> REPORTED = EnumSet.of(SENT, DELIVERED, READ, FAILED);

    /** Still to be sent, or with a provider and no outcome yet: its queue is not done. */
    static final Set<MessageStatus> UNFINISHED = EnumSet.of(PENDING, SENDING, DEFERRED);

    private final String wire;

    MessageStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    String wire() {
        return wire;
    }

    /**
     * The status as an SQL literal, for the hot queries over the partial indexes
     * ({@code WHERE status = 'pending'}, {@code 'sending'}): a bound status would hide
     * those indexes from a cached generic plan.
     */
    String literal() {
        return "'" + wire + "'";
    }

    /**
     * The statuses this one may move to. A claim sends a pending message (or skips or
     * cancels it); a send's outcome is recorded, or the message goes back to pending; a
     * provider's reports only move forwards (failed only from sending or sent). A failed
     * message goes back to pending when it is retried, and on to sent, delivered or read
     * when its outcome was unknown (lost in a crash) and the provider reports that it was
     * sent after all. Meta's per-user marketing cap defers a message being sent, or one
     * already sent (its {@code failed} callback: the one move backwards); a deferred
     * message is pending again when due, or cancelled with its queue.
     */
    Set<MessageStatus> successors() {
        return switch (this) {
            case PENDING -> EnumSet.of(SENDING, SKIPPED, CANCELLED);
            case SENDING -> EnumSet.of(PENDING, SENT, DELIVERED, READ, FAILED, SKIPPED, DEFERRED);
            case SENT -> EnumSet.of(DELIVERED, READ, FAILED, DEFERRED);
            case DEFERRED -> EnumSet.of(PENDING, CANCELLED);
            case DELIVERED -> EnumSet.of(READ);
            case FAILED -> EnumSet.of(PENDING, SENT, DELIVERED, READ);
            case READ, SKIPPED, CANCELLED -> EnumSet.noneOf(MessageStatus.class);
        };
    }

    boolean canMoveTo(MessageStatus next) {
        return successors().contains(next);
    }

    /**
     * {@code next}, checked against the machine: a move it does not allow is a fault,
     * never the caller's error.
     */
    MessageStatus to(MessageStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("A message cannot move from " + this + " to " + next);
        }
        return next;
    }

    /** The statuses that may move to {@code next}. */
    static Set<MessageStatus> predecessors(MessageStatus next) {
        Set<MessageStatus> from = EnumSet.noneOf(MessageStatus.class);
        for (MessageStatus status : values()) {
            if (status.canMoveTo(next)) {
                from.add(status);
            }
        }
        return from;
    }

    /** The wire names of {@code statuses}, as an SQL array parameter. */
    static String[] wires(Collection<MessageStatus> statuses) {
        return statuses.stream().map(MessageStatus::wire).toArray(String[]::new);
    }

    /** The status of a stored row. */
    static MessageStatus of(String wire) {
        return parse(wire).orElseThrow(() -> new IllegalArgumentException("Unknown message status: " + wire));
    }

    /** The status a text names, if it names one. */
    public static Optional<MessageStatus> parse(String wire) {
        return Arrays.stream(values()).filter(status -> status.wire.equals(wire)).findFirst();
    }

    @Override
    public String toString() {
        return wire;
    }

}
