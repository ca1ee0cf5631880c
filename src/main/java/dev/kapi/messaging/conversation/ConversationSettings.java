package dev.kapi.messaging.conversation;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long what recipients wrote is kept: a reply stored longer than {@code retention}
 * ago is deleted by the hourly housekeeping ({@link InboundHousekeeping}).
 */
@ConfigurationProperties("kapi.messaging.inbound")
public record ConversationSettings(@DefaultValue("365d") Duration retention) {

    public ConversationSettings {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("kapi.messaging.inbound.retention must be positive");
        }
    }

}
