package dev.kapi.identity.provider.logout;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Back-channel logout delivery. The worker polls every {@code poll-interval}, claims up
 * to {@code batch-size} due logouts, holds each for {@code lease} while it is sent, and
 * retries a failure after {@code first-retry}, doubling up to {@code max-backoff},
 * {@code max-attempts} times in all; then the logout has failed for good (audited).
 * Delivered and failed rows are removed {@code retention} after their end. Sessions that
 * expired (idle or absolute lifetime) are looked for every {@code expiry-sweep}.
 */
@ConfigurationProperties("kapi.identity.backchannel-logout")
record BackchannelLogoutSettings(@DefaultValue("true") boolean enabled, @DefaultValue("1s") Duration pollInterval,
        @DefaultValue("50") int batchSize, @DefaultValue("1m") Duration lease, @DefaultValue("10s") Duration firstRetry,
        @DefaultValue("1h") Duration maxBackoff, @DefaultValue("8") int maxAttempts,
        @DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration readTimeout,
        @DefaultValue("7d") Duration retention, @DefaultValue("1m") Duration expirySweep) {
}
