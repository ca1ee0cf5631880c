package dev.kapi.messaging;

import java.time.Instant;

/**
 * Published when a running queue completes (nothing left pending or sending), in the
 * transaction that completes it; for listeners outside messaging such as webhooks.
 */
public record QueueFinished(long queueId, long accountId, Instant finishedAt) {
}
