package dev.kapi.webhooks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.kapi.shared.net.CheckedResolver;
import dev.kapi.shared.net.OutboundHttp;
import dev.kapi.shared.sealing.SecretSealer;

import static dev.kapi.shared.SqlTime.utc;

/**
 * Sends due deliveries. A round claims them with {@code FOR UPDATE SKIP LOCKED} (so
 * instances never share one) by moving their next attempt a lease ahead, posts each on
 * its own virtual thread with short timeouts, through a client that connects only to the
 * address its own lookup checked (see {@link WebhookTargets}), and records the answer: a
 * 2xx delivers it; anything else counts an attempt and schedules the next after the
 * back-off ({@code first-retry}, doubling, at most {@code max-backoff}) until
 * {@code max-attempts}, then it has failed for good. A delivery whose instance died or
 * stopped mid-call (a stop interrupts the calls and records nothing for them) is claimed
 * again once its lease is over: at least once, always the same event id and body.
 */
@Component
class WebhookDelivery implements DisposableBean {

    static final String SIGNATURE = "Kapi-Signature";
    static final String EVENT_ID = "Kapi-Event-Id";

    private static final Logger log = LoggerFactory.getLogger(WebhookDelivery.class);

    private final JdbcClient jdbc;

    private final SecretSealer sealer;

    private final WebhookSettings.Worker settings;

    private final Clock clock;

    private final CloseableHttpClient http;

    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();

    WebhookDelivery(JdbcClient jdbc, SecretSealer sealer, WebhookSettings settings, OutboundHttp outbound,
            Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.settings = settings.worker();
        this.clock = clock;
        this.http = outbound.client(new WebhookTargets(outbound, settings.allowPrivate()).resolver(),
                this.settings.connectTimeout(), this.settings.readTimeout(), this.settings.batchSize());
    }

    private record Claimed(long id, UUID eventId, String body, int attempts, String url, String sealedSecret) {
    }

    private record Outcome(Integer status, String error) {

        /**
         * This instance stopped mid-call: nothing is recorded, the lease hands the
         * delivery to another.
         */
        static final Outcome ABANDONED = new Outcome(null, "interrupted");

        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    /**
     * One round: sends every due delivery (up to the batch size) and returns how many it
     * tried.
     */
    int deliverDue() {
        Instant now = clock.instant();
        List<Claimed> claimed = jdbc.sql("""
                UPDATE webhook_deliveries d SET next_attempt_at = :lease, updated_at = :now
                FROM webhooks w
                WHERE w.id = d.webhook_id AND d.id IN (
                    SELECT id FROM webhook_deliveries
                    WHERE status = 'pending' AND next_attempt_at <= :now
                    ORDER BY next_attempt_at, id LIMIT :batch
                    FOR UPDATE SKIP LOCKED)
                RETURNING d.id, d.event_id, d.body, d.attempts, w.url, w.secret_sealed
                """)
            .param("lease", utc(now.plus(settings.lease())))
            .param("now", utc(now))
            .param("batch", settings.batchSize())
            .query((rs, row) -> new Claimed(rs.getLong("id"), rs.getObject("event_id", UUID.class),
                    rs.getString("body"), rs.getInt("attempts"), rs.getString("url"), rs.getString("secret_sealed")))
            .list();
        List<Future<?>> sent = new ArrayList<>();
        for (Claimed delivery : claimed) {
            sent.add(calls.submit(() -> {
                Outcome outcome = send(delivery);
                if (outcome != Outcome.ABANDONED) {
                    record(delivery, outcome);
                }
            }));
        }
        for (Future<?> future : sent) {
            try {
                future.get();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
            catch (Exception ex) {
                log.error("A webhook delivery could not be recorded; it is retried after its lease", ex);
            }
        }
        return claimed.size();
    }

    /**
     * The {@code Kapi-Signature} of a body at a time:
     * {@code t=<unix seconds>,v1=<hex HMAC-SHA256>}.
     */
    static String signature(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + timestamp + ",v1=" + HexFormat.of().formatHex(digest);
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException("HMAC-SHA256 is not available", ex);
        }
    }

    private Outcome send(Claimed delivery) {
        try {
            String secret = sealer.open(delivery.sealedSecret(), Webhooks.SEAL_CONTEXT);
            ClassicHttpRequest request = ClassicRequestBuilder.post(URI.create(delivery.url()))
                .setHeader("User-Agent", "Kapi-Webhooks/1")
                .setHeader(EVENT_ID, delivery.eventId().toString())
                .setHeader(SIGNATURE, signature(secret, clock.instant().getEpochSecond(), delivery.body()))
                .setEntity(new ByteArrayEntity(delivery.body().getBytes(StandardCharsets.UTF_8),
                        ContentType.create("application/json")))
                .build();
            int status = http.execute(request, response -> response.getCode());
            return new Outcome(status, status >= 200 && status < 300 ? null : "HTTP " + status);
        }
        catch (CheckedResolver.RefusedAddressException ex) {
            return new Outcome(null, "target resolves to a private address");
        }
        catch (Exception ex) {
            if (Thread.currentThread().isInterrupted()) {
                return Outcome.ABANDONED;
            }
            return new Outcome(null, sanitize(ex));
        }
    }

    private void record(Claimed delivery, Outcome outcome) {
        Instant now = clock.instant();
        int attempts = delivery.attempts() + 1;
        if (outcome.delivered()) {
            jdbc.sql("""
                    UPDATE webhook_deliveries SET status = 'delivered', attempts = :attempts, last_status = :status,
                        last_error = NULL, delivered_at = :now, updated_at = :now
                    WHERE id = :id
                    """)
                .param("attempts", attempts)
                .param("status", outcome.status())
                .param("now", utc(now))
                .param("id", delivery.id())
                .update();
            return;
        }
        boolean failed = attempts >= settings.maxAttempts();
        jdbc.sql("""
                UPDATE webhook_deliveries SET status = :state, attempts = :attempts, last_status = :status,
                    last_error = :error, next_attempt_at = :next, updated_at = :now
                WHERE id = :id
                """)
            .param("state", failed ? "failed" : "pending")
            .param("attempts", attempts)
            .param("status", outcome.status())
            .param("error", outcome.error())
            .param("next", utc(failed ? now : now.plus(backoff(attempts))))
            .param("now", utc(now))
            .param("id", delivery.id())
            .update();
    }

    /**
     * The wait after the given number of failed attempts: first-retry, doubling, at most
     * max-backoff.
     */
    Duration backoff(int attempts) {
        Duration wait = settings.firstRetry();
        for (int i = 1; i < attempts && wait.compareTo(settings.maxBackoff()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
    }

    /**
     * A short, printable reason for a failed call: the exception's kind and the start of
     * its message.
     */
    private static String sanitize(Exception ex) {
        String message = ex.getMessage() == null ? "" : ": " + ex.getMessage();
        String text = (ex.getClass().getSimpleName() + message).replaceAll("[\\p{Cntrl}]", " ");
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    @Override
    public void destroy() {
        calls.shutdownNow();
    }

}
