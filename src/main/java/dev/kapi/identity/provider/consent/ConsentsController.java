package dev.kapi.identity.provider.consent;

import java.time.Instant;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The consents the signed-in user gave the provider's clients. Taking one back needs no
 * recent proof: it only removes access (a stolen token could as well end the sessions),
 * and a frozen account may do it too.
 */
@RestController
@Tag(name = "users")
class ConsentsController {

    private final Consents consents;

    ConsentsController(Consents consents) {
        this.consents = consents;
    }

    record ConsentResponse(@JsonProperty("client_id") String clientId, @JsonProperty("client_name") String clientName,
            List<String> scopes, @JsonProperty("granted_at") Instant grantedAt) {

        static ConsentResponse from(Consents.Consent consent) {
            return new ConsentResponse(consent.clientId(), consent.clientName(), consent.scopes(), consent.grantedAt());
        }
    }

    @GetMapping("/users/me/consents")
    @Operation(summary = "The clients you let sign you in, with the scopes you gave them, the latest first")
    List<ConsentResponse> list(@AuthenticationPrincipal CurrentAccount me) {
        return consents.of(me.id()).stream().map(ConsentResponse::from).toList();
    }

    @DeleteMapping("/users/me/consents/{clientId}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Take a consent back: the client loses what it holds for you and asks again next time")
    void revoke(@AuthenticationPrincipal CurrentAccount me, @PathVariable String clientId) {
        consents.revoke(me.id(), clientId);
    }

}
