package dev.kapi.messaging.queue;

import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.kapi.shared.ApiException;

/**
 * The life cycle of a queue: {@code created} until started; then {@code scheduled} or
 * {@code running}, {@code paused} and back, and finally {@code completed} or
 * {@code cancelled}. Each status knows its wire name (the column's and the API's text)
 * and the statuses it may move to.
 */
public enum QueueStatus {

    CREATED("created"), SCHEDULED("scheduled"), RUNNING("running"), PAUSED("paused"), CANCELLED("cancelled"),
    COMPLETED("completed");

    /** Every wire name, in the order a queue goes through them. */
    public static final List<String> WIRE_NAMES = Arrays.stream(values()).map(QueueStatus::wire).toList();

    /** Started and not ended: a queue that may still send from its accounts. */
    static final Set<QueueStatus> ACTIVE = EnumSet.of(SCHEDULED, RUNNING, PAUSED);

    /** Completed or cancelled (see {@link #ended}). */
    static final Set<QueueStatus> ENDED = EnumSet.of(COMPLETED, CANCELLED);

    private final String wire;

    QueueStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /**
     * The status as an SQL literal, for the sender's per-round queries over the partial
     * index of active queues ({@code WHERE status IN ('scheduled', 'running')}), which a
     * bound status would hide from a cached generic plan.
     */
    public String literal() {
        return "'" + wire + "'";
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
     * A user's start: a created queue runs, or waits when {@code later} (its time is
     * still to come); 409 {@code queue-not-startable} from any other status.
     */
    QueueStatus start(boolean later) {
        return move(this == CREATED, later ? SCHEDULED : RUNNING, "queue-not-startable");
    }

    /** A user's pause of a started queue; 409 {@code queue-not-pausable} otherwise. */
    QueueStatus pause() {
        return move(canMoveTo(PAUSED), PAUSED, "queue-not-pausable");
    }

    /**
     * A user's resume: a paused queue runs, or waits again when {@code later}; 409
     * {@code queue-not-paused} from any other status.
     */
    QueueStatus resume(boolean later) {
        return move(this == PAUSED, later ? SCHEDULED : RUNNING, "queue-not-paused");
    }

    /**
     * The statuses a queue is held from when Meta pauses its template (or the template is
     * missing): a scheduled or running queue, moved to {@link #PAUSED} by the system,
     * never the caller's 409.
     */
    static final Set<QueueStatus> HOLDABLE = EnumSet.of(SCHEDULED, RUNNING);

    /**
     * The system's hold of a queue whose template Meta paused: {@link #PAUSED} when the
     * machine allows it from here, else nothing (a queue already paused, or ended, stays
     * as it is).
     */
    Optional<QueueStatus> hold() {
        return HOLDABLE.contains(this) ? Optional.of(to(PAUSED)) : Optional.empty();
    }

    /**
     * The system's release of a queue it held, when the template is active again: it
     * runs, or waits again when {@code later}; nothing from any other status.
     */
    Optional<QueueStatus> release(boolean later) {
        return this == PAUSED ? Optional.of(to(later ? SCHEDULED : RUNNING)) : Optional.empty();
    }

    /** A user's cancel of a queue not ended yet; 409 {@code queue-ended} otherwise. */
    QueueStatus cancel() {
        return move(canMoveTo(CANCELLED), CANCELLED, "queue-ended");
    }

    /**
     * The status after a user sends a started queue's failed messages again: a completed
     * queue runs again, any other started one keeps its status; 409
     * {@code queue-not-retryable} for a queue not started or cancelled.
     */
    QueueStatus retryFailed() {
        if (this == CREATED || this == CANCELLED) {
            throw ApiException.conflict("queue-not-retryable", wire);
        }
        return this == COMPLETED ? to(RUNNING) : this;
    }

    /**
     * {@code next} when the request may make this move and the machine allows it: a
     * refused request is the caller's 409 {@code code}, a move the machine does not allow
     * is a fault.
     */
    private QueueStatus move(boolean requestAllowed, QueueStatus next, String code) {
        if (!requestAllowed) {
            throw ApiException.conflict(code, wire);
        }
        return to(next);
    }

    /**
     * {@code next}, checked against the machine: a move it does not allow is a fault (the
     * request's own checks come first), never the caller's error.
     */
    QueueStatus to(QueueStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("A queue cannot move from " + this + " to " + next);
        }
        return next;
    }

    /**
     * Completed or cancelled: nothing more is sent (unless failures are retried) and the
     * credits are settled.
     */
    boolean ended() {
        return ENDED.contains(this);
    }

    /** The wire names of {@code statuses}, as an SQL array parameter. */
    static String[] wires(Collection<QueueStatus> statuses) {
        return statuses.stream().map(QueueStatus::wire).toArray(String[]::new);
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
