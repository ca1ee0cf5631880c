package dev.kapi.identity.servicekey;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import dev.kapi.identity.audit.AuditLog;
import dev.kapi.identity.audit.AuditType;
import dev.kapi.shared.Cursors;
import dev.kapi.shared.Page;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Service keys for machine clients, made and revoked by an admin in person (a service key
 * cannot make another): the key is in the answer to its creation only.
 */
@RestController
@RequestMapping("/api/admin/service-keys")
@PreAuthorize("hasRole('ADMIN')")
@Tag(name = "admin")
class ServiceKeysController {

    private final ServiceKeys keys;

    private final AuditLog audit;

    private final RecentAuthentication recentAuthentication;

    ServiceKeysController(ServiceKeys keys, AuditLog audit, RecentAuthentication recentAuthentication) {
        this.keys = keys;
        this.audit = audit;
        this.recentAuthentication = recentAuthentication;
    }

    record NewKey(@NotBlank @Size(max = 100) String name, @NotEmpty @Size(
            max = 4) List<@NotNull @Pattern(regexp = "introspect|admin:read|admin:write|admin:backup") String> scopes) {
    }

    record KeyResponse(long id, String name, @JsonProperty("key_prefix") String keyPrefix, List<String> scopes,
            @JsonProperty("created_by") long createdBy, @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("revoked_at") Instant revokedAt) {

        static KeyResponse from(ServiceKeys.KeyView view) {
            return new KeyResponse(view.id(), view.name(), view.keyPrefix(), view.scopes(), view.createdBy(),
                    view.createdAt(), view.revokedAt());
        }
    }

    record CreatedKey(long id, String name, String key, @JsonProperty("key_prefix") String keyPrefix,
            List<String> scopes, @JsonProperty("created_at") Instant createdAt) {
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a service key; the key (kapi_sk_...) is in this answer only")
    ResponseEntity<CreatedKey> create(@AuthenticationPrincipal CurrentAccount admin,
            @Valid @RequestBody NewKey request) {
        recentAuthentication.require(admin);
        ServiceKeys.Created created = keys.create(admin, request.name(), request.scopes());
        audit.record(AuditType.SERVICE_KEY_CREATED, admin.id(), null,
                "key=" + created.key().id() + ",scopes=" + String.join(" ", created.key().scopes()));
        ServiceKeys.KeyView view = created.key();
        return ResponseEntity.created(URI.create("/api/admin/service-keys/" + view.id()))
            .body(new CreatedKey(view.id(), view.name(), created.value(), view.keyPrefix(), view.scopes(),
                    view.createdAt()));
    }

    @GetMapping
    @Operation(summary = "Service keys in creation order, revoked ones included (never the keys themselves)")
    ResponseEntity<List<KeyResponse>> list(@RequestParam(defaultValue = "50") @PageLimit int limit,
            @RequestParam(required = false) @Size(max = 32) String cursor) {
        Long after = Cursors.afterId(cursor);
        return Page.byId(keys.list(after == null ? 0 : after, limit + 1), limit, ServiceKeys.KeyView::id)
            .asArray(KeyResponse::from);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One service key")
    KeyResponse get(@PathVariable long id) {
        return keys.get(id).map(KeyResponse::from).orElseThrow(ServiceKeys::unknown);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke a service key: refused at once on every instance")
    void revoke(@AuthenticationPrincipal CurrentAccount admin, @PathVariable long id) {
        recentAuthentication.require(admin);
        if (!keys.revoke(id)) {
            throw ServiceKeys.unknown();
        }
        audit.record(AuditType.SERVICE_KEY_REVOKED, admin.id(), null, "key=" + id);
    }

}
