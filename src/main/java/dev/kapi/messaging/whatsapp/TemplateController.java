package dev.kapi.messaging.whatsapp;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import dev.kapi.shared.PageLimit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * WhatsApp message templates of the signed-in user's WhatsApp Cloud senders: synced from
 * Meta, listed.
 */
@RestController
@RequestMapping("/api/messaging")
@Tag(name = "messaging")
class TemplateController {

    private final TemplateManagement templates;

    private final JsonMapper json;

    TemplateController(TemplateManagement templates, JsonMapper json) {
        this.templates = templates;
        this.json = json;
    }

    record TemplateResponse(long id, @JsonProperty("waba_id") String wabaId, String name, String language,
            String category, String status, JsonNode components, @JsonProperty("body_parameters") int bodyParameters,
            @JsonProperty("header_format") String headerFormat, @JsonProperty("synced_at") Instant syncedAt,
            @Schema(pattern = "GREEN|YELLOW|RED|UNKNOWN") String quality,
            @JsonProperty("paused_until") Instant pausedUntil) {
    }

    @PostMapping("/senders/{id}/templates/sync")
    @Operation(summary = "Read every template of the sender's WhatsApp Business Account from Meta (all pages) and "
            + "store them; 409 for a sender without waba_id, 502 when Meta refuses")
    List<TemplateResponse> sync(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id) {
        return templates.sync(me.id(), id).stream().map(this::response).toList();
    }

    @GetMapping("/templates")
    @Operation(summary = "The templates of a sender's business account in id order; next page in X-Next-Cursor")
    ResponseEntity<List<TemplateResponse>> list(@AuthenticationPrincipal CurrentAccount me,
            @RequestParam(name = "sender_id") @NotNull Long senderId,
            @RequestParam(required = false) @Size(max = 100) String cursor,
            @RequestParam(defaultValue = "50") @PageLimit int limit) {
        return templates.list(me.id(), senderId, cursor, limit).asArray(this::response);
    }

    private TemplateResponse response(MessageTemplate template) {
        return new TemplateResponse(template.id(), template.wabaId(), template.name(), template.language(),
                template.category(), template.status(), json.readTree(template.components()), template.bodyParameters(),
                template.headerFormat(), template.syncedAt(), template.quality(), template.pausedUntil());
    }

}
