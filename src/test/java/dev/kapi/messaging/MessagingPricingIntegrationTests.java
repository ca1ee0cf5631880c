package dev.kapi.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 31's pricing: the admin's rate card, credits held per recipient by market and
 * category when a queue starts, charged once on Meta's first billable status callback
 * (WireMock is the Graph API; callbacks are signed POSTs), refunded for free, failed and
 * silent messages.
 */
class MessagingPricingIntegrationTests extends MessagingTestSupport {

    private static final String TR = "905559300001";

    private static final String DE = "4915123456789";

    private static final String US = "12025550123";

    @AfterEach
    void emptyTheCard() {
        put(newAdmin(), "/api/admin/messaging/rates", Map.of("rates", List.of()), 200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void rateCardWhenAnAdminReplacesItThenItIsReadBackWithTheFlatPricesAsItsOtherRows() {
        TestUser admin = newAdmin();
        assertThat((List<Map<String, Object>>) get(admin, "/api/admin/messaging/rates", 200).get("rates"))
            .containsExactlyInAnyOrder(rate("*", "marketing", 3), rate("*", "utility", 1),
                    rate("*", "authentication", 2), rate("*", "service", 1));

        Map<String, Object> saved = put(admin, "/api/admin/messaging/rates", Map.of("rates",
                List.of(rate("TR", "marketing", 5), rate("DE", "utility", 0), rate("*", "marketing", 9))), 200);

        assertThat((List<Map<String, Object>>) saved.get("rates")).containsExactlyInAnyOrder(rate("TR", "marketing", 5),
                rate("DE", "utility", 0), rate("*", "marketing", 9), rate("*", "utility", 1),
                rate("*", "authentication", 2), rate("*", "service", 1));
        assertThat(get(admin, "/api/admin/messaging/rates", 200)).isEqualTo(saved);
    }

    @Test
    void rateCardWhenARowIsWrongThenA400NamingItAndTheCardUnchanged() {
        TestUser admin = newAdmin();
        put(admin, "/api/admin/messaging/rates", Map.of("rates", List.of(rate("TR", "marketing", 5))), 200);

        assertThat(invalidFields(put(admin, "/api/admin/messaging/rates",
                Map.of("rates", List.of(rate("TR", "marketing", 1), rate("tr", "utility", 1))), 400)))
            .containsExactly("rates[1].market");
        assertThat(invalidFields(
                put(admin, "/api/admin/messaging/rates", Map.of("rates", List.of(rate("TR", "marketing", -1))), 400)))
            .containsExactly("rates[0].credits");
        assertThat(invalidFields(
                put(admin, "/api/admin/messaging/rates", Map.of("rates", List.of(rate("TR", "promotion", 1))), 400)))
            .containsExactly("rates[0].category");
        assertThat(invalidFields(
                put(admin, "/api/admin/messaging/rates", Map.of("rates", List.of(rate("XX", "marketing", 1))), 400)))
            .containsExactly("rates[0].market");
        assertThat(invalidFields(put(admin, "/api/admin/messaging/rates",
                Map.of("rates", List.of(rate("TR", "utility", 1), rate("TR", "utility", 2))), 400)))
            .containsExactly("rates[1]");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(rate("*", "marketing", i));
        }
        assertThat(invalidFields(put(admin, "/api/admin/messaging/rates", Map.of("rates", tooMany), 400)))
            .containsExactly("rates");

        assertThat(get(admin, "/api/admin/messaging/rates", 200).get("rates").toString())
            .contains("market=TR, category=marketing, credits=5");
    }

    @Test
    void rateCardWhenNotAnAdminOrAReadOnlyKeyThenItCannotBeChanged() {
        TestUser admin = newAdmin();
        put(newUser(), "/api/admin/messaging/rates", Map.of("rates", List.of(rate("*", "marketing", 0))), 403);
        get(newUser(), "/api/admin/messaging/rates", 403);
        String readOnly = (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "rates reader", "scopes", List.of("admin:read")), 201)
            .get("key");

        bindToServer().baseUrl("http://localhost:" + port)
            .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + readOnly)
            .build()
            .get()
            .uri("/api/admin/messaging/rates")
            .exchange()
            .expectStatus()
            .isOk();
        bindToServer().baseUrl("http://localhost:" + port)
            .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + readOnly)
            .build()
            .put()
            .uri("/api/admin/messaging/rates")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("rates", List.of(rate("*", "marketing", 0))))
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:service-key-scope-missing");

        assertThat(get(admin, "/api/admin/messaging/rates", 200).get("rates").toString())
            .contains("market=*, category=marketing, credits=3");
    }

    /**
     * TR, DE and US numbers in every category: held at the card's price by market,
     * charged once on the first billable callback (a retried one charges nothing), free,
     * failed and silent ones refunded; the exact ledger entries, and usage per category
     * and market.
     */
    @Test
    @SuppressWarnings("unchecked")
    void queuesToTrDeAndUsNumbersInEveryCategoryThenHeldByMarketAndChargedOncePerBillableMessage() {
        put(newAdmin(), "/api/admin/messaging/rates",
                Map.of("rates",
                        List.of(rate("TR", "marketing", 5), rate("TR", "utility", 2), rate("TR", "authentication", 1),
                                rate("TR", "service", 0), rate("DE", "marketing", 7), rate("DE", "utility", 3),
                                rate("*", "marketing", 9), rate("*", "utility", 4), rate("*", "authentication", 2),
                                rate("*", "service", 1))),
                200);
        TestUser user = newUserWithCredits(100);
        stubTemplates("3101");
        stubAcceptedAny("310101");
        long sender = sender(user, Map.of("provider", "whatsapp_cloud", "phone_number_id", "310101", "access_token",
                "EAAG-cloud-token", "waba_id", "3101"));
        as(user.token()).post()
            .uri("/api/messaging/senders/" + sender + "/templates/sync")
            .exchange()
            .expectStatus()
            .isOk();
        List<Long> customers = List.of(customer(user, "0555 930 00 01", "Ayşe"),
                customer(user, "+49 151 23456789", "Jonas"), customer(user, "+1 202 555 0123", "Ann"));
        customersWrote("310101", TR, DE, US);
        Map<String, Long> queues = new java.util.LinkedHashMap<>();
        for (String[] kind : new String[][] { { "marketing", "promo" }, { "utility", "kargo" },
                { "authentication", "kod" } }) {
            long draft = id(post(user, "/api/messaging/drafts", Map.of("name", kind[1], "template",
                    Map.of("name", kind[1], "language", "tr", "body_parameters", List.of())), 201));
            queues.put(kind[0], queue(user, draft, List.of(sender), List.of(), customers));
        }
        queues.put("service", queue(user, draft(user, "Merhaba"), List.of(sender), List.of(), customers));
        assertThat(get(user, "/api/messaging/queues/" + queues.get("marketing") + "/preflight", 200))
            .containsEntry("credits_needed", 21);
        Map<String, Integer> held = Map.of("marketing", 21, "utility", 9, "authentication", 5, "service", 2);
        queues.forEach((category, queue) -> assertThat(post(user, "/api/messaging/queues/" + queue + "/start", 200))
            .as(category)
            .containsEntry("credits_held", held.get(category)));
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(100 - 37);

        worker.drain();
        List<Map<String, Object>> marketing = list(user,
                "/api/messaging/queues/" + queues.get("marketing") + "/messages");
        assertThat(marketing).extracting(m -> m.get("market")).containsExactly("TR", "DE", "US");
        assertThat(marketing).extracting(m -> m.get("credits_held")).containsExactly(5, 7, 9);

        String billable = pricing(true, "marketing", "regular");
        callback(status(wamid(queues, "marketing", 0), "sent", billable));
        callback(status(wamid(queues, "marketing", 0), "sent", billable));
        callback(status(wamid(queues, "marketing", 0), "delivered", billable));
        callback(status(wamid(queues, "marketing", 1), "delivered", billable));
        callback(failed(wamid(queues, "marketing", 2)));
        callback(status(wamid(queues, "utility", 0), "sent", pricing(false, "service", "free_customer_service")));
        callback(status(wamid(queues, "utility", 0), "delivered", pricing(false, "service", "free_customer_service")));
        callback(status(wamid(queues, "utility", 1), "sent", pricing(true, "utility", "regular")));
        callback(status(wamid(queues, "authentication", 0), "sent", pricing(true, "authentication", "regular")));
        callback(status(wamid(queues, "authentication", 1), "delivered",
                pricing(false, "authentication", "free_entry_point")));
        callback(status(wamid(queues, "authentication", 2), "sent",
                "{\"pricing_model\":\"PMP\",\"category\":\"authentication_international\",\"type\":\"regular\"}"));
        callback(status(wamid(queues, "service", 0), "sent", pricing(true, "service", "regular")));
        callback(status(wamid(queues, "service", 1), "sent", pricing(true, "service", "regular")));
        callback(status(wamid(queues, "service", 2), "delivered", pricing(false, "service", "free_customer_service")));
        callback(status(wamid(queues, "service", 1), "delivered", pricing(true, "service", "regular")));
        worker.drain();

        assertThat(queueOf(user, queues.get("marketing"))).containsEntry("credits_spent", 12)
            .containsEntry("credits_held", 0);
        assertThat(queueOf(user, queues.get("authentication"))).containsEntry("credits_spent", 3);
        assertThat(queueOf(user, queues.get("service"))).containsEntry("credits_spent", 1);
        assertThat(queueOf(user, queues.get("utility"))).as("the US message has not been priced yet")
            .containsEntry("credits_spent", 0)
            .containsEntry("credits_held", 9);
        assertThat(
                list(user, "/api/messaging/queues/" + queues.get("marketing") + "/messages").getFirst().get("pricing"))
            .isEqualTo(Map.of("billable", true, "pricing_model", "PMP", "category", "marketing", "type", "regular"));

        clock.advance(Duration.ofHours(48).plusMinutes(1));
        callback(status(wamid(queues, "utility", 2), "sent", pricing(true, "utility", "regular")));
        worker.drain();

        assertThat(queueOf(again(user), queues.get("utility"))).containsEntry("credits_spent", 3)
            .containsEntry("credits_held", 0);
        assertThat(credits.entriesOf(user.id()).stream().map(e -> e.reason() + " " + e.amount()).toList())
            .containsExactlyInAnyOrder("load 100", "reservation -21", "reservation -9", "reservation -5",
                    "reservation -2", "refund 9", "refund 6", "refund 2", "refund 1");
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(100 - 19);
        Map<String, Object> usage = get(again(user), "/users/me/credits/usage?period=yearly", 200);
        String year = (String) ((List<Map<String, Object>>) usage.get("usage")).getFirst().get("period");
        assertThat((List<Map<String, Object>>) usage.get("by_category")).containsExactly(
                Map.of("period", year, "category", "authentication", "spent", 3),
                Map.of("period", year, "category", "marketing", "spent", 12),
                Map.of("period", year, "category", "service", "spent", 1),
                Map.of("period", year, "category", "utility", "spent", 3));
        assertThat((List<Map<String, Object>>) usage.get("by_market")).containsExactly(
                Map.of("period", year, "market", "DE", "spent", 11), Map.of("period", year, "market", "TR", "spent", 6),
                Map.of("period", year, "market", "US", "spent", 2));
    }

    @Test
    void numbersWithoutACountryCodeWhenTheFirstSenderIsGermanThenReadAsGermanAndPricedInDe() {
        TestUser user = newUser();
        assertThat(invalidFields(post(user, "/api/messaging/senders",
                Map.of("name", "Berlin", "phone", "+49 30 1234567", "default_region", "XX"), 400)))
            .containsExactly("default_region");
        Map<String, Object> german = post(user, "/api/messaging/senders",
                Map.of("name", "Berlin", "phone", "030 1234567", "default_region", "DE"), 201);
        assertThat(german).containsEntry("phone", "+49301234567").containsEntry("default_region", "DE");
        assertThat(post(user, "/api/messaging/senders", Map.of("name", "İstanbul", "phone", "+90 532 000 00 02"), 201))
            .as("default: the country of the sender's own phone")
            .containsEntry("default_region", "TR");

        Map<String, Object> customer = post(user, "/api/messaging/customers",
                Map.of("phone", "0151 23456789", "name", "Jonas"), 201);

        assertThat(customer).containsEntry("phone", "+4915123456789");
        assertThat(jdbc.sql("SELECT country FROM messaging_customers WHERE id = :id")
            .param("id", id(customer))
            .query(String.class)
            .single()).isEqualTo("DE");
        assertThat(
                invalidFields(post(user, "/api/messaging/customers", Map.of("phone", "+90 555 123", "name", "x"), 400)))
            .containsExactly("phone");
    }

    private static Map<String, Object> rate(String market, String category, int credits) {
        return Map.of("market", market, "category", category, "credits", credits);
    }

    private String wamid(Map<String, Long> queues, String category, int index) {
        return jdbc.sql("SELECT provider_message_id FROM messaging_messages WHERE queue_id = :q ORDER BY id")
            .param("q", queues.get(category))
            .query(String.class)
            .list()
            .get(index);
    }

    private static String pricing(boolean billable, String category, String type) {
        return """
                {"billable":%s,"pricing_model":"PMP","category":"%s","type":"%s"}""".formatted(billable, category,
                type);
    }

    private static String status(String wamid, String status, String pricing) {
        return """
                {"id":"%s","status":"%s","timestamp":"%d","recipient_id":"905559300001","pricing":%s}"""
            .formatted(wamid, status, System.currentTimeMillis() / 1000, pricing);
    }

    private static String failed(String wamid) {
        return """
                {"id":"%s","status":"failed","timestamp":"%d","recipient_id":"12025550123",
                 "errors":[{"code":131026,"title":"Message undeliverable"}]}""".formatted(wamid,
                System.currentTimeMillis() / 1000);
    }

    private void callback(String status) {
        String body = """
                {"object":"whatsapp_business_account","entry":[{"id":"3101","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"310101"},
                  "statuses":[%s]}}]}]}"""
            .formatted(status);
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

    private static void stubTemplates(String wabaId) {
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .get(urlPathEqualTo("/v23.0/" + wabaId + "/message_templates"))
            .willReturn(okJson("""
                    {"data":[
                      {"name":"promo","language":"tr","status":"APPROVED","category":"MARKETING","id":"9101",
                       "components":[{"type":"BODY","text":"Merhaba, indirim var"}]},
                      {"name":"kargo","language":"tr","status":"APPROVED","category":"UTILITY","id":"9102",
                       "components":[{"type":"BODY","text":"Kargonuz yolda"}]},
                      {"name":"kod","language":"tr","status":"APPROVED","category":"AUTHENTICATION","id":"9103",
                       "components":[{"type":"BODY","text":"Kodunuz hazır"}]}],
                     "paging":{"cursors":{"before":"a","after":"b"}}}""")));
    }

    private static void stubAcceptedAny(String phoneNumberId) {
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .post(urlEqualTo("/v23.0/" + phoneNumberId + "/messages"))
            .willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody(
                        """
                                {"messaging_product":"whatsapp","messages":[{"id":"wamid.{{randomValue length=24 type='ALPHANUMERIC'}}"}]}""")));
    }

}
