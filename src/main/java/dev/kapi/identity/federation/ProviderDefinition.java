package dev.kapi.identity.federation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import dev.kapi.shared.ApiException;

/**
 * What an admin asks for, presets applied: Google ({@code https://accounts.google.com}),
 * Microsoft ({@code https://login.microsoftonline.com/{tenant}/v2.0}) and GitHub fill the
 * type, issuer, scopes and name the admin left out. {@code secret} is null on an update
 * that keeps the stored one.
 */
record ProviderDefinition(String alias, String preset, String tenant, ProviderType type, String displayName,
        String issuerUri, String clientId, String secret, List<String> scopes, Boolean enabled,
        Boolean linkByVerifiedEmail, List<String> allowedEmailDomains, Boolean trustProviderMfa) {

    static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    static final Pattern DOMAIN = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

    static final Pattern TENANT = Pattern.compile("[A-Za-z0-9.-]{1,100}");

    static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5b\\x5d-\\x7e]{1,100}");

    /** A checked, complete definition (presets applied, defaults filled). */
    record Checked(ProviderType type, String displayName, String issuerUri, String clientId, List<String> scopes,
            boolean enabled, boolean linkByVerifiedEmail, List<String> allowedEmailDomains, boolean trustProviderMfa) {
    }

    Checked checked() {
        ProviderType resolvedType = type;
        String name = blankToNull(displayName);
        String issuer = blankToNull(issuerUri);
        List<String> scopeList = scopes == null ? List.of() : scopes;
        if (preset != null) {
            switch (preset) {
                case "google" -> {
                    resolvedType = ProviderType.OIDC;
                    issuer = issuer == null ? "https://accounts.google.com" : issuer;
                    name = name == null ? "Google" : name;
                }
                case "microsoft" -> {
                    if (tenant == null || !TENANT.matcher(tenant).matches() || tenant.equals("common")
                            || tenant.equals("organizations") || tenant.equals("consumers")) {
                        throw ApiException.invalidField("tenant", "identity-provider-tenant-required");
                    }
                    resolvedType = ProviderType.OIDC;
                    issuer = issuer == null ? "https://login.microsoftonline.com/" + tenant + "/v2.0" : issuer;
                    name = name == null ? "Microsoft" : name;
                }
                case "github" -> {
                    resolvedType = ProviderType.GITHUB;
                    name = name == null ? "GitHub" : name;
                }
                default -> throw ApiException.invalidField("preset", "identity-provider-preset-unknown");
            }
            if (type != null && type != resolvedType) {
                throw ApiException.invalidField("type", "identity-provider-preset-type");
            }
        }
        if (resolvedType == null) {
            throw ApiException.invalidField("type", "identity-provider-type-required");
        }
        if (name == null) {
            throw ApiException.invalidField("display_name", "identity-provider-name-required");
        }
        if (resolvedType == ProviderType.OIDC && issuer == null) {
            throw ApiException.invalidField("issuer_uri", "identity-provider-issuer-required");
        }
        if (resolvedType == ProviderType.GITHUB && issuer != null) {
            throw ApiException.invalidField("issuer_uri", "identity-provider-issuer-not-for-github");
        }
        if (scopeList.isEmpty()) {
            scopeList = resolvedType == ProviderType.GITHUB ? List.of("read:user", "user:email")
                    : List.of("openid", "email", "profile");
        }
        for (String scope : scopeList) {
            if (!SCOPE.matcher(scope).matches()) {
                throw ApiException.invalidField("scopes", "identity-provider-scope-invalid");
            }
        }
        LinkedHashSet<String> scopeSet = new LinkedHashSet<>(scopeList);
        if (resolvedType == ProviderType.OIDC) {
            scopeSet.add("openid");
        }
        List<String> domains = new ArrayList<>();
        for (String domain : allowedEmailDomains == null ? List.<String>of() : allowedEmailDomains) {
            String lower = domain.trim().toLowerCase(Locale.ROOT);
            if (!DOMAIN.matcher(lower).matches()) {
                throw ApiException.invalidField("allowed_email_domains", "identity-provider-domain-invalid");
            }
            if (!domains.contains(lower)) {
                domains.add(lower);
            }
        }
        return new Checked(resolvedType, name, issuer, clientId.strip(), List.copyOf(scopeSet),
                enabled == null || enabled, linkByVerifiedEmail != null && linkByVerifiedEmail, List.copyOf(domains),
                trustProviderMfa != null && trustProviderMfa);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

}
