package dev.kapi.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 31's replies: every message a recipient writes is kept once per wamid (Meta
 * retries callbacks), linked to the campaign message it answers, shown in the customer's
 * conversation with the campaign messages, and told to webhooks as
 * {@code messaging.inbound}; no other user ever reads it.
 */
class MessagingRepliesIntegrationTests extends MessagingTestSupport {

    private static final String PHONE = "905559310001";

    @Test
    @SuppressWarnings("unchecked")
    void repliesOfEveryKindWhenPostedTwiceThenStoredOnceLinkedToTheCampaignAndToldToWebhooksOnce() {
        TestUser admin = newAdmin();
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", "http://127.0.0.1:9/replies", "events", List.of("messaging.inbound")), 201);
        TestUser user = newUserWithCredits(10);
        stubAccepted("310201", PHONE, "wamid.campaign-310201");
        long sender = sender(user,
                Map.of("provider", "whatsapp_cloud", "phone_number_id", "310201", "access_token", "EAAG-cloud-token"));
        long customer = customer(user, "0555 931 00 01", "Ayşe");
        customersWrote("310201", PHONE);
        long queue = queue(user, draft(user, "Yeni sezon! {{name}}"), List.of(sender), List.of(), List.of(customer));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();

        String replies = messages("310201", """
                {"from":"%1$s","id":"wamid.r1","timestamp":"1800000001","type":"text","text":{"body":"Fiyatı nedir?"},
                 "context":{"from":"905320000001","id":"wamid.campaign-310201"}}""", """
                {"from":"%1$s","id":"wamid.r2","timestamp":"1800000002","type":"interactive",
                 "interactive":{"type":"button_reply","button_reply":{"id":"evet","title":"Evet"}},
                 "context":{"from":"905320000001","id":"wamid.campaign-310201"}}""", """
                {"from":"%1$s","id":"wamid.r3","timestamp":"1800000003","type":"interactive",
                 "interactive":{"type":"list_reply","list_reply":{"id":"beden-m","title":"M","description":"Orta"}}}""",
                """
                        {"from":"%1$s","id":"wamid.r4","timestamp":"1800000004","type":"image",
                         "image":{"id":"1480000000001","mime_type":"image/jpeg","sha256":"abc","caption":"Bu renk var mı?"}}""",
                """
                        {"from":"%1$s","id":"wamid.r5","timestamp":"1800000005","type":"reaction",
                         "reaction":{"message_id":"wamid.campaign-310201","emoji":"👍"}}""", """
                        {"from":"%1$s","id":"wamid.r6","timestamp":"1800000006","type":"button",
                         "button":{"payload":"kampanya-evet","text":"İlgileniyorum"},
                         "context":{"from":"905320000001","id":"wamid.campaign-310201"}}""");
        // Meta's times, a minute after the campaign went out on the test clock
        long sent = clock.instant().plusSeconds(60).getEpochSecond();
        replies = java.util.regex.Pattern.compile("\"18000000(\\d\\d)\"")
            .matcher(replies)
            .replaceAll(match -> "\"" + (sent + Integer.parseInt(match.group(1))) + "\"");
        callback(replies);
        callback(replies);

        assertThat(jdbc.sql("SELECT count(*) FROM messaging_inbound WHERE owner_id = :owner")
            .param("owner", user.id())
            .query(Long.class)
            .single()).as("the six replies and the first message of customersWrote").isEqualTo(7);
        List<Map<String, Object>> conversation = list(user, "/api/messaging/customers/" + customer + "/messages");
        assertThat(conversation).extracting(m -> m.get("direction"))
            .containsExactly("inbound", "inbound", "inbound", "inbound", "inbound", "inbound", "outbound", "inbound");
        assertThat(conversation.get(0)).containsEntry("type", "button")
            .containsEntry("text", "İlgileniyorum")
            .containsEntry("reply", Map.of("id", "kampanya-evet", "title", "İlgileniyorum"));
        assertThat((Map<String, Object>) conversation.get(0).get("context")).containsEntry("wamid",
                "wamid.campaign-310201");
        assertThat(conversation.get(1)).containsEntry("type", "reaction")
            .containsEntry("reaction", Map.of("message_id", "wamid.campaign-310201", "emoji", "👍"));
        Map<String, Object> media = new java.util.HashMap<>(Map.of("type", "image", "media_id", "1480000000001",
                "mime_type", "image/jpeg", "caption", "Bu renk var mı?"));
        media.put("filename", null);
        assertThat(conversation.get(2)).containsEntry("type", "image").containsEntry("media", media);
        assertThat(conversation.get(3)).containsEntry("reply", Map.of("id", "beden-m", "title", "M"));
        assertThat(conversation.get(4)).containsEntry("reply", Map.of("id", "evet", "title", "Evet"));
        assertThat(conversation.get(5)).containsEntry("text", "Fiyatı nedir?");
        long campaignMessage = id(list(user, "/api/messaging/queues/" + queue + "/messages").getFirst());
        assertThat(((Number) ((Map<String, Object>) conversation.get(5).get("context")).get("message_id")).longValue())
            .isEqualTo(campaignMessage);
        assertThat(conversation.get(6)).containsEntry("text", "Yeni sezon! {{name}}")
            .containsEntry("wamid", "wamid.campaign-310201")
            .containsEntry("queue_id", (int) queue);
        assertThat(list(user, "/api/messaging/queues/" + queue + "/messages").getFirst().get("replied_at"))
            .isEqualTo(java.time.Instant.ofEpochSecond(sent + 1).toString());

        List<String> told = jdbc.sql(
                "SELECT body FROM webhook_deliveries WHERE webhook_id = :id AND type = 'messaging.inbound' ORDER BY id")
            .param("id", id(webhook))
            .query(String.class)
            .list();
        assertThat(told).hasSize(7);
        assertThat(told.get(1)).contains("\"customer_id\":" + customer)
            .contains("\"text\":\"Fiyatı nedir?\"")
            .contains("\"in_reply_to\":" + campaignMessage);
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    @Test
    void conversationWhenPagedWithTheCursorThenEveryMessageOnceNewestFirst() {
        TestUser user = newUserWithCredits(10);
        long sender = sender(user,
                Map.of("provider", "whatsapp_cloud", "phone_number_id", "310202", "access_token", "EAAG-cloud-token"));
        long customer = customer(user, "0555 931 00 02", "Can");
        List<String> written = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            written
                .add("""
                        {"from":"905559310002","id":"wamid.p%d","timestamp":"%d","type":"text","text":{"body":"mesaj %d"}}"""
                    .formatted(i, 1_800_000_000 + (i % 2 == 0 ? 0 : i), i));
        }
        callback(messages("310202", written.toArray(String[]::new)));

        List<Object> seen = new ArrayList<>();
        String cursor = null;
        do {
            EntityExchangeResult<List<Map<String, Object>>> page = as(user.token()).get()
                .uri("/api/messaging/customers/" + customer + "/messages?limit=2"
                        + (cursor == null ? "" : "&cursor=" + cursor))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON_ARRAY)
                .returnResult();
            page.getResponseBody().forEach(m -> seen.add(m.get("text")));
            cursor = page.getResponseHeaders().getFirst("X-Next-Cursor");
        }
        while (cursor != null);

