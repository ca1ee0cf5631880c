package dev.kapi.messaging.draft;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A WhatsApp template message as drafts and queues show it over HTTP: an approved
 * template and one text per body variable it declares ({@link TemplateMessage} inside).
 */
public record Template(@NotBlank @Size(max = 512) @Pattern(regexp = "[a-z0-9_]+") String name,
        @NotBlank @Size(max = 20) @Pattern(regexp = "[A-Za-z]{2,3}(_[A-Za-z0-9]{2,8})?") String language,
        @Valid Header header,
        @JsonProperty("body_parameters") @Size(max = 100) List<@NotNull @Size(max = 1_024) String> bodyParameters,
        @Size(max = 10) List<@NotNull @Valid TemplateButton> buttons) {

    /** A template message's media header: its type and a public link to the file. */
    public record Header(@NotNull @Pattern(regexp = "image|video|document") String type,
            @NotBlank @Size(max = 2_048) @Pattern(regexp = "https?://\\S+") String link) {
    }

    TemplateMessage message() {
        return new TemplateMessage(name, language, header == null ? null : header.type(),
                header == null ? null : header.link(), bodyParameters, buttons);
    }

    public static Template from(TemplateMessage message) {
        return message == null ? null
                : new Template(message.name(), message.language(),
                        message.headerType() == null ? null : new Header(message.headerType(), message.headerLink()),
                        message.bodyParameters(), message.buttons().isEmpty() ? null : message.buttons());
    }
}
