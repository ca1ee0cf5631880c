package dev.kapi.messaging.whatsapp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.messaging.sending.MessagingSettings;
import dev.kapi.messaging.sending.ProviderEvents;
import dev.kapi.shared.ApiException;

/**
 * Meta's status callbacks, written together: at 1,000 messages a second Meta sends about
 * 3,000 statuses a second, and a transaction (a commit, a WAL flush) each would not keep
 * up. Each callback's statuses wait here; one writer (a virtual thread of its own, so
 * that no callback's answer waits for the writing of others) writes every waiting
 * callback's statuses, up to {@code callback-batch}, in one transaction, and again while
 * more came meanwhile. A callback is answered only once its statuses are committed, so
 * nothing acknowledged is lost; a batch that fails, or a wait beyond
 * {@code callback-wait}, is a 503 and Meta sends the callback again, which the
 * forward-only updates make harmless.
 */
@Component
final class StatusBatches implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StatusBatches.class);

    private final ProviderEvents events;

    private final TransactionTemplate transactions;

    private final int batch;

    private final Duration wait;

    private final LinkedBlockingQueue<Waiting> waiting = new LinkedBlockingQueue<>();

    private volatile Thread writer;

    StatusBatches(ProviderEvents events, TransactionTemplate transactions, MessagingSettings settings) {
        this.events = events;
        this.transactions = transactions;
        this.batch = settings.whatsapp().callbackBatch();
        this.wait = settings.whatsapp().callbackWait();
    }

    private record Waiting(List<ProviderEvents.Reported> statuses, CompletableFuture<Integer> applied) {
    }

    @Override
    public synchronized void start() {
        if (writer == null) {
            // Assigned before it runs: the writer writes while it is the one assigned.
            writer = Thread.ofVirtual().name("whatsapp-status-writer").unstarted(this::writeUntilStopped);
            writer.start();
        }
    }

    @Override
    public synchronized void stop() {
        Thread stopping = writer;
        writer = null;
        if (stopping != null) {
            stopping.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return writer != null;
    }

    /**
     * Applies one callback's statuses with those of the callbacks arriving with it;
     * returns how many changed a message, once they are committed.
     */
    int apply(List<ProviderEvents.Reported> statuses) {
        if (statuses.isEmpty()) {
            return 0;
        }
        if (writer == null) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "webhook-busy");
        }
        Waiting mine = new Waiting(statuses, new CompletableFuture<>());
        waiting.add(mine);
        try {
            return mine.applied().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException | ExecutionException ex) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "webhook-busy");
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "webhook-busy");
        }
    }

    private void writeUntilStopped() {
        while (writer == Thread.currentThread()) {
            List<Waiting> chunk = new ArrayList<>();
            try {
                chunk.add(waiting.take());
            }
            catch (InterruptedException ex) {
                break;
            }
            int statuses = chunk.getFirst().statuses().size();
            for (Waiting next = waiting.peek(); next != null && statuses < batch; next = waiting.peek()) {
                chunk.add(waiting.poll());
                statuses += next.statuses().size();
            }
            write(chunk, statuses);
        }
        // Stopped: whatever still waits is answered 503, and Meta sends it again.
        List<Waiting> left = new ArrayList<>();
        waiting.drainTo(left);
        left.forEach(unwritten -> unwritten.applied().completeExceptionally(new IllegalStateException("stopped")));
    }

    private void write(List<Waiting> chunk, int statuses) {
        try {
            List<ProviderEvents.Reported> all = new ArrayList<>(statuses);
            chunk.forEach(one -> all.addAll(one.statuses()));
            boolean[] changed = transactions.execute(status -> events.statuses(all));
            int at = 0;
            for (Waiting one : chunk) {
                int applied = 0;
                for (int j = 0; j < one.statuses().size(); j++) {
                    if (changed[at++]) {
                        applied++;
                    }
                }
                one.applied().complete(applied);
            }
        }
        catch (RuntimeException ex) {
            log.error("{} status callbacks could not be written; Meta will send them again", chunk.size(), ex);
            chunk.forEach(failed -> failed.applied().completeExceptionally(ex));
        }
    }

}
