package dev.kapi.identity.federation;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * An external provider as stored: its client secret sealed. {@code allowedEmailDomains}
 * empty means any domain.
 */
record IdentityProvider(long id, String alias, ProviderType type, String displayName, String issuerUri, String clientId,
        String sealedSecret, List<String> scopes, boolean enabled, boolean linkByVerifiedEmail,
        List<String> allowedEmailDomains, boolean trustProviderMfa, Instant createdAt, Instant updatedAt) {

    /** Whether an address's domain is one the admin allows (any, when none is listed). */
    boolean allowsEmail(String email) {
        if (allowedEmailDomains.isEmpty()) {
            return true;
        }
        int at = email == null ? -1 : email.lastIndexOf('@');
        String domain = at < 0 ? "" : email.substring(at + 1).toLowerCase(Locale.ROOT);
        return allowedEmailDomains.contains(domain);
    }

}
