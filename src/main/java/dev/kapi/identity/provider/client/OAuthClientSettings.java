package dev.kapi.identity.provider.client;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The provider's clients. {@code allow-private}
 * ({@code KAPI_IDENTITY_OAUTH_CLIENTS_ALLOW_PRIVATE}) lets a client's
 * {@code backchannel_logout_uri} and {@code jwks_uri} resolve to loopback, private and
 * link-local addresses (off by default: Kapı calls those addresses itself, and must not
 * be pointed into its own network).
 */
@ConfigurationProperties("kapi.identity.oauth-clients")
record OAuthClientSettings(@DefaultValue("false") boolean allowPrivate) {
}
