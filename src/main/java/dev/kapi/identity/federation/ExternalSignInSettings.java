package dev.kapi.identity.federation;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The app's side of an external sign-in ({@code kapi.identity.external}).
 * {@code require-pkce} ({@code KAPI_IDENTITY_EXTERNAL_REQUIREPKCE}) refuses a start
 * without a {@code code_challenge} (but the hosted sign-in page's, whose code is
 * exchanged only in the browser that started it) and the exchange of a code issued
 * without one: off by default so that {@code POST /auth/external/exchange {"code"}} keeps
 * working; new deployments should turn it on.
 */
@ConfigurationProperties("kapi.identity.external")
record ExternalSignInSettings(@DefaultValue("false") boolean requirePkce) {
}
