package dev.kapi.identity.federation;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * External identity providers. {@code allow-private}
 * ({@code KAPI_IDENTITY_PROVIDERS_ALLOW_PRIVATE}) lets an issuer resolve to loopback,
 * private and link-local addresses (off: Kapı fetches the issuer's documents and keys
 * itself and must not be pointed into its own network). A started sign-in waits
 * {@code state-ttl} for its callback; the one-time code of a finished one lives
 * {@code code-ttl}; each call to a provider may take {@code timeout}.
 */
@ConfigurationProperties("kapi.identity.providers")
record FederationSettings(@DefaultValue("false") boolean allowPrivate, @DefaultValue("10m") Duration stateTtl,
        @DefaultValue("60s") Duration codeTtl, @DefaultValue("5s") Duration timeout) {
}
