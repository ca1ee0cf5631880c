package dev.kapi.messaging.whatsapp;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Uploads media to Meta for one of the signed-in user's WhatsApp Cloud senders; the
 * answer's media id goes into a draft's {@code media.media_id}.
 */
@RestController
@Tag(name = "messaging")
class MediaController {

    private final MediaUploads uploads;

    MediaController(MediaUploads uploads) {
        this.uploads = uploads;
    }

    record MediaResponse(@JsonProperty("media_id") String mediaId) {
    }

    @PostMapping("/api/messaging/senders/{id}/media")
    @Operation(summary = "Upload a file (multipart field file) to Meta as WhatsApp media; its media id is the answer")
    MediaResponse upload(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            HttpServletRequest request) {
        return new MediaResponse(uploads.upload(me.id(), id, request));
    }

}
