package dev.kapi.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the sender every {@code kapi.messaging.worker.poll-interval}, and again at once while a round finds
 * work. Off with {@code kapi.messaging.worker.enabled=false} (the tests run rounds themselves).
 */
@Component
@ConditionalOnProperty(name = "kapi.messaging.worker.enabled", havingValue = "true", matchIfMissing = true)
class SenderSchedule {

    private static final Logger log = LoggerFactory.getLogger(SenderSchedule.class);

    private final MessageSender sender;

    SenderSchedule(MessageSender sender) {
        this.sender = sender;
    }

    @Scheduled(fixedDelayString = "${kapi.messaging.worker.poll-interval:200ms}")
    void poll() {
        try {
            sender.runOnce();
        }
        catch (RuntimeException ex) {
            log.error("A sending round failed; the next one retries", ex);
        }
    }
}
