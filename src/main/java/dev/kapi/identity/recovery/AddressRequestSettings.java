package dev.kapi.identity.recovery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** How often {@link AddressRequests} looks for rows another instance left behind. */
@ConfigurationProperties("kapi.identity.address-requests")
record AddressRequestSettings(@DefaultValue("10s") Duration poll) {
}
