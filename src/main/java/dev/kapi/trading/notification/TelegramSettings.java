package dev.kapi.trading.notification;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Telegram Bot API that notifications go to, and how long a {@code sendMessage} may
 * take. {@code poll}: whether this instance long-polls {@code getUpdates} for commands,
 * how long one poll waits at Telegram, how long an instance's lease on a token lasts
 * without renewal, and how many tokens one instance polls.
 */
@ConfigurationProperties("kapi.trading.telegram")
record TelegramSettings(@DefaultValue("https://api.telegram.org") URI baseUrl, @DefaultValue("10s") Duration timeout,
        @DefaultValue Poll poll) {

    record Poll(@DefaultValue("true") boolean enabled, @DefaultValue("25s") Duration timeout,
            @DefaultValue("60s") Duration lease, @DefaultValue("200") int maxPerInstance) {
    }

}
