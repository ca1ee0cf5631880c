package dev.kapi.trading.notification;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Telegram Bot API that notifications go to, and how long a {@code sendMessage} may
 * take.
 */
@ConfigurationProperties("kapi.trading.telegram")
record TelegramSettings(@DefaultValue("https://api.telegram.org") URI baseUrl, @DefaultValue("10s") Duration timeout) {
}
