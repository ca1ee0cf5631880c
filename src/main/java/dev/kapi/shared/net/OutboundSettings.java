package dev.kapi.shared.net;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Whether the services the operator configured (WhatsApp Cloud, Telegram) may be at
 * loopback, private or link-local addresses ({@code KAPI_OUTBOUND_ALLOW_PRIVATE});
 * webhook targets have their own switch.
 */
@ConfigurationProperties("kapi.outbound")
record OutboundSettings(@DefaultValue("false") boolean allowPrivate) {
}
