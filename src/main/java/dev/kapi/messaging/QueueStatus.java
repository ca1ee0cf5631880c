package dev.kapi.messaging;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The life cycle of a queue: {@code created} until started; then {@code scheduled} or
 * {@code running}, {@code paused} and back, and finally {@code completed} or
 * {@code cancelled}. Each status knows its wire name (the column's and the API's text)
 * and the statuses it may move to.
 */
enum QueueStatus {

    CREATED("created"), SCHEDULED("scheduled"), RUNNING("running"), PAUSED("paused"), CANCELLED("cancelled"),
    COMPLETED("completed");

    /** Every wire name, in the order a queue goes through them. */
    static final List<String> WIRE_NAMES = Arrays.stream(values()).map(QueueStatus::wire).toList();

    /** Started and not ended: a queue that may still send from its accounts. */
    static final Set<QueueStatus> ACTIVE = EnumSet.of(SCHEDULED, RUNNING, PAUSED);

    private final String wire;

    QueueStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    String wire() {
        return wire;
    }

    /**
     * The statuses this one may move to: a start runs or schedules a created queue; a
     * scheduled one runs when its time comes; a started one pauses, a paused one resumes;
     * a running one completes when nothing is left; anything not ended may be cancelled;
     * a completed queue runs again when its failures are retried.
     */
    Set<QueueStatus> successors() {
        return switch (this) {
            case CREATED -> EnumSet.of(SCHEDULED, RUNNING, CANCELLED);
            case SCHEDULED -> EnumSet.of(RUNNING, PAUSED, CANCELLED);
            case RUNNING -> EnumSet.of(PAUSED, CANCELLED, COMPLETED);
            case PAUSED -> EnumSet.of(SCHEDULED, RUNNING, CANCELLED);
            case COMPLETED -> EnumSet.of(RUNNING);
            case CANCELLED -> EnumSet.noneOf(QueueStatus.class);
        };
    }

    boolean canMoveTo(QueueStatus next) {
        return successors().contains(next);
    }

    /**
     * Completed or cancelled: nothing more is sent (unless failures are retried) and the
     * credits are settled.
     */
    boolean ended() {
        return this == COMPLETED || this == CANCELLED;
    }

    /** The status of a stored row. */
    static QueueStatus of(String wire) {
        return parse(wire).orElseThrow(() -> new IllegalArgumentException("Unknown queue status: " + wire));
    }

    /** The status a text names, if it names one. */
    static Optional<QueueStatus> parse(String wire) {
        return Arrays.stream(values()).filter(status -> status.wire.equals(wire)).findFirst();
    }

    @Override
    public String toString() {
        return wire;
    }

}
