package dev.kapi.identity.passkey;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The WebAuthn relying party: its id ({@code KAPI_PASSKEY_RP_ID}, the site's domain), the
 * name authenticators show, and the origins pages may register and use passkeys from
 * ({@code KAPI_PASSKEY_ORIGINS}; none given, {@link dev.kapi.shared.PublicUrl}). Origins
 * are resolved when first used, so they may name {@code ${local.server.port}}.
 */
@ConfigurationProperties("kapi.identity.passkeys")
record PasskeySettings(@DefaultValue("localhost") String rpId, @DefaultValue("Kapı") String rpName,
        @DefaultValue List<String> origins) {
}
