package dev.kapi.messaging.whatsapp;

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
 * The WhatsApp Cloud API's callbacks (Meta's "webhook"), public (Meta calls it without a
 * token; {@link MessagingRoutes} says so): the {@code GET} subscription handshake, and
 * the {@code POST} callbacks that {@link WhatsAppCallbacks} checks and applies. Statuses
 * update messages (never backwards); texts from recipients may opt them out.
 */
@RestController
@Tag(name = "messaging")
class WhatsAppCallbackController {

    private final WhatsAppCallbacks callbacks;

    WhatsAppCallbackController(WhatsAppCallbacks callbacks) {
        this.callbacks = callbacks;
    }

    @GetMapping(path = MessagingRoutes.WHATSAPP_CALLBACKS, produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "WhatsApp's subscription handshake: answers hub.challenge when hub.verify_token matches")
    String verify(@RequestParam(name = "hub.mode", required = false) String mode,
            @RequestParam(name = "hub.verify_token", required = false) String token,
            @RequestParam(name = "hub.challenge", required = false) String challenge) {
        return callbacks.verify(mode, token, challenge);
    }

    @PostMapping(path = MessagingRoutes.WHATSAPP_CALLBACKS)
    @Operation(
            summary = "WhatsApp's callbacks: message statuses, incoming texts, template and number signals; X-Hub-Signature-256 required")
    ResponseEntity<Map<String, Object>> receive(
            @RequestHeader(name = "X-Hub-Signature-256", required = false) String signature, InputStream body)
            throws IOException {
        // Documents the route: WhatsAppCallbackFilter answers these callbacks before
        // Spring MVC sees them, with the same body and problems.
        WhatsAppCallbacks.Receipt receipt = callbacks.receive(signature, body);
        return ResponseEntity.ok(Map.of("success", true, "statuses_applied", receipt.statusesApplied(), "opt_outs",
                receipt.optOuts(), "signals_applied", receipt.signalsApplied()));
    }

}
