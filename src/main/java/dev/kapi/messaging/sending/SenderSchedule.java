package dev.kapi.messaging.sending;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Runs the sender every {@code kapi.messaging.worker.poll-interval}: recovers abandoned
 * messages, starts due queues, and gives every account with work its own lane — a virtual
 * thread that claims batch after batch and starts each one's calls without waiting for
 * their answers (a pipeline: the next batch is claimed while the last one's calls are in
 * flight), as fast as the account's pace and {@code max-in-flight} allow, until the
 * account has nothing it may send now. So each account is paced by its own rate, and a
 * slow or rate-limited account never holds up another. Off with
 * {@code kapi.messaging.worker.enabled=false} (the tests run rounds themselves).
 */
@Component
class SenderSchedule implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SenderSchedule.class);

    /**
     * The shortest cycle of a lane: a slow account claims a few messages at a time, not
     * one per loop.
     */
    private static final long MIN_CYCLE_NANOS = 20_000_000;

    private final MessageSender sender;

    private final MessagingSettings.Worker settings;

    private final Set<Long> lanes = ConcurrentHashMap.newKeySet();

    SenderSchedule(MessageSender sender, MessagingSettings settings) {
        this.sender = sender;
        this.settings = settings.worker();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (settings.enabled()) {
            registrar.addFixedDelayTask(this::poll, settings.pollInterval());
        }
    }

    void poll() {
        try {
            sender.recoverAbandoned();
            sender.startDueQueues();
            for (long id : sender.sendersWithWork()) {
                if (lanes.add(id)) {
                    Thread.ofVirtual().name("sender-" + id).start(() -> lane(id));
                }
            }
            sender.finishQueues();
        }
        catch (RuntimeException ex) {
            log.error("A sending round failed; the next one retries", ex);
        }
    }

    private void lane(long id) {
        try {
            while (true) {
                long started = System.nanoTime();
                if (sender.dispatchFor(id) == 0) {
                    return;
                }
                long rest = MIN_CYCLE_NANOS - (System.nanoTime() - started);
                if (rest > 0) {
                    Thread.sleep(rest / 1_000_000, (int) (rest % 1_000_000));
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        catch (RuntimeException ex) {
            log.error("Sending for account {} failed; the next round retries", id, ex);
        }
        finally {
            lanes.remove(id);
        }
    }

}
