package dev.kapi.trading.notification;

import java.time.Instant;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.identity.CurrentAccount;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * A user's Telegram notifications of their bots: trades, stops, errors, self-pauses. The
 * token is never answered.
 */
@RestController
@RequestMapping("/api/trading/notifications")
@Tag(name = "trading")
class NotificationController {

    private final Notifications notifications;

    NotificationController(Notifications notifications) {
        this.notifications = notifications;
    }

    record NotificationRequest(
            @JsonProperty("telegram_bot_token") @NotBlank @Pattern(
                    regexp = "[0-9]{1,20}:[A-Za-z0-9_-]{20,100}") String telegramBotToken,
            @JsonProperty("telegram_chat_id") @NotBlank @Pattern(
                    regexp = "-?[0-9]{1,20}|@[A-Za-z0-9_]{5,32}") String telegramChatId,
            @NotNull @Size(max = 4) List<@NotBlank @Size(max = 20) String> events) {
    }

    record NotificationResponse(@JsonProperty("telegram_bot_token") String telegramBotToken,
            @JsonProperty("telegram_chat_id") String telegramChatId, List<String> events,
            @JsonProperty("updated_at") Instant updatedAt) {

        static NotificationResponse from(Notifications.Settings settings) {
            return new NotificationResponse("****" + settings.tokenLast4(), settings.chatId(), settings.events(),
                    settings.updatedAt());
        }
    }

    @PutMapping
    @Operation(summary = "Connect Telegram: the bot token (sealed, answered masked), the chat and the events wanted")
    NotificationResponse put(@AuthenticationPrincipal CurrentAccount me,
            @Valid @RequestBody NotificationRequest request) {
        return NotificationResponse
            .from(notifications.put(me.id(), request.telegramBotToken(), request.telegramChatId(), request.events()));
    }

    @GetMapping
    @Operation(summary = "The user's Telegram notifications; 404 when not connected")
    NotificationResponse get(@AuthenticationPrincipal CurrentAccount me) {
        return NotificationResponse.from(notifications.get(me.id()));
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Disconnect Telegram")
    void delete(@AuthenticationPrincipal CurrentAccount me) {
        notifications.delete(me.id());
    }

}
