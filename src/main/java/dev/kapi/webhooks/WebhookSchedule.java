package dev.kapi.webhooks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Runs the delivery rounds in the background, one after another while there is work. Off
 * with {@code kapi.webhooks.worker.enabled=false} (the tests run rounds themselves).
 */
@Component
class WebhookSchedule implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(WebhookSchedule.class);

    private final WebhookDelivery delivery;

    private final WebhookSettings settings;

    WebhookSchedule(WebhookDelivery delivery, WebhookSettings settings) {
        this.delivery = delivery;
        this.settings = settings;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        if (settings.worker().enabled()) {
            registrar.addFixedDelayTask(this::poll, settings.worker().pollInterval());
        }
    }

    void poll() {
        try {
            int rounds = 0;
            while (delivery.deliverDue() >= settings.worker().batchSize() && ++rounds < 10) {
                // a full batch: more may be due
            }
        }
        catch (RuntimeException ex) {
            log.error("A webhook delivery round failed; the next one retries", ex);
        }
    }

}
