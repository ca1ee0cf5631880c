package dev.kapi.messaging.whatsapp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.messaging.sending.MessagingSettings;
import dev.kapi.messaging.sending.ProviderEvents;
import dev.kapi.shared.ApiException;

/**
 * Meta's status callbacks, written together: at 1,000 messages a second Meta sends about
 * 3,000 statuses a second, and a transaction (a commit, a WAL flush) each would not keep
 * up. Each callback's statuses wait here; the request thread that finds no write going on
 * writes every waiting callback's statuses, up to {@code callback-batch}, in one
 * transaction (each status still its own forward-only update), and again while more came
 * meanwhile. A callback is answered only once its statuses are committed, so nothing
 * acknowledged is lost; a batch that fails, or a wait beyond {@code callback-wait}, is a
 * 503 and Meta sends the callback again, which the forward-only updates make harmless.
 */
@Component
final class StatusBatches {

    private static final Logger log = LoggerFactory.getLogger(StatusBatches.class);

    private final ProviderEvents events;

    private final TransactionTemplate transactions;

    private final int batch;

    private final Duration wait;

    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean writing = new AtomicBoolean();

    StatusBatches(ProviderEvents events, TransactionTemplate transactions, MessagingSettings settings) {
        this.events = events;
        this.transactions = transactions;
        this.batch = settings.whatsapp().callbackBatch();
        this.wait = settings.whatsapp().callbackWait();
    }

    private record Waiting(List<ProviderEvents.Reported> statuses, CompletableFuture<Integer> applied) {
    }

    /**
     * Applies one callback's statuses with those of the callbacks arriving with it;
     * returns how many changed a message, once they are committed.
     */
    int apply(List<ProviderEvents.Reported> statuses) {
        if (statuses.isEmpty()) {
            return 0;
        }
        Waiting mine = new Waiting(statuses, new CompletableFuture<>());
        waiting.add(mine);
        write();
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

    private void write() {
        while (!waiting.isEmpty() && writing.compareAndSet(false, true)) {
            List<Waiting> chunk = new ArrayList<>();
            try {
                int statuses = 0;
                while (statuses < batch) {
                    Waiting next = waiting.poll();
                    if (next == null) {
                        break;
                    }
                    chunk.add(next);
                    statuses += next.statuses().size();
                }
                List<ProviderEvents.Reported> all = new ArrayList<>(statuses);
                chunk.forEach(one -> all.addAll(one.statuses()));
                boolean[] changed = transactions.execute(status -> events.statuses(all));
                int[] applied = new int[chunk.size()];
                int at = 0;
                for (int i = 0; i < chunk.size(); i++) {
                    for (int j = 0; j < chunk.get(i).statuses().size(); j++) {
                        if (changed[at++]) {
                            applied[i]++;
                        }
                    }
                }
                for (int i = 0; i < chunk.size(); i++) {
                    chunk.get(i).applied().complete(applied[i]);
                }
            }
            catch (RuntimeException ex) {
                log.error("{} status callbacks could not be written; Meta will send them again", chunk.size(), ex);
                chunk.forEach(failed -> failed.applied().completeExceptionally(ex));
            }
            finally {
                writing.set(false);
            }
        }
    }

}
