package dev.kapi.messaging.draft;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import tools.jackson.databind.json.JsonMapper;

/**
 * A WhatsApp template message as a draft or queue sends it: the approved template's
 * {@code name} and {@code language}, an optional media header ({@code headerType} image,
 * video or document, and its public {@code headerLink}), and one text per body variable
 * of the template, each of which may use the customer's variables ({@code {{name}}},
 * {@code {{city}}}), and parameters of its buttons (quick-reply payloads, URL suffixes).
 */
public record TemplateMessage(String name, String language, String headerType, String headerLink,
        List<String> bodyParameters, List<TemplateButton> buttons) {

    static final List<String> HEADER_TYPES = List.of("image", "video", "document");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public TemplateMessage {
        bodyParameters = bodyParameters == null ? List.of() : List.copyOf(bodyParameters);
        buttons = buttons == null ? List.of() : List.copyOf(buttons);
    }

    public TemplateMessage(String name, String language, String headerType, String headerLink,
            List<String> bodyParameters) {
        this(name, language, headerType, headerLink, bodyParameters, List.of());
    }

    /**
     * The button parameters as a {@code template_buttons} column keeps them (null for
     * none).
     */
    public String buttonsJson() {
        return buttons.isEmpty() ? null : JSON.writeValueAsString(buttons);
    }

    /** The template message of a draft or queue row, or null for a free text. */
    public static TemplateMessage read(ResultSet rs) throws SQLException {
        String name = rs.getString("template_name");
        if (name == null) {
            return null;
        }
        Array parameters = rs.getArray("body_parameters");
        String buttons = rs.getString("template_buttons");
        return new TemplateMessage(name, rs.getString("template_language"), rs.getString("header_type"),
                rs.getString("header_link"),
                parameters == null ? List.of() : Arrays.asList((String[]) parameters.getArray()),
                buttons == null ? List.of() : List.of(JSON.readValue(buttons, TemplateButton[].class)));
    }
}
