package dev.kapi.identity.federation;

import java.time.Clock;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.IdentityProviderChanged;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.shared.ApiException;
import dev.kapi.shared.sealing.SecretSealer;

/**
 * The external providers, for admins: a provider's client secret is sealed under its
 * alias and never answered back; an issuer must pass the outbound guard. Every change is
 * audited and is the webhook event {@code identity_provider.<change>}.
 */
@Service
class IdentityProviderManagement {

    static final String SEAL_CONTEXT = "identity-provider:";

    private final IdentityProviders providers;

    private final IssuerTargets targets;

    private final SecretSealer sealer;

    private final AuditLog audit;

    private final ApplicationEventPublisher events;

    private final Clock clock;

    IdentityProviderManagement(IdentityProviders providers, IssuerTargets targets, SecretSealer sealer, AuditLog audit,
            ApplicationEventPublisher events, Clock clock) {
        this.providers = providers;
        this.targets = targets;
        this.sealer = sealer;
        this.audit = audit;
        this.events = events;
        this.clock = clock;
    }

    @Transactional
    IdentityProvider create(CurrentAccount admin, ProviderDefinition request) {
        if (request.alias() == null || !ProviderDefinition.ALIAS.matcher(request.alias()).matches()) {
            throw ApiException.invalidField("alias", "identity-provider-alias-invalid");
        }
        if (request.secret() == null || request.secret().isBlank()) {
            throw ApiException.invalidField("client_secret", "identity-provider-secret-required");
        }
        ProviderDefinition.Checked checked = checked(request);
        try {
            IdentityProvider created = providers.insert(fields(request.alias(), checked, request.secret()),
                    clock.instant());
            changed(admin, created, AuditType.IDENTITY_PROVIDER_CREATED, "created");
            return created;
        }
        catch (DuplicateKeyException ex) {
            throw ApiException.conflict("identity-provider-exists");
        }
    }

    List<IdentityProvider> list() {
        return providers.all();
    }

    IdentityProvider get(String alias) {
        return find(alias);
    }

    /**
     * Replaces what the admin describes; the alias stays, and the secret unless given.
     */
    @Transactional
    IdentityProvider update(CurrentAccount admin, String alias, ProviderDefinition request) {
        IdentityProvider existing = find(alias);
        if (request.alias() != null && !request.alias().equals(alias)) {
            throw ApiException.invalidField("alias", "identity-provider-alias-fixed");
        }
        ProviderDefinition.Checked checked = checked(request);
        IdentityProviders.Fields fields = request.secret() == null || request.secret().isBlank()
                ? withSealed(alias, checked, existing.sealedSecret()) : fields(alias, checked, request.secret());
        providers.update(existing.id(), fields, clock.instant());
        IdentityProvider updated = find(alias);
        changed(admin, updated, AuditType.IDENTITY_PROVIDER_UPDATED, "updated");
        return updated;
    }

    /**
     * Removes the provider with the identities linked through it; their accounts keep
     * their other ways in (a password is set through a reset).
     */
    @Transactional
    void delete(CurrentAccount admin, String alias) {
        IdentityProvider existing = find(alias);
        providers.delete(existing.id());
        changed(admin, existing, AuditType.IDENTITY_PROVIDER_DELETED, "deleted");
    }

    /** The client secret of a provider, for the code exchange. */
    String secretOf(IdentityProvider provider) {
        return sealer.open(provider.sealedSecret(), SEAL_CONTEXT + provider.alias());
    }

    private IdentityProvider find(String alias) {
        if (alias == null || !ProviderDefinition.ALIAS.matcher(alias).matches()) {
            throw ApiException.notFound("identity-provider-not-found");
        }
        return providers.byAlias(alias).orElseThrow(() -> ApiException.notFound("identity-provider-not-found"));
    }

    private ProviderDefinition.Checked checked(ProviderDefinition request) {
        ProviderDefinition.Checked checked = request.checked();
        if (checked.issuerUri() != null) {
            targets.check("issuer_uri", checked.issuerUri());
        }
        return checked;
    }

    private IdentityProviders.Fields fields(String alias, ProviderDefinition.Checked checked, String secret) {
        return withSealed(alias, checked, sealer.seal(secret, SEAL_CONTEXT + alias));
    }

    private static IdentityProviders.Fields withSealed(String alias, ProviderDefinition.Checked checked,
            String sealed) {
        return new IdentityProviders.Fields(alias, checked.type(), checked.displayName(), checked.issuerUri(),
                checked.clientId(), sealed, checked.scopes(), checked.enabled(), checked.linkByVerifiedEmail(),
                checked.allowedEmailDomains(), checked.trustProviderMfa());
    }

    private void changed(CurrentAccount admin, IdentityProvider provider, AuditType type, String change) {
        audit.record(type, admin.id(), null, "alias=" + provider.alias() + ",type=" + provider.type().value()
                + ",enabled=" + provider.enabled() + ",link_by_verified_email=" + provider.linkByVerifiedEmail());
        events.publishEvent(new IdentityProviderChanged(provider.alias(), provider.type().value(), change, admin.id()));
    }

}
