package dev.kapi.identity.provider;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.stereotype.Component;

import dev.kapi.identity.EntitlementSource;
import dev.kapi.identity.account.Account;
import dev.kapi.identity.account.Accounts;

/**
 * The claims about an account a client may read, by the scopes it was granted, fresh from
 * the account (ID tokens and {@code /userinfo}): {@code profile} gives {@code name},
 * {@code preferred_username} and {@code locale}; {@code email} gives {@code email} and
 * {@code email_verified}; {@code roles} gives {@code role}; {@code entitlements} gives
 * what the account's packages contain.
 */
@Component
class ProviderClaims {

    static final String ROLES = "roles";

    static final String ENTITLEMENTS = "entitlements";

    /** Every scope the provider knows. */
    static final List<String> SCOPES = List.of(OidcScopes.OPENID, OidcScopes.PROFILE, OidcScopes.EMAIL,
            "offline_access", ROLES, ENTITLEMENTS);

    /** Every claim an ID token or {@code /userinfo} may carry. */
    static final List<String> CLAIMS = List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "sid", "amr",
            "acr", "azp", "email", "email_verified", "name", "preferred_username", "locale", "role", ENTITLEMENTS);

    private final Accounts accounts;

    private final ObjectProvider<EntitlementSource> entitlements;

    ProviderClaims(Accounts accounts, ObjectProvider<EntitlementSource> entitlements) {
        this.accounts = accounts;
        this.entitlements = entitlements;
    }

    /** The account's claims for these scopes; empty when the account is gone. */
    Map<String, Object> of(long accountId, Set<String> scopes) {
        Map<String, Object> claims = new LinkedHashMap<>();
        Account account = accounts.byIdCached(accountId).orElse(null);
        if (account == null) {
            return claims;
        }
        if (scopes.contains(OidcScopes.PROFILE)) {
            putIfPresent(claims, "name", account.fullName());
            putIfPresent(claims, "preferred_username", account.username());
            putIfPresent(claims, "locale", account.language());
        }
        if (scopes.contains(OidcScopes.EMAIL)) {
            claims.put("email", account.email());
            claims.put("email_verified", account.emailVerified());
        }
        if (scopes.contains(ROLES)) {
            claims.put("role", account.role());
        }
        if (scopes.contains(ENTITLEMENTS)) {
            EntitlementSource source = entitlements.getIfAvailable();
            claims.put(ENTITLEMENTS,
                    source == null ? List.of() : source.entitlementsOf(accountId).stream().sorted().toList());
        }
        return claims;
    }

    private static void putIfPresent(Map<String, Object> claims, String name, String value) {
        if (value != null && !value.isBlank()) {
            claims.put(name, value);
        }
    }

}
