package dev.kapi.messaging.sender;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The status of a sending account: {@code active} sends, {@code paused} does not, and
 * {@code banned_suspected} does not either, set by the sender when a provider suspends
 * the account. A user may move an account to any status (active again closes its circuit
 * breaker); the sender only ever marks one banned-suspected. Each status knows its wire
 * name (the column's and the API's text) and the statuses it may move to.
 */
public enum SenderStatus {

    ACTIVE("active"), PAUSED("paused"), BANNED_SUSPECTED("banned_suspected");

    private final String wire;

    SenderStatus(String wire) {
        this.wire = wire;
    }

    String wire() {
        return wire;
    }

    /**
     * The statuses this one may move to: a user pauses, resumes or clears an account at
     * will, and a provider's ban answer marks any account banned-suspected.
     */
    Set<SenderStatus> successors() {
        return switch (this) {
            case ACTIVE -> EnumSet.of(PAUSED, BANNED_SUSPECTED);
            case PAUSED -> EnumSet.of(ACTIVE, BANNED_SUSPECTED);
            case BANNED_SUSPECTED -> EnumSet.of(ACTIVE, PAUSED);
        };
    }

    boolean canMoveTo(SenderStatus next) {
        return successors().contains(next);
    }

    /**
     * The status a user's change leaves: {@code wanted}, or this one when the change
     * names none (or the same).
     */
    SenderStatus change(SenderStatus wanted) {
        if (wanted == null || wanted == this) {
            return this;
        }
        if (!canMoveTo(wanted)) {
            throw new IllegalStateException("A sending account cannot move from " + this + " to " + wanted);
        }
        return wanted;
    }

    /** Only an active account is given messages to send. */
    public boolean sends() {
        return this == ACTIVE;
    }

    /** The status of a stored row. */
    static SenderStatus of(String wire) {
        return parse(wire).orElseThrow(() -> new IllegalArgumentException("Unknown sender status: " + wire));
    }

    /** The status a text names, if it names one. */
    static Optional<SenderStatus> parse(String wire) {
        return Arrays.stream(values()).filter(status -> status.wire.equals(wire)).findFirst();
    }

    @Override
    public String toString() {
        return wire;
    }

}
