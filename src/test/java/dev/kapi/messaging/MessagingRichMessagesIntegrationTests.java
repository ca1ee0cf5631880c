package dev.kapi.messaging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 31's rich messages: media and interactive drafts checked against Meta's limits
 * when saved, and sent as the Cloud API's {@code /messages} body expects them (WireMock
 * is the Graph API and checks each body); template button parameters.
 */
class MessagingRichMessagesIntegrationTests extends MessagingTestSupport {

    @Test
    void draftWhenRichContentBreaksMetasLimitsThenA400NamingTheField() {
        TestUser user = newUser();

        assertThat(
                invalidFields(post(user, "/api/messaging/drafts",
                        Map.of("name", "x", "interactive", interactive("button",
                                List.of(button("a", "A"), button("b", "B"), button("c", "C"), button("d", "D")))),
                        400)))
            .containsExactly("interactive.buttons");
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "interactive", interactive("button", List.of(button("a", "x".repeat(21))))), 400)))
            .containsExactly("interactive.buttons[0].title");
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "interactive",
                        interactive("button", List.of(button("a", "Evet"), button("a", "Hayır")))),
                400)))
            .containsExactly("interactive.buttons[1].id");
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "interactive", list(List.of(section("Bir", 6), section("İki", 5)))), 400)))
            .containsExactly("interactive.sections");
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "interactive", list(List.of(section(null, 2), section("İki", 2)))), 400)))
            .containsExactly("interactive.sections[0].title");
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "media", Map.of("type", "image", "link", "http://cdn.example.com/a.jpg")), 400)))
            .containsExactly("media.link");
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "media",
                        Map.of("type", "image", "link", "https://cdn.example.com/a.jpg", "media_id", "123")),
                400)))
            .containsExactly("media.link");
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "media", Map.of("type", "image", "media_id", "123", "filename", "a.jpg")), 400)))
            .containsExactly("media.filename");
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "media", Map.of("type", "sticker", "media_id", "123")), 400)))
            .containsExactly("media.type");
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "body", "Selam", "media", Map.of("type", "image", "media_id", "123")), 400)))
            .containsExactly("media");
        assertThat(
                invalidFields(post(user, "/api/messaging/drafts",
                        Map.of("name", "x", "media",
                                Map.of("type", "image", "media_id", "123", "caption", "c".repeat(1025))),
                        400)))
            .containsExactly("media.caption");
    }

    @Test
    void mediaAndInteractiveDraftsThenMetaGetsTheBodiesItDocuments() {
        TestUser user = newUserWithCredits(20);
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/v23.0/320101/messages"))
            .willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("""
                        {"messaging_product":"whatsapp","messages":[{"id":"wamid.{{randomValue type='UUID'}}"}]}""")));
        long sender = sender(user,
                Map.of("provider", "whatsapp_cloud", "phone_number_id", "320101", "access_token", "EAAG-cloud-token"));
        long customer = customer(user, "0555 932 00 01", "Ayşe");
        customersWrote("320101", "905559320001");
        Map<String, Object> image = Map.of("name", "Görsel", "media",
                Map.of("type", "image", "link", "https://cdn.example.com/yaz.jpg", "caption", "Yaz indirimi"));
        Map<String, Object> document = Map.of("name", "Katalog", "media",
                Map.of("type", "document", "media_id", "1480000000777", "filename", "katalog.pdf"));
        Map<String, Object> buttons = Map.of("name", "Soru", "interactive",
                interactive("button", List.of(button("evet", "Evet"), button("hayir", "Hayır"))));
        Map<String, Object> list = Map.of("name", "Beden", "interactive", list(List.of(section("Bedenler", 2))));

        for (Map<String, Object> draft : List.of(image, document, buttons, list)) {
            Map<String, Object> saved = post(user, "/api/messaging/drafts", draft, 201);
            assertThat(saved).containsKey(draft.containsKey("media") ? "media" : "interactive");
            long queue = queue(user, id(saved), List.of(sender), List.of(), List.of(customer));
            assertThat(get(user, "/api/messaging/queues/" + queue + "/preflight", 200)).containsEntry("recipients", 1)
                .containsEntry("credits_needed", 1);
            post(user, "/api/messaging/queues/" + queue + "/start", 200);
            worker.drain();
        }

        verifySent("""
                {"type":"image","image":{"link":"https://cdn.example.com/yaz.jpg","caption":"Yaz indirimi"}}""");
        verifySent("""
                {"type":"document","document":{"id":"1480000000777","filename":"katalog.pdf"}}""");
        verifySent(
                """
                        {"type":"interactive","interactive":{"type":"button","body":{"text":"Seçin"},"action":{"buttons":[
                          {"type":"reply","reply":{"id":"evet","title":"Evet"}},{"type":"reply","reply":{"id":"hayir","title":"Hayır"}}]}}}""");
        verifySent(
                """
                        {"type":"interactive","interactive":{"type":"list","body":{"text":"Seçin"},"action":{"button":"Seçenekler",
                          "sections":[{"title":"Bedenler","rows":[{"id":"Bedenler-1","title":"Satır 1","description":"Açıklama"},
                                                                  {"id":"Bedenler-2","title":"Satır 2","description":"Açıklama"}]}]}}}""");
    }

    @Test
    void variablesInACaptionOrAnInteractiveBodyThenEachRecipientGetsItsOwnValues() {
        TestUser user = newUserWithCredits(20);
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/v23.0/320301/messages"))
            .willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("""
                        {"messaging_product":"whatsapp","messages":[{"id":"wamid.{{randomValue type='UUID'}}"}]}""")));
        long sender = sender(user,
                Map.of("provider", "whatsapp_cloud", "phone_number_id", "320301", "access_token", "EAAG-cloud-token"));
        long ayse = id(post(user, "/api/messaging/customers",
                Map.of("phone", "0555 933 00 01", "name", "Ayşe", "fields", Map.of("city", "İzmir")), 201));
        long can = id(post(user, "/api/messaging/customers",
                Map.of("phone", "0555 933 00 02", "name", "Can", "fields", Map.of("city", "Van")), 201));
        customersWrote("320301", "905559330001", "905559330002");

        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "media",
                        Map.of("type", "image", "media_id", "123", "caption", "{{name}} {{shoe_size}}")),
                400)))
            .containsExactly("media.caption");
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "interactive",
                        Map.of("type", "button", "body", "{{shoe_size}}", "buttons", List.of(button("a", "A")))),
                400)))
            .containsExactly("interactive.body");

        Map<String, Object> image = post(user, "/api/messaging/drafts", Map.of("name", "Görsel", "media", Map.of("type",
                "image", "media_id", "1480000000888", "caption", "Merhaba {{name}}, {{city}} mağazamızda")), 201);
        assertThat(image).containsEntry("variables", List.of("name", "city"));
        Map<String, Object> question = post(user, "/api/messaging/drafts",
                Map.of("name", "Soru", "interactive",
                        Map.of("type", "button", "body", "{{name}}, {{city}} için randevu?", "buttons",
                                List.of(button("evet", "Evet"), button("hayir", "Hayır")))),
                201);
        for (Map<String, Object> draft : List.of(image, question)) {
            long queue = queue(user, id(draft), List.of(sender), List.of(), List.of(ayse, can));
            post(user, "/api/messaging/queues/" + queue + "/start", 200);
            worker.drain();
        }

        for (String[] recipient : List.of(new String[] { "905559330001", "Ayşe", "İzmir" },
                new String[] { "905559330002", "Can", "Van" })) {
            META.verify(postRequestedFor(urlEqualTo("/v23.0/320301/messages"))
                .withRequestBody(matchingJsonPath("$.to", equalTo(recipient[0])))
                .withRequestBody(equalToJson("""
                        {"type":"image","image":{"id":"1480000000888","caption":"Merhaba %s, %s mağazamızda"}}"""
                    .formatted(recipient[1], recipient[2]), false, true)));
            META.verify(postRequestedFor(urlEqualTo("/v23.0/320301/messages"))
                .withRequestBody(matchingJsonPath("$.to", equalTo(recipient[0])))
                .withRequestBody(equalToJson("""
                        {"type":"interactive","interactive":{"type":"button","body":{"text":"%s, %s için randevu?"}}}"""
                    .formatted(recipient[1], recipient[2]), false, true)));
        }
    }

    @Test
    void templateDraftWithButtonParametersThenMetaGetsQuickReplyPayloadsAndUrlSuffixes() {
        TestUser user = newUserWithCredits(20);
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .get(urlPathEqualTo("/v23.0/3202/message_templates"))
            .willReturn(
                    okJson("""
                            {"data":[{"name":"siparis","language":"tr","status":"APPROVED","category":"UTILITY","id":"9201",
                              "components":[{"type":"BODY","text":"Siparişiniz hazır"},
                                            {"type":"BUTTONS","buttons":[{"type":"QUICK_REPLY","text":"Tamam"},
                                                                         {"type":"URL","text":"İzle","url":"https://example.com/s/{{1}}"}]}]}],
                             "paging":{"cursors":{"before":"a","after":"b"}}}""")));
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/v23.0/320201/messages"))
            .willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.buttons\"}]}")));
        long sender = sender(user, Map.of("provider", "whatsapp_cloud", "phone_number_id", "320201", "access_token",
                "EAAG-cloud-token", "waba_id", "3202"));
        as(user.token()).post()
            .uri("/api/messaging/senders/" + sender + "/templates/sync")
            .exchange()
            .expectStatus()
            .isOk();
        long customer = customer(user, "0555 932 00 02", "Can");
        Map<String, Object> saved = post(user, "/api/messaging/drafts",
                Map.of("name", "Sipariş", "template",
                        Map.of("name", "siparis", "language", "tr", "body_parameters", List.of(), "buttons",
                                List.of(Map.of("sub_type", "quick_reply", "index", 0, "value", "siparis-tamam"),
                                        Map.of("sub_type", "url", "index", 1, "value", "A-1042")))),
                201);
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "x", "template",
                        Map.of("name", "siparis", "language", "tr", "buttons",
                                List.of(Map.of("sub_type", "call", "index", 0, "value", "x")))),
                400)))
            .containsExactly("template.buttons[0].sub_type");
        long queue = queue(user, id(saved), List.of(sender), List.of(), List.of(customer));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();

        META.verify(postRequestedFor(urlEqualTo("/v23.0/320201/messages")).withRequestBody(equalToJson(
                """
                        {"messaging_product":"whatsapp","recipient_type":"individual","to":"905559320002","type":"template",
                         "template":{"name":"siparis","language":{"code":"tr"},"components":[
                           {"type":"button","sub_type":"quick_reply","index":"0","parameters":[{"type":"payload","payload":"siparis-tamam"}]},
                           {"type":"button","sub_type":"url","index":"1","parameters":[{"type":"text","text":"A-1042"}]}]},
                         "biz_opaque_callback_data":"${json-unit.any-string}"}""")));
    }

    private static void verifySent(String content) {
        META.verify(postRequestedFor(urlEqualTo("/v23.0/320101/messages"))
            .withRequestBody(matchingJsonPath("$.to", equalTo("905559320001")))
            .withRequestBody(equalToJson(content, false, true)));
    }

    private static Map<String, Object> button(String id, String title) {
        return Map.of("id", id, "title", title);
    }

    private static Map<String, Object> interactive(String type, List<Map<String, Object>> buttons) {
        return Map.of("type", type, "body", "Seçin", "buttons", buttons);
    }

    private static Map<String, Object> list(List<Map<String, Object>> sections) {
        return Map.of("type", "list", "body", "Seçin", "button", "Seçenekler", "sections", sections);
    }

    private static Map<String, Object> section(String title, int rows) {
        List<Map<String, Object>> all = new java.util.ArrayList<>();
        for (int i = 1; i <= rows; i++) {
            all.add(Map.of("id", (title == null ? "s" : title) + "-" + i, "title", "Satır " + i, "description",
                    "Açıklama"));
        }
        Map<String, Object> section = new HashMap<>(Map.of("rows", all));
        if (title != null) {
            section.put("title", title);
        }
        return section;
    }

}
