package dev.kapi.identity.alert;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.shared.Confirmation;
import dev.kapi.shared.Messages;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The "this was not me" link of a new-credential or changed-address mail
 * ({@link CredentialAlerts}).
 */
@RestController
@Tag(name = "auth")
@SecurityRequirements
class CredentialAlertsController {

    private final CredentialAlerts alerts;

    private final Messages messages;

    CredentialAlertsController(CredentialAlerts alerts, Messages messages) {
        this.alerts = alerts;
        this.messages = messages;
    }

    record NotMeRequest(@NotBlank @Size(max = 200) String token) {
    }

    @PostMapping("/auth/not-me")
    @Operation(summary = "With the token of a new-credential or changed-address mail: undo that change (remove "
            + "the passkey or authenticator, bring the old address back) and end every session of the account")
    Confirmation notMe(@Valid @RequestBody NotMeRequest request) {
        alerts.undo(request.token());
        return Confirmation.of(messages.get("done.not-me"));
    }

}
