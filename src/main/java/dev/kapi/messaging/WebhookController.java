package dev.kapi.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The WhatsApp Cloud API's webhook, public (Meta calls it without a token;
 * {@link MessagingRoutes} says so): the {@code GET} subscription handshake, and the
 * {@code POST} callbacks that {@link WhatsAppWebhook} checks and applies. Statuses update
 * messages (never backwards); texts from recipients may opt them out.
 */
@RestController
@Tag(name = "messaging")
class WebhookController {

    private final WhatsAppWebhook webhook;

    WebhookController(WhatsAppWebhook webhook) {
        this.webhook = webhook;
    }

    @GetMapping(path = MessagingRoutes.WHATSAPP_WEBHOOK, produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "WhatsApp's subscription handshake: answers hub.challenge when hub.verify_token matches")
    String verify(@RequestParam(name = "hub.mode", required = false) String mode,
            @RequestParam(name = "hub.verify_token", required = false) String token,
            @RequestParam(name = "hub.challenge", required = false) String challenge) {
        return webhook.verify(mode, token, challenge);
    }

    @PostMapping(path = MessagingRoutes.WHATSAPP_WEBHOOK)
    @Operation(summary = "WhatsApp's callbacks: message statuses and incoming texts; X-Hub-Signature-256 required")
    ResponseEntity<Map<String, Object>> receive(
            @RequestHeader(name = "X-Hub-Signature-256", required = false) String signature, InputStream body)
            throws IOException {
        // The body stream is handed on unread: the webhook reads it only once the call is
        // configured and signed.
        WhatsAppWebhook.Receipt receipt = webhook.receive(signature, body);
        return ResponseEntity
            .ok(Map.of("success", true, "statuses_applied", receipt.statusesApplied(), "opt_outs", receipt.optOuts()));
    }

}
