package dev.kapi.webhooks;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Webhook configuration. {@code allow-private} ({@code KAPI_WEBHOOKS_ALLOW_PRIVATE}) lets
 * targets resolve to loopback, private and link-local addresses (off by default: a
 * webhook must not reach into Kapı's own network). The worker polls every
 * {@code poll-interval}, claims up to {@code batch-size} due deliveries, holds each for
 * {@code lease} while it is sent (an instance that dies leaves it to another after that),
 * and retries a failure after {@code first-retry}, doubling up to {@code max-backoff},
 * {@code max-attempts} times. Delivered and failed deliveries are removed by the hourly
 * housekeeping {@code retention} after their last attempt
 * ({@code KAPI_WEBHOOKS_RETENTION}); pending ones are never.
 */
@ConfigurationProperties("kapi.webhooks")
record WebhookSettings(@DefaultValue("false") boolean allowPrivate, @DefaultValue("30d") Duration retention,
        @DefaultValue Worker worker) {

    record Worker(@DefaultValue("true") boolean enabled, @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("100") int batchSize, @DefaultValue("2m") Duration lease,
            @DefaultValue("30s") Duration firstRetry, @DefaultValue("24h") Duration maxBackoff,
            @DefaultValue("15") int maxAttempts, @DefaultValue("5s") Duration connectTimeout,
            @DefaultValue("10s") Duration readTimeout) {
    }
}
