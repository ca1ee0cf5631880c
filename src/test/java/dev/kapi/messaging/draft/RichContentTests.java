package dev.kapi.messaging.draft;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kapi.shared.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RichContentTests {

    @Test
    void payloadWhenMediaThenMetasObjectWithIdOrLinkCaptionAndFilename() {
        RichContent byId = new RichContent(new RichContent.Media("document", null, "77", "Katalog", "k.pdf"), null);
        RichContent byLink = new RichContent(
                new RichContent.Media("image", "https://cdn.example.com/a.jpg", null, null, null), null);

        assertThat(byId.type()).isEqualTo("document");
        assertThat(byId.payload()).isEqualTo(Map.of("id", "77", "caption", "Katalog", "filename", "k.pdf"));
        assertThat(byLink.payload()).isEqualTo(Map.of("link", "https://cdn.example.com/a.jpg"));
        assertThat(RichContent.read(RichContent.write(byId))).isEqualTo(byId);
    }

    @Test
    void filledWhenVariablesThenCaptionOrBodyGetsTheValuesCutToMetasLimit() {
        RichContent image = new RichContent(new RichContent.Media("image", null, "77", "Merhaba {{name}}", null), null);
        RichContent buttons = new RichContent(null, new RichContent.Interactive("button", "{{name}}, seçin",
                List.of(new RichContent.Button("e", "Evet")), null, null));
        RichContent audio = new RichContent(new RichContent.Media("audio", null, "78", null, null), null);

        assertThat(image.texts()).isEqualTo(Map.of("media.caption", "Merhaba {{name}}"));
        assertThat(image.filled(text -> text.replace("{{name}}", "Ayşe")).payload())
            .isEqualTo(Map.of("id", "77", "caption", "Merhaba Ayşe"));
        assertThat(buttons.filled(text -> text.replace("{{name}}", "Can")).interactive().body())
            .isEqualTo("Can, seçin");
        assertThat(audio.filled(text -> "x")).isEqualTo(audio);
        String long1024 = "ğ".repeat(1_030);
        assertThat(image.filled(text -> long1024).media().caption()).hasSize(RichContent.MAX_CAPTION);
        assertThat(buttons.filled(text -> "😀".repeat(1_030)).interactive().body().codePointCount(0, 2 * 1_024))
            .isEqualTo(RichContent.MAX_INTERACTIVE_BODY);
    }

    @Test
    void payloadWhenInteractiveThenReplyButtonsOrAListAsMetaDocumentsThem() {
        RichContent buttons = new RichContent(null, new RichContent.Interactive("button", "Seçin",
                List.of(new RichContent.Button("e", "Evet")), null, null));
        RichContent list = new RichContent(null, new RichContent.Interactive("list", "Seçin", null, "Bedenler",
                List.of(new RichContent.Section(null, List.of(new RichContent.Row("m", "M", null))))));

        assertThat(buttons.type()).isEqualTo("interactive");
        assertThat(buttons.payload()).isEqualTo(Map.of("type", "button", "body", Map.of("text", "Seçin"), "action",
                Map.of("buttons", List.of(Map.of("type", "reply", "reply", Map.of("id", "e", "title", "Evet"))))));
        assertThat(list.payload()).isEqualTo(Map.of("type", "list", "body", Map.of("text", "Seçin"), "action", Map
            .of("button", "Bedenler", "sections", List.of(Map.of("rows", List.of(Map.of("id", "m", "title", "M")))))));
    }

    @Test
    void checkWhenARuleAcrossFieldsBreaksThenItNamesTheField() {
        assertField(new RichContent(new RichContent.Media("image", null, null, null, null), null), "media.link");
        assertField(new RichContent(new RichContent.Media("audio", null, "1", "c", null), null), "media.caption");
        assertField(new RichContent(null, new RichContent.Interactive("button", "b", List.of(), null, null)),
                "interactive.buttons");
        assertField(new RichContent(null, new RichContent.Interactive("list", "b", null, null, List.of())),
                "interactive.button");
        List<RichContent.Row> six = List.of(row("1"), row("2"), row("3"), row("4"), row("5"), row("6"));
        List<RichContent.Row> fiveMore = List.of(row("7"), row("8"), row("9"), row("10"), row("11"));
        assertField(
                new RichContent(null,
                        new RichContent.Interactive("list", "b", null, "L",
                                List.of(new RichContent.Section("A", six), new RichContent.Section("B", fiveMore)))),
                "interactive.sections");
        assertField(
                new RichContent(null,
                        new RichContent.Interactive("list", "b", null, "L",
                                List.of(new RichContent.Section("A", List.of(row("1"))),
                                        new RichContent.Section("B", List.of(row("1")))))),
                "interactive.sections[1].id");
    }

    private static RichContent.Row row(String id) {
        return new RichContent.Row(id, "t" + id, null);
    }

    private static void assertField(RichContent content, String field) {
        assertThatThrownBy(content::check).isInstanceOfSatisfying(ApiException.class,
                ex -> assertThat(ex.field()).isEqualTo(field));
    }

}
