package dev.kapi.messaging;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.kapi.shared.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The WhatsApp Cloud API's webhook, public (Meta calls it without a token): the {@code GET} subscription
 * handshake answers the challenge when the verify token matches, and each {@code POST} must carry
 * {@code X-Hub-Signature-256}, the HMAC-SHA256 of the raw body under the app secret. Statuses update
 * messages (never backwards); texts from recipients may opt them out.
 */
@RestController
@Tag(name = "messaging")
class WebhookController {

    static final String PATH = "/api/messaging/webhooks/whatsapp";

    private final MessagingSettings.WhatsApp settings;
    private final ProviderEvents events;
    private final Senders senders;
    private final JsonMapper json;

    WebhookController(MessagingSettings settings, ProviderEvents events, Senders senders, JsonMapper json) {
        this.settings = settings.whatsapp();
        this.events = events;
        this.senders = senders;
        this.json = json;
    }

    @GetMapping(path = PATH, produces = MediaType.TEXT_PLAIN_VALUE)
    @Operation(summary = "WhatsApp's subscription handshake: answers hub.challenge when hub.verify_token matches")
    String verify(@RequestParam(name = "hub.mode", required = false) String mode,
            @RequestParam(name = "hub.verify_token", required = false) String token,
            @RequestParam(name = "hub.challenge", required = false) String challenge) {
        if (!StringUtils.hasText(settings.verifyToken())) {
            throw ApiException.notFound("webhook-not-configured");
        }
        if (!"subscribe".equals(mode) || token == null || challenge == null || !MessageDigest.isEqual(
                token.getBytes(StandardCharsets.UTF_8), settings.verifyToken().getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.forbidden("webhook-verification-failed");
        }
        return challenge;
    }

    @PostMapping(path = PATH)
    @Operation(summary = "WhatsApp's callbacks: message statuses and incoming texts; X-Hub-Signature-256 required")
    ResponseEntity<Map<String, Object>> receive(
            @RequestHeader(name = "X-Hub-Signature-256", required = false) String signature,
            InputStream body) throws IOException {
        // Nothing of the body is read until the route is on and the call is signed; then at most the cap.
        if (!StringUtils.hasText(settings.appSecret())) {
            throw ApiException.notFound("webhook-not-configured");
        }
        if (signature == null || !signature.strip().startsWith("sha256=")) {
            throw ApiException.unauthorized("webhook-signature-invalid");
        }
        byte[] raw = body.readAllBytes();
        if (!MessageDigest.isEqual(signature.strip().getBytes(StandardCharsets.UTF_8),
                ("sha256=" + hmac(raw)).getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.unauthorized("webhook-signature-invalid");
        }
        JsonNode root;
        try {
            root = json.readTree(raw);
        }
        catch (JacksonException ex) {
            throw ApiException.badRequest("malformed-json");
        }
        int statuses = 0;
        int optOuts = 0;
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                for (JsonNode status : value.path("statuses")) {
                    if (applyStatus(status)) {
                        statuses++;
                    }
                }
                String phoneNumberId = value.path("metadata").path("phone_number_id").asString(null);
                if (phoneNumberId != null && value.path("messages").size() > 0) {
                    for (Sender receiver : senders.byPhoneNumberId(phoneNumberId).stream().toList()) {
                        for (JsonNode message : value.path("messages")) {
                            String text = message.path("text").path("body").asString(
                                    message.path("button").path("text").asString(null));
                            String from = message.path("from").asString(null);
                            if (from != null && text != null && events.inbound(receiver, from, text)) {
                                optOuts++;
                            }
                        }
                    }
                }
            }
        }
        return ResponseEntity.ok(Map.of("success", true, "statuses_applied", statuses, "opt_outs", optOuts));
    }

    private boolean applyStatus(JsonNode status) {
        String id = status.path("id").asString(null);
        String state = status.path("status").asString("");
        if (id == null || !Message.SENT.equals(state) && !Message.DELIVERED.equals(state)
                && !Message.READ.equals(state) && !Message.FAILED.equals(state)) {
            return false;
        }
        long seconds = status.path("timestamp").asLong(0);
        Instant at = seconds > 0 ? Instant.ofEpochSecond(seconds) : null;
        JsonNode error = status.path("errors").path(0);
        String code = error.isMissingNode() ? null : error.path("code").asString(null);
        String reason = error.isMissingNode() ? null
                : error.path("error_data").path("details").asString(error.path("title").asString(null));
        long messageId = Message.idOfKey(status.path("biz_opaque_callback_data").asString(null));
        return events.status(id, messageId, state, at, code, reason);
    }

    private String hmac(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.appSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
