package dev.kapi.messaging.sending;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.kapi.messaging.queue.Queue;

/**
 * Messaging configuration: the background sender, the simulator provider and the WhatsApp
 * Cloud API client. Its callbacks' app secret and verify token come from the environment
 * ({@code KAPI_WHATSAPP_APP_SECRET}, {@code KAPI_WHATSAPP_VERIFY_TOKEN}); without them
 * the callbacks answer 404.
 */
@ConfigurationProperties("kapi.messaging")
public record MessagingSettings(@DefaultValue Worker worker, @DefaultValue Simulator simulator,
        @DefaultValue WhatsApp whatsapp, @DefaultValue CreditCost creditCost) {

    /**
     * What one message costs in credits, by what Meta charges it as: a template's
     * category (marketing, utility, authentication) or {@code service} for a free-form
     * text inside the service window. Reserved for every recipient when a queue starts,
     * spent for every message a provider accepted.
     */
    public record CreditCost(@DefaultValue("1") int marketing, @DefaultValue("1") int utility,
            @DefaultValue("1") int authentication, @DefaultValue("1") int service) {

        public CreditCost {
            if (marketing < 0 || utility < 0 || authentication < 0 || service < 0) {
                throw new IllegalArgumentException("kapi.messaging.credit-cost.* must not be negative");
            }
        }

        public int of(String category) {
            return switch (category == null ? Queue.SERVICE : category) {
                case "marketing" -> marketing;
                case "utility" -> utility;
                case "authentication" -> authentication;
                default -> service;
            };
        }
    }

    /**
     * The sender: {@code enabled} runs it every {@code poll-interval} (off in tests,
     * which call it directly); each round claims up to {@code batch-size} messages per
     * sending account (its pace decides how many) and starts them all at once, every call
     * on its own virtual thread, all accounts in parallel, each account's lane claiming
     * its next batch while the last one's calls are in flight, at most
     * {@code max-in-flight} provider calls at a time per instance. A message left in
     * {@code sending} longer than {@code lease} (its instance died) is looked up with the
     * provider before anything is resent. A temporary failure is retried after
     * {@code retry-backoff} (doubling) up to {@code max-attempts};
     * {@code breaker-threshold} failures in a row, or one rate-limit answer, pause the
     * sending account for {@code breaker-cooldown}. {@code unpaced-rate} is the rate
     * assumed for an account without a pace when estimating a finish. A message Meta's
     * per-user marketing cap (131049) kept from its recipient is deferred and sent again
     * after each of {@code marketing-cap-delays} in turn (4 h, 12 h, 24 h), then failed.
     */
    public record Worker(@DefaultValue("true") boolean enabled, @DefaultValue("200ms") Duration pollInterval,
            @DefaultValue("500") int batchSize, @DefaultValue("2000") int maxInFlight,
            @DefaultValue("2m") Duration lease, @DefaultValue("3") int maxAttempts,
            @DefaultValue("30s") Duration retryBackoff, @DefaultValue("5") int breakerThreshold,
            @DefaultValue("1m") Duration breakerCooldown, @DefaultValue("1000") double unpacedRate, @DefaultValue( {
                    "4h", "12h", "24h" }) java.util.List<Duration> marketingCapDelays){

        public Worker {
            if (marketingCapDelays.isEmpty() || marketingCapDelays.size() > 10
                    || marketingCapDelays.stream().anyMatch(delay -> delay.isNegative() || delay.isZero())) {
                throw new IllegalArgumentException(
                        "kapi.messaging.worker.marketing-cap-delays needs 1 to 10 positive durations");
            }
            marketingCapDelays = java.util.List.copyOf(marketingCapDelays);
        }
    }

    /**
     * The local provider, the default: answers after {@code latency}, fails a share
     * {@code failure-rate} of sends (temporarily), answers "not a WhatsApp user" for
     * numbers ending in {@code unreachable-suffix}, and reports deliveries, reads and
     * opt-out replies for the given shares of sent messages.
     */
    record Simulator(@DefaultValue("0ms") Duration latency, @DefaultValue("0") double failureRate,
            @DefaultValue("0000") String unreachableSuffix, @DefaultValue("0.9") double deliveredRate,
            @DefaultValue("0.5") double readRate, @DefaultValue("0") double optOutRate) {
    }

    /**
     * Meta's Graph API for WhatsApp Cloud: where it is, which version, and its callbacks'
     * secrets; status callbacks are written up to {@code callback-batch} statuses per
     * transaction, and a callback waits at most {@code callback-wait} for its batch (503,
     * and Meta retries, beyond it). At most {@code media-downloads} downloads of what
     * customers sent run at a time per instance (503 {@code media-busy} beyond).
     */
    public record WhatsApp(@DefaultValue("https://graph.facebook.com") String baseUrl,
            @DefaultValue("v23.0") String apiVersion, String appSecret, String verifyToken,
            @DefaultValue("10s") Duration timeout, @DefaultValue("1000") int callbackBatch,
            @DefaultValue("3s") Duration callbackWait, @DefaultValue("8") int mediaDownloads) {

        public WhatsApp {
            if (mediaDownloads < 1 || mediaDownloads > 1000) {
                throw new IllegalArgumentException("kapi.messaging.whatsapp.media-downloads must be 1 to 1000");
            }
        }
    }
}
