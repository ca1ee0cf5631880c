package dev.kapi.identity.federation;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.identity.RecentAuthentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The signed-in user's external identities: list, link one more (recent authentication: a
 * link is a new way into the account), remove one.
 */
@RestController
@Tag(name = "users")
class IdentitiesController {

    private final LinkedIdentities identities;

    private final ExternalSignIn signIn;

    private final RecentAuthentication recentAuthentication;

    IdentitiesController(LinkedIdentities identities, ExternalSignIn signIn,
            RecentAuthentication recentAuthentication) {
        this.identities = identities;
        this.signIn = signIn;
        this.recentAuthentication = recentAuthentication;
    }

    record IdentityResponse(long id, String alias, String subject, String email,
            @JsonProperty("linked_at") Instant linkedAt) {

        static IdentityResponse from(ExternalIdentities.Identity identity) {
            return new IdentityResponse(identity.id(), identity.alias(), identity.subject(), identity.email(),
                    identity.linkedAt());
        }
    }

    record LinkRequest(@JsonProperty("return_to") @Size(max = ReturnTargets.MAX_LENGTH) String returnTo) {
    }

    record LinkResponse(@JsonProperty("authorization_url") String authorizationUrl) {
    }

    @GetMapping("/users/me/identities")
    @Operation(summary = "The external identities linked to the signed-in account")
    List<IdentityResponse> list(@AuthenticationPrincipal CurrentAccount me) {
        return identities.of(me).stream().map(IdentityResponse::from).toList();
    }

    @PostMapping("/users/me/identities/{alias}")
    @Operation(summary = "Link a provider (recent authentication): open authorization_url in the browser; "
            + "the callback links and sends it to return_to with ?linked=<alias> or ?error=")
    LinkResponse link(@AuthenticationPrincipal CurrentAccount me, @PathVariable String alias,
            @Valid @RequestBody(required = false) LinkRequest request) {
        recentAuthentication.require(me);
        return new LinkResponse(signIn.startLink(me.id(), alias, request == null ? null : request.returnTo()));
    }

    @DeleteMapping("/users/me/identities/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Remove a linked identity; 409 last-sign-in-method when it is the last way to sign in")
    void unlink(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        identities.unlink(me, id);
    }

}
