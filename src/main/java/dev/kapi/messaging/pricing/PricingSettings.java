package dev.kapi.messaging.pricing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How messages are charged: a sent message with no billable status callback within
 * {@code charge-window} of its send is not charged (its held credits are refunded when
 * its queue settles).
 */
@ConfigurationProperties("kapi.messaging.pricing")
public record PricingSettings(@DefaultValue("48h") Duration chargeWindow) {

    public PricingSettings {
        if (chargeWindow.isNegative() || chargeWindow.isZero()) {
            throw new IllegalArgumentException("kapi.messaging.pricing.charge-window must be positive");
        }
    }

}
