package dev.kapi.identity.provider.client;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The OpenID provider's clients, for admins. A change needs an admin who proved
 * themselves in the last minutes (a stolen access token must not leave a client behind
 * that outlives it) or a service key with {@code admin:write}; {@code admin:read} reads.
 * A confidential client's secret is in the answer to its creation or rotation only.
 */
@RestController
@RequestMapping("/api/admin/oauth-clients")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class OAuthClientsController {

    private final OAuthClients clients;

    private final RecentAuthentication recentAuthentication;

    OAuthClientsController(OAuthClients clients, RecentAuthentication recentAuthentication) {
        this.clients = clients;
        this.recentAuthentication = recentAuthentication;
    }

    record ClientRequest(@JsonProperty("client_name") @NotBlank @Size(max = 200) String clientName,
            @JsonProperty("client_type") @NotNull ClientType clientType,
            @JsonProperty("redirect_uris") @Size(
                    max = ClientRules.MAX_URIS) List<@NotNull @Size(max = ClientRules.MAX_URI) String> redirectUris,
            @JsonProperty("post_logout_redirect_uris") @Size(max = ClientRules.MAX_URIS) List<@NotNull @Size(
                    max = ClientRules.MAX_URI) String> postLogoutRedirectUris,
            @JsonProperty("grant_types") @NotEmpty @Size(max = 4) List<@NotNull @Size(max = 100) String> grantTypes,
            @Size(max = ClientRules.MAX_SCOPES) List<@NotNull @Size(max = ClientRules.MAX_SCOPE) String> scopes,
            @JsonProperty("require_consent") Boolean requireConsent,
            @JsonProperty("backchannel_logout_uri") @Size(max = ClientTargets.MAX_URL) String backchannelLogoutUri,
            @JsonProperty("id_token_signed_response_alg") @Size(max = 10) String idTokenSignedResponseAlg,
            @JsonProperty("jwks_uri") @Size(max = ClientTargets.MAX_URL) String jwksUri) {

        ClientDefinition definition() {
            return new ClientDefinition(clientName, clientType, redirectUris, postLogoutRedirectUris, grantTypes,
                    scopes, requireConsent == null || requireConsent, blankToNull(backchannelLogoutUri),
                    blankToNull(idTokenSignedResponseAlg), blankToNull(jwksUri));
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ClientResponse(@JsonProperty("client_id") String clientId,
            @JsonProperty("client_secret") String clientSecret, @JsonProperty("client_name") String clientName,
            @JsonProperty("client_type") ClientType clientType,
            @JsonProperty("redirect_uris") List<String> redirectUris,
            @JsonProperty("post_logout_redirect_uris") List<String> postLogoutRedirectUris,
            @JsonProperty("grant_types") List<String> grantTypes, List<String> scopes,
            @JsonProperty("require_consent") boolean requireConsent,
            @JsonProperty("backchannel_logout_uri") String backchannelLogoutUri,
            @JsonProperty("id_token_signed_response_alg") String idTokenSignedResponseAlg,
            @JsonProperty("jwks_uri") String jwksUri,
            @JsonProperty("token_endpoint_auth_methods") List<String> tokenEndpointAuthMethods,
            @JsonProperty("created_by") Long createdBy, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("updated_at") Instant updatedAt) {

        static ClientResponse from(OAuthClients.ClientView view) {
            return from(view, null);
        }

        static ClientResponse from(OAuthClients.ClientView view, String secret) {
            RegisteredClient client = view.client();
            return new ClientResponse(client.getClientId(), secret, client.getClientName(), view.type(),
                    sorted(client.getRedirectUris()), sorted(client.getPostLogoutRedirectUris()),
                    sorted(client.getAuthorizationGrantTypes().stream().map(AuthorizationGrantType::getValue).toList()),
                    sorted(client.getScopes()), client.getClientSettings().isRequireAuthorizationConsent(),
                    client.getClientSettings().getSetting(RegisteredClientTable.BACKCHANNEL_LOGOUT_URI),
                    client.getClientSettings().getSetting(RegisteredClientTable.ID_TOKEN_ALG),
                    client.getClientSettings().getJwkSetUrl(),
                    sorted(client.getClientAuthenticationMethods()
                        .stream()
                        .map(ClientAuthenticationMethod::getValue)
                        .toList()),
                    view.createdBy(), view.createdAt(), view.updatedAt());
        }

        private static List<String> sorted(java.util.Collection<String> values) {
            return values.stream().sorted().toList();
        }
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Register a client; a confidential client's secret is in this answer only")
    ResponseEntity<ClientResponse> create(@AuthenticationPrincipal CurrentAccount admin,
            @Valid @RequestBody ClientRequest request) {
        recentAuthentication.requireOfPerson(admin);
        OAuthClients.WithSecret created = clients.create(admin, request.definition());
        return ResponseEntity.created(URI.create("/api/admin/oauth-clients/" + created.client().client().getClientId()))
            .body(ClientResponse.from(created.client(), created.secret()));
    }

    @GetMapping
    @Operation(summary = "Clients, newest first (never their secrets)")
    ResponseEntity<List<ClientResponse>> list(@RequestParam(defaultValue = "50") @PageLimit int limit,
            @RequestParam(required = false) @Size(max = 32) String cursor) {
        Long after = Cursors.afterId(cursor);
        return Page
            .byId(clients.list(after == null ? Long.MAX_VALUE : after, limit + 1), limit, OAuthClients.ClientView::seq)
            .asArray(ClientResponse::from);
    }

    @GetMapping("/{clientId}")
    @Operation(summary = "One client")
    ClientResponse get(@PathVariable String clientId) {
        return ClientResponse.from(clients.get(clientId));
    }

    @PutMapping("/{clientId}")
    @Operation(summary = "Replace a client's description; its id, type and secret stay")
    ClientResponse update(@AuthenticationPrincipal CurrentAccount admin, @PathVariable String clientId,
            @Valid @RequestBody ClientRequest request) {
        recentAuthentication.requireOfPerson(admin);
        return ClientResponse.from(clients.update(admin, clientId, request.definition()));
    }

    @PostMapping("/{clientId}/rotate-secret")
    @Operation(summary = "A new secret for a confidential client, in this answer only; the old one fails at once")
    ClientResponse rotateSecret(@AuthenticationPrincipal CurrentAccount admin, @PathVariable String clientId) {
        recentAuthentication.requireOfPerson(admin);
        OAuthClients.WithSecret rotated = clients.rotateSecret(admin, clientId);
        return ClientResponse.from(rotated.client(), rotated.secret());
    }

    @DeleteMapping("/{clientId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a client, with the consents users gave it and the tokens it holds")
    void delete(@AuthenticationPrincipal CurrentAccount admin, @PathVariable String clientId) {
        recentAuthentication.requireOfPerson(admin);
        clients.delete(admin, clientId);
    }

}
