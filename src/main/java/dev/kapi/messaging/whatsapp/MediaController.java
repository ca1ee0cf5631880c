package dev.kapi.messaging.whatsapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * WhatsApp media in and out of Meta for the signed-in user: uploads a file for one of
 * their WhatsApp Cloud senders (the answer's media id goes into a draft's
 * {@code media.media_id}), and downloads what one of their customers sent.
 */
@RestController
@Tag(name = "messaging")
class MediaController {

    private final MediaUploads uploads;

    private final MediaDownloads downloads;

    MediaController(MediaUploads uploads, MediaDownloads downloads) {
        this.uploads = uploads;
        this.downloads = downloads;
    }

    record MediaResponse(@JsonProperty("media_id") String mediaId) {
    }

    @PostMapping("/api/messaging/senders/{id}/media")
    @Operation(summary = "Upload a file (multipart field file) to Meta as WhatsApp media; its media id is the answer")
    MediaResponse upload(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id,
            HttpServletRequest request) {
        return new MediaResponse(uploads.upload(me.id(), id, request));
    }

    /**
     * The file as an attachment that a browser neither renders in Kapı's origin nor
     * sniffs, nor keeps in a shared cache.
     */
    @GetMapping("/api/messaging/customers/{id}/messages/{messageId}/media")
    @Operation(
            summary = "Download the media (image, video, audio, document, sticker) of a message the customer sent, "
                    + "fetched from Meta with the receiving sender's token and checked against Meta's SHA-256",
            responses = @ApiResponse(responseCode = "200", description = "The file, as an attachment",
                    content = @Content(mediaType = "application/octet-stream",
                            schema = @Schema(type = "string", format = "binary"))))
    void download(@AuthenticationPrincipal CurrentAccount me, @PathVariable long id, @PathVariable long messageId,
            HttpServletResponse response) throws IOException {
        try (MediaDownloads.Download download = downloads.fetch(me.id(), id, messageId)) {
            response.setContentType(download.contentType());
            response.setContentLengthLong(download.size());
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, attachment(download.filename()));
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-store");
            response.setHeader("Content-Security-Policy", "sandbox");
            Files.copy(download.file(), response.getOutputStream());
        }
    }

    /**
     * The name quoted when it is ASCII, else also RFC 5987-encoded as UTF-8 (beside an
     * ASCII fallback).
     */
    static String attachment(String filename) {
        ContentDisposition.Builder attachment = ContentDisposition.attachment();
        boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(filename);
        return (ascii ? attachment.filename(filename) : attachment.filename(filename, StandardCharsets.UTF_8)).build()
            .toString();
    }

}
