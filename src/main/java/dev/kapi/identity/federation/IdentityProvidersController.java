package dev.kapi.identity.federation;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * External identity providers, for admins. A change needs an admin who proved themselves
 * in the last minutes or a service key with {@code admin:write}; {@code admin:read}
 * reads. The client secret is written, never read back.
 */
@RestController
@RequestMapping("/api/admin/identity-providers")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class IdentityProvidersController {

    private final IdentityProviderManagement providers;

    private final RecentAuthentication recentAuthentication;

    IdentityProvidersController(IdentityProviderManagement providers, RecentAuthentication recentAuthentication) {
        this.providers = providers;
        this.recentAuthentication = recentAuthentication;
    }

    record ProviderRequest(@Size(max = 40) String alias, @Size(max = 20) String preset, @Size(max = 100) String tenant,
            ProviderType type, @JsonProperty("display_name") @Size(max = 100) String displayName,
            @JsonProperty("issuer_uri") @Size(max = IssuerTargets.MAX_URL) String issuerUri,
            @JsonProperty("client_id") @NotBlank @Size(max = 500) String clientId,
            @JsonProperty("client_secret") @Size(max = 2000) String clientSecret,
            @Size(max = 20) List<@NotNull @Size(max = 100) String> scopes, Boolean enabled,
            @JsonProperty("link_by_verified_email") Boolean linkByVerifiedEmail,
            @JsonProperty("allowed_email_domains") @Size(
                    max = 50) List<@NotNull @Size(max = 253) String> allowedEmailDomains,
            @JsonProperty("trust_provider_mfa") Boolean trustProviderMfa) {

        ProviderDefinition definition() {
            return new ProviderDefinition(alias, preset, tenant, type, displayName, issuerUri, clientId, clientSecret,
                    scopes, enabled, linkByVerifiedEmail, allowedEmailDomains, trustProviderMfa);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ProviderResponse(String alias, ProviderType type, @JsonProperty("display_name") String displayName,
            @JsonProperty("issuer_uri") String issuerUri, @JsonProperty("client_id") String clientId,
            List<String> scopes, boolean enabled, @JsonProperty("link_by_verified_email") boolean linkByVerifiedEmail,
            @JsonProperty("allowed_email_domains") List<String> allowedEmailDomains,
            @JsonProperty("trust_provider_mfa") boolean trustProviderMfa, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("updated_at") Instant updatedAt) {

        static ProviderResponse from(IdentityProvider provider) {
            return new ProviderResponse(provider.alias(), provider.type(), provider.displayName(), provider.issuerUri(),
                    provider.clientId(), provider.scopes(), provider.enabled(), provider.linkByVerifiedEmail(),
                    provider.allowedEmailDomains(), provider.trustProviderMfa(), provider.createdAt(),
                    provider.updatedAt());
        }
    }

    @PostMapping
    @Operation(summary = "Add an external identity provider (preset google, microsoft with tenant, or github; "
            + "or type oidc with issuer_uri); the secret is sealed and never answered")
    ResponseEntity<ProviderResponse> create(@AuthenticationPrincipal CurrentAccount admin,
            @Valid @RequestBody ProviderRequest request) {
        recentAuthentication.requireOfPerson(admin);
        IdentityProvider created = providers.create(admin, request.definition());
        return ResponseEntity.created(URI.create("/api/admin/identity-providers/" + created.alias()))
            .body(ProviderResponse.from(created));
    }

    @GetMapping
    @Operation(summary = "Every external identity provider, by alias (never their secrets)")
    List<ProviderResponse> list() {
        return providers.list().stream().map(ProviderResponse::from).toList();
    }

    @GetMapping("/{alias}")
    @Operation(summary = "One external identity provider")
    ProviderResponse get(@PathVariable String alias) {
        return ProviderResponse.from(providers.get(alias));
    }

    @PutMapping("/{alias}")
    @Operation(summary = "Replace a provider's settings; its alias stays, and its secret unless client_secret is given")
    ProviderResponse update(@AuthenticationPrincipal CurrentAccount admin, @PathVariable String alias,
            @Valid @RequestBody ProviderRequest request) {
        recentAuthentication.requireOfPerson(admin);
        return ProviderResponse.from(providers.update(admin, alias, request.definition()));
    }

    @DeleteMapping("/{alias}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a provider with the identities linked through it")
    void delete(@AuthenticationPrincipal CurrentAccount admin, @PathVariable String alias) {
        recentAuthentication.requireOfPerson(admin);
        providers.delete(admin, alias);
    }

}
