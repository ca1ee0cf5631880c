package dev.kapi.messaging.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.stereotype.Service;
import org.springframework.util.StringUtils;

import dev.kapi.messaging.conversation.Replies;
import dev.kapi.messaging.pricing.Pricing;
import dev.kapi.messaging.queue.Message;
import dev.kapi.messaging.queue.MessageStatus;
import dev.kapi.messaging.sender.Sender;
import dev.kapi.messaging.sender.Senders;
import dev.kapi.messaging.sending.MessagingSettings;
import dev.kapi.messaging.sending.ProviderEvents;
import dev.kapi.shared.ApiException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The callbacks Meta's WhatsApp Cloud API sends us (inbound: its "webhook" in Meta's
 * words; Kapı's own outbound webhooks are the {@code webhooks} module): the subscription
 * handshake (the verify token), and signed callbacks ({@code X-Hub-Signature-256}, the
 * HMAC-SHA256 of the raw body under the app secret) whose payload is walked for message
 * statuses (to {@link ProviderEvents}) and recipients' messages (to {@link Replies}: kept
 * once per wamid; each opens the number's 24-hour service window; a text may opt it out),
 * each in its own transaction. Without the app secret or verify token the callbacks do
 * not exist (404).
 */
@Service
class WhatsAppCallbacks {

    private static final String SIGNATURE_PREFIX = "sha256=";

    private final MessagingSettings.WhatsApp settings;

    private final ProviderEvents events;

    private final Replies replies;

    private final Senders senders;

    private final JsonMapper json;

    private final TemplateSignals signals;

    private final StatusBatches statusBatches;

    WhatsAppCallbacks(MessagingSettings settings, ProviderEvents events, Replies replies, Senders senders,
            JsonMapper json, TemplateSignals signals, StatusBatches statusBatches) {
        this.signals = signals;
        this.statusBatches = statusBatches;
        this.settings = settings.whatsapp();
        this.events = events;
        this.replies = replies;
        this.senders = senders;
        this.json = json;
    }

    /**
     * What one callback changed: statuses applied, numbers that opted out, template and
     * number signals applied.
     */
    record Receipt(int statusesApplied, int optOuts, int signalsApplied) {
    }

    /**
     * The handshake: the challenge when the mode is {@code subscribe} and the token
     * matches (else 403).
     */
    String verify(String mode, String token, String challenge) {
        if (!StringUtils.hasText(settings.verifyToken())) {
            throw ApiException.notFound("webhook-not-configured");
        }
        if (!"subscribe".equals(mode) || token == null || challenge == null || !MessageDigest
            .isEqual(token.getBytes(StandardCharsets.UTF_8), settings.verifyToken().getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.forbidden("webhook-verification-failed");
        }
        return challenge;
    }

    /**
     * One callback. Nothing of the body is read until the callbacks are configured (else
     * 404) and the call carries a signature (else 401); then the body is read (capped by
     * the servlet filter in front) and its HMAC checked (401 when it does not match)
     * before anything in it is trusted.
     */
    Receipt receive(String signature, InputStream body) throws IOException {
        if (!StringUtils.hasText(settings.appSecret())) {
            throw ApiException.notFound("webhook-not-configured");
        }
        if (signature == null || !signature.strip().startsWith(SIGNATURE_PREFIX)) {
            throw ApiException.unauthorized("webhook-signature-invalid");
        }
        byte[] raw = body.readAllBytes();
        if (!MessageDigest.isEqual(signature.strip().getBytes(StandardCharsets.UTF_8),
                (SIGNATURE_PREFIX + hmac(raw)).getBytes(StandardCharsets.UTF_8))) {
            throw ApiException.unauthorized("webhook-signature-invalid");
        }
        JsonNode root;
        try {
            root = json.readTree(raw);
        }
        catch (JacksonException ex) {
            throw ApiException.badRequest("malformed-json");
        }
        return walk(root);
    }

    /**
     * Meta's payload: {@code entry[].changes[]}, each with its {@code field}: template
     * and number signals go to {@link TemplateSignals}; any other change's {@code value}
     * is read for {@code statuses[]}, {@code metadata} and {@code messages[]}.
     */
    private Receipt walk(JsonNode root) {
        int statuses = 0;
        int optOuts = 0;
        int signalsApplied = 0;
        List<ProviderEvents.Reported> reported = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                String field = change.path("field").asString("");
                if (TemplateSignals.FIELDS.contains(field)) {
                    if (signals.apply(field, entry.path("id").asString(null), entry.path("time").asLong(0), value)) {
                        signalsApplied++;
                    }
                    continue;
                }
                for (JsonNode status : value.path("statuses")) {
                    ProviderEvents.Reported one = reported(status);
                    if (one != null) {
                        reported.add(one);
                    }
                }
                String phoneNumberId = value.path("metadata").path("phone_number_id").asString(null);
                if (phoneNumberId != null && value.path("messages").size() > 0) {
                    for (Sender receiver : senders.byPhoneNumberId(phoneNumberId).stream().toList()) {
                        for (JsonNode message : value.path("messages")) {
                            if (replies.received(receiver, message)) {
                                optOuts++;
                            }
                        }
                    }
                }
            }
        }
        statuses += statusBatches.apply(reported);
        return new Receipt(statuses, optOuts, signalsApplied);
    }

    private static ProviderEvents.Reported reported(JsonNode status) {
        String id = status.path("id").asString(null);
        MessageStatus state = MessageStatus.parse(status.path("status").asString("")).orElse(null);
        if (id == null || state == null || !MessageStatus.REPORTED.contains(state)) {
            return null;
        }
        long seconds = status.path("timestamp").asLong(0);
        Instant at = seconds > 0 ? Instant.ofEpochSecond(seconds) : null;
        JsonNode error = status.path("errors").path(0);
        String code = error.isMissingNode() ? null : error.path("code").asString(null);
        String reason = error.isMissingNode() ? null
                : error.path("error_data").path("details").asString(error.path("title").asString(null));
        long messageId = Message.idOfKey(status.path("biz_opaque_callback_data").asString(null));
        return new ProviderEvents.Reported(id, messageId, state, at, code, reason, Pricing.of(status).orElse(null));
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
