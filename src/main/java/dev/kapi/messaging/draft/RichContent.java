package dev.kapi.messaging.draft;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.kapi.shared.ApiException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A free-form WhatsApp message that is not plain text: a {@link Media} (image, video,
 * audio or document, by a public https link or an uploaded media id) or an
 * {@link Interactive} message (up to three reply buttons, or a list of up to ten rows),
 * bounded by Meta's limits when a draft is saved, and written as the Cloud API's
 * {@code /messages} body expects it ({@link #payload}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RichContent(@Valid Media media, @Valid Interactive interactive) {

    /** Meta's limits (Cloud API reference, interactive and media objects). */
    static final int MAX_INTERACTIVE_BODY = 1_024;

    static final int MAX_CAPTION = 1_024;

    static final int MAX_BUTTONS = 3;

    static final int MAX_ROWS = 10;

    /** A media message: exactly one of {@code link} (https) and {@code media_id}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Media(@NotNull @Pattern(regexp = "image|video|audio|document") String type,
            @Size(max = 2_048) @Pattern(regexp = "https://\\S+") String link,
            @JsonProperty("media_id") @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9_.:-]+") String mediaId,
            @Size(max = MAX_CAPTION) String caption, @Size(max = 240) String filename) {
    }

    /**
     * An interactive message: {@code button} with {@code buttons}, or {@code list} with
     * the list's {@code button} label and {@code sections}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Interactive(@NotNull @Pattern(regexp = "button|list") String type,
            @NotBlank @Size(max = MAX_INTERACTIVE_BODY) String body,
            @Size(max = MAX_BUTTONS) List<@NotNull @Valid Button> buttons, @Size(max = 20) String button,
            @Size(max = 10) List<@NotNull @Valid Section> sections) {
    }

    public record Button(@NotBlank @Size(max = 256) String id, @NotBlank @Size(max = 20) String title) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Section(@Size(max = 24) String title,
            @NotNull @Size(min = 1, max = MAX_ROWS) List<@NotNull @Valid Row> rows) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Row(@NotBlank @Size(max = 200) String id, @NotBlank @Size(max = 24) String title,
            @Size(max = 72) String description) {
    }

    /**
     * The rules Bean Validation cannot say field by field; a 400 naming the field that
     * breaks one.
     */
    void check() {
        if ((media == null) == (interactive == null)) {
            throw ApiException.invalidField(media == null ? "interactive" : "media", "draft-body-or-template");
        }
        if (media != null) {
            if ((media.link() == null) == (media.mediaId() == null)) {
                throw ApiException.invalidField("media.link", "media-link-or-id");
            }
            if (media.filename() != null && !media.type().equals("document")) {
                throw ApiException.invalidField("media.filename", "media-filename-documents-only");
            }
            if (media.caption() != null && media.type().equals("audio")) {
                throw ApiException.invalidField("media.caption", "media-caption-not-for-audio");
            }
            return;
        }
        if (interactive.type().equals("button")) {
            if (interactive.buttons() == null || interactive.buttons().isEmpty()) {
                throw ApiException.invalidField("interactive.buttons", "required");
            }
            if (interactive.sections() != null || interactive.button() != null) {
                throw ApiException.invalidField(
                        interactive.sections() != null ? "interactive.sections" : "interactive.button",
                        "interactive-list-only");
            }
            unique("interactive.buttons", interactive.buttons().stream().map(Button::id).toList(), "id");
            unique("interactive.buttons", interactive.buttons().stream().map(Button::title).toList(), "title");
            return;
        }
        if (interactive.buttons() != null) {
            throw ApiException.invalidField("interactive.buttons", "interactive-buttons-only");
        }
        if (interactive.button() == null || interactive.button().isBlank()) {
            throw ApiException.invalidField("interactive.button", "required");
        }
        if (interactive.sections() == null || interactive.sections().isEmpty()) {
            throw ApiException.invalidField("interactive.sections", "required");
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < interactive.sections().size(); i++) {
            Section section = interactive.sections().get(i);
            if (interactive.sections().size() > 1 && (section.title() == null || section.title().isBlank())) {
                throw ApiException.invalidField("interactive.sections[" + i + "].title", "required");
            }
            section.rows().forEach(row -> ids.add(row.id()));
        }
        if (ids.size() > MAX_ROWS) {
            throw ApiException.invalidField("interactive.sections", "interactive-too-many-rows", MAX_ROWS);
        }
        unique("interactive.sections", ids, "id");
    }

    private static void unique(String field, List<String> values, String what) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            if (!seen.add(values.get(i))) {
                throw ApiException.invalidField(field + "[" + i + "]." + what, "interactive-duplicate");
            }
        }
    }

    /**
     * The texts a recipient reads that may hold variables ({@link Templates}), by the
     * field that holds them: a media's {@code caption} and an interactive message's
     * {@code body}.
     */
    public Map<String, String> texts() {
        Map<String, String> texts = new LinkedHashMap<>();
        if (media != null && media.caption() != null) {
            texts.put("media.caption", media.caption());
        }
        if (interactive != null) {
            texts.put("interactive.body", interactive.body());
        }
        return texts;
    }

    /**
     * The content for one recipient: its caption or body with the variables filled by
     * {@code fill}, cut to Meta's limit when the values made it longer.
     */
    public RichContent filled(UnaryOperator<String> fill) {
        if (media != null) {
            return media.caption() == null ? this : new RichContent(new Media(media.type(), media.link(),
                    media.mediaId(), cut(fill.apply(media.caption()), MAX_CAPTION), media.filename()), null);
        }
        return new RichContent(null,
                new Interactive(interactive.type(), cut(fill.apply(interactive.body()), MAX_INTERACTIVE_BODY),
                        interactive.buttons(), interactive.button(), interactive.sections()));
    }

    private static String cut(String text, int max) {
        if (text.codePointCount(0, text.length()) <= max) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, max));
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The content kept in a {@code rich} column, or null. */
    public static RichContent read(String json) {
        return json == null ? null : JSON.readValue(json, RichContent.class);
    }

    /** The content as its {@code rich} column keeps it. */
    public static String write(RichContent rich) {
        return rich == null ? null : JSON.writeValueAsString(rich);
    }

    /** Meta's {@code type} of this message: the media's type, or {@code interactive}. */
    public String type() {
        return media != null ? media.type() : "interactive";
    }

    /** The object Meta expects under {@link #type()}. */
    public Map<String, Object> payload() {
        Map<String, Object> object = new LinkedHashMap<>();
        if (media != null) {
            if (media.mediaId() != null) {
                object.put("id", media.mediaId());
            }
            else {
                object.put("link", media.link());
            }
            if (media.caption() != null) {
                object.put("caption", media.caption());
            }
            if (media.filename() != null) {
                object.put("filename", media.filename());
            }
            return object;
        }
        object.put("type", interactive.type());
        object.put("body", Map.of("text", interactive.body()));
        if (interactive.type().equals("button")) {
            object.put("action", Map.of("buttons", interactive.buttons()
                .stream()
                .map(button -> Map.of("type", "reply", "reply", Map.of("id", button.id(), "title", button.title())))
                .toList()));
            return object;
        }
        List<Map<String, Object>> sections = new ArrayList<>();
        for (Section section : interactive.sections()) {
            Map<String, Object> wire = new LinkedHashMap<>();
            if (section.title() != null) {
                wire.put("title", section.title());
            }
            wire.put("rows", section.rows().stream().map(row -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("id", row.id());
                r.put("title", row.title());
                if (row.description() != null) {
                    r.put("description", row.description());
                }
                return r;
            }).toList());
            sections.add(wire);
        }
        object.put("action", Map.of("button", interactive.button(), "sections", sections));
        return object;
    }

}