        assertThat(seen).containsExactly("mesaj 5", "mesaj 3", "mesaj 1", "mesaj 4", "mesaj 2");
        assertThat(sender).isPositive();
        get(user, "/api/messaging/customers/" + customer + "/messages?cursor=bm90LWEtY3Vyc29y", 400);
    }

    @Test
    void replyFromAUserWhoHidesTheNumberBehindAUsernameThenStoredOnceByTheBusinessScopedIdAndToldToWebhooks() {
        TestUser admin = newAdmin();
        Map<String, Object> webhook = post(admin, "/api/admin/webhooks",
                Map.of("url", "http://127.0.0.1:9/bsuid", "events", List.of("messaging.inbound")), 201);
        TestUser user = newUserWithCredits(10);
        sender(user,
                Map.of("provider", "whatsapp_cloud", "phone_number_id", "310204", "access_token", "EAAG-cloud-token"));
        // Meta's 2026 usernames: no "from" and no wa_id, the sender named by its BSUID.
        String body = """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"310204"},
                  "contacts":[{"profile":{"name":"Ece","username":"@ece"},"user_id":"TR.1502576394655843"}],
                  "messages":[{"from_user_id":"TR.1502576394655843","id":"wamid.bsuid-1","timestamp":"1800000001",
                               "type":"text","text":{"body":"Merhaba, katalog var mı?"}}]}}]}]}""";

        callback(body);
        callback(body);

        Map<String, Object> stored = jdbc
            .sql("SELECT phone, user_id, customer_id, text FROM messaging_inbound WHERE owner_id = :owner")
            .param("owner", user.id())
            .query()
            .singleRow();
        assertThat(stored).containsEntry("user_id", "TR.1502576394655843")
            .containsEntry("text", "Merhaba, katalog var mı?");
        assertThat(stored.get("phone")).isNull();
        assertThat(stored.get("customer_id")).isNull();
        List<String> told = jdbc
            .sql("SELECT body FROM webhook_deliveries WHERE webhook_id = :id AND type = 'messaging.inbound'")
            .param("id", id(webhook))
            .query(String.class)
            .list();
        assertThat(told).hasSize(1);
        assertThat(told.getFirst()).contains("\"user_id\":\"TR.1502576394655843\"")
            .contains("\"text\":\"Merhaba, katalog var mı?\"");
        as(admin.token()).delete().uri("/api/admin/webhooks/" + id(webhook)).exchange().expectStatus().isNoContent();
    }

    @Test
    void conversationWhenAnotherUserAsksThen404AndTheirOwnCustomerWithTheSameNumberShowsNothingOfIt() {
        TestUser owner = newUserWithCredits(10);
        TestUser hostile = newUserWithCredits(10);
        sender(owner,
                Map.of("provider", "whatsapp_cloud", "phone_number_id", "310203", "access_token", "EAAG-cloud-token"));
        long customer = customer(owner, "0555 931 00 03", "Deniz");
        long lookalike = customer(hostile, "0555 931 00 03", "Deniz");
        callback(messages("310203",
                """
                        {"from":"905559310003","id":"wamid.secret","timestamp":"1800000000","type":"text","text":{"body":"Adresim: ..."}}"""));

        assertThat(list(owner, "/api/messaging/customers/" + customer + "/messages")).hasSize(1);
        assertThat(get(hostile, "/api/messaging/customers/" + customer + "/messages", 404)).containsEntry("type",
                "urn:kapi:problem:customer-not-found");
        assertThat(list(hostile, "/api/messaging/customers/" + lookalike + "/messages")).isEmpty();
    }

    private static String messages(String phoneNumberId, String... messages) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"%s"},
                  "contacts":[{"profile":{"name":"Ayşe"},"wa_id":"%s"}],
                  "messages":[%s]}}]}]}"""
            .formatted(phoneNumberId, PHONE, String.join(",", messages).formatted(PHONE));
    }

    private void callback(String body) {
        client().post()
            .uri("/api/messaging/webhooks/whatsapp")
            .contentType(MediaType.APPLICATION_JSON)
            .header("X-Hub-Signature-256", "sha256=" + hmac(body))
            .body(body)
            .exchange()
            .expectStatus()
            .isOk();
    }

    private static String hmac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("test-whatsapp-app-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void stubAccepted(String phoneNumberId, String to, String wamid) {
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .post(urlEqualTo("/v23.0/" + phoneNumberId + "/messages"))
            .withRequestBody(matchingJsonPath("$.to", equalTo(to)))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                    {"messaging_product":"whatsapp","messages":[{"id":"%s"}]}""".formatted(wamid))));
    }

}
