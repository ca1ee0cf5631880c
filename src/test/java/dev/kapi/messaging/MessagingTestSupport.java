package dev.kapi.messaging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kapi.messaging.sending.MessageSender;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import dev.kapi.messaging.sending.Simulator;
import dev.kapi.plans.Credits;
import dev.kapi.support.IntegrationTest;

/**
 * Helpers of the messaging tests: users with credits, and their senders, customers,
 * groups, drafts and queues.
 */
abstract class MessagingTestSupport extends IntegrationTest {

    @Autowired
    Credits credits;

    @Autowired
    MessageSender worker;

    @Autowired
    Simulator simulator;

    @Autowired
    JdbcClient jdbc;

    TestUser newUserWithCredits(long amount) {
        TestUser user = newUser();
        credits.load(user.id(), amount, "test", null);
        return user;
    }

    long sender(TestUser user) {
        return sender(user, Map.of());
    }

    long sender(TestUser user, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Ana hat", "phone", "0532 000 00 01"));
        body.putAll(extra);
        return id(post(user, "/api/messaging/senders", body, 201));
    }

    long customer(TestUser user, String phone, String name) {
        return id(post(user, "/api/messaging/customers", Map.of("phone", phone, "name", name), 201));
    }

    long group(TestUser user, String name, List<Long> customerIds) {
        long group = id(post(user, "/api/messaging/groups", Map.of("name", name), 201));
        if (!customerIds.isEmpty()) {
            post(user, "/api/messaging/groups/" + group + "/customers", Map.of("customer_ids", customerIds), 200);
        }
        return group;
    }

    long draft(TestUser user, String body) {
        return id(post(user, "/api/messaging/drafts", Map.of("name", "Kampanya", "body", body), 201));
    }

    /** {@code count} customers with numbers +90555{base}nnnn, in one group. */
    long groupOf(TestUser user, int count, int base) {
        StringBuilder csv = new StringBuilder("phone,name,city\n");
        for (int i = 0; i < count; i++) {
            csv.append(String.format("0555%03d%04d,Müşteri %d,İzmir%n", base, i + 1, i + 1));
        }
        as(user.token()).post()
            .uri("/api/messaging/customers/import")
            .contentType(MediaType.valueOf("text/csv"))
            .body(csv.toString())
            .exchange()
            .expectStatus()
            .isOk();
        List<Long> ids = new ArrayList<>(
                jdbc.sql("SELECT id FROM messaging_customers WHERE owner_id = :owner AND phone LIKE :prefix")
                    .param("owner", user.id())
                    .param("prefix", String.format("+90555%03d%%", base))
                    .query(Long.class)
                    .list());
        return group(user, "Grup " + base + " " + System.nanoTime(), ids);
    }

    long queue(TestUser user, long draft, List<Long> senders, List<Long> groups, List<Long> customers) {
        return id(post(user, "/api/messaging/queues",
                Map.of("draft_id", draft, "sender_ids", senders, "group_ids", groups, "customer_ids", customers), 201));
    }

    Map<String, Object> queueOf(TestUser user, long queue) {
        return get(user, "/api/messaging/queues/" + queue, 200);
    }

    /**
     * Each number (E.164 digits without +) writes a text to the WhatsApp number
     * {@code phoneNumberId} through the signed webhook, opening its 24-hour service
     * window.
     */
    void customersWrote(String phoneNumberId, String... from) {
        StringBuilder messages = new StringBuilder();
        for (String number : from) {
            messages.append(messages.isEmpty() ? "" : ",")
                .append("""
                        {"from":"%s","id":"wamid.in-%s","timestamp":"1700000000","type":"text","text":{"body":"Merhaba"}}"""
                    .formatted(number, java.util.UUID.randomUUID()));
        }
        String body = """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"%s"},
                  "messages":[%s]}}]}]}"""
            .formatted(phoneNumberId, messages);
        client().post()
            .uri("/api/messaging/webhooks/whatsapp")
            .contentType(MediaType.APPLICATION_JSON)
            .header("X-Hub-Signature-256", "sha256=" + hmacOf(body))
            .body(body)
            .exchange()
            .expectStatus()
            .isOk();
    }

    /**
     * Meta's word that each message (its wamid) was sent and is billable in the category
     * Kapı held it in (its template's, service for a free text; marketing for a wamid
     * Kapı does not know): a signed status callback with a pricing block, which charges
     * the message (issue 31).
     */
    void billed(String... wamids) {
        StringBuilder statuses = new StringBuilder();
        for (String wamid : wamids) {
            String category = jdbc.sql("""
                    SELECT CASE WHEN q.template_name IS NULL THEN 'service'
                                ELSE coalesce(q.template_category, 'marketing') END
                    FROM messaging_messages m JOIN messaging_queues q ON q.id = m.queue_id
                    WHERE m.provider_message_id = :wamid
                    """).param("wamid", wamid).query(String.class).optional().orElse("marketing");
            statuses.append(statuses.isEmpty() ? "" : ",")
                .append("""
                        {"id":"%s","status":"sent","timestamp":"1700000000","recipient_id":"905550000000",
                         "pricing":{"billable":true,"pricing_model":"PMP","category":"%s","type":"regular"}}"""
                    .formatted(wamid, category));
        }
        String body = """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"x"},
                  "statuses":[%s]}}]}]}"""
            .formatted(statuses);
        signed(body);
    }

    /**
     * Meta's billable callback for every message of the queue that has a wamid (sent so
     * far), then a worker round, in which an ended queue settles its credits.
     */
    void billedAll(long queue) {
        String[] wamids = jdbc
            .sql("SELECT provider_message_id FROM messaging_messages WHERE queue_id = :id "
                    + "AND provider_message_id IS NOT NULL")
            .param("id", queue)
            .query(String.class)
            .list()
            .toArray(String[]::new);
        if (wamids.length > 0) {
            billed(wamids);
        }
        worker.drain();
    }

    /** A callback from Meta, signed with the app secret; its answer (200 expected). */
    Map<String, Object> signed(String body) {
        return client().post()
            .uri("/api/messaging/webhooks/whatsapp")
            .contentType(MediaType.APPLICATION_JSON)
            .header("X-Hub-Signature-256", "sha256=" + hmacOf(body))
            .body(body)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    static String hmacOf(String body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(
                    "test-whatsapp-app-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of()
                .formatHex(mac.doFinal(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        catch (java.security.GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    static long count(Map<String, Object> queue, String status) {
        return ((Number) ((Map<String, Object>) queue.get("counts")).get(status)).longValue();
    }

    /** The approved marketing template of {@link #campaign}. */
    static final String TEMPLATE = "yaz_kampanyasi";

    /** A template campaign of one WhatsApp Cloud sender, made but not started. */
    record Campaign(TestUser user, String phoneNumberId, long sender, long queue) {
    }

    void start(Campaign campaign) {
        post(campaign.user(), "/api/messaging/queues/" + campaign.queue() + "/start", 200);
    }

    /**
     * A sender of business account {@code waba} (paced at {@code rate} per second, or
     * not), its approved marketing template synced from Meta, and a queue of it to
     * {@code recipients} customers; Meta accepts every send.
     */
    Campaign campaign(TestUser user, String waba, int recipients, Double rate) {
        String phoneNumberId = "pn-" + waba;
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .get(urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
            .willReturn(okJson("""
                    {"data":[{"name":"%s","language":"tr","status":"APPROVED","category":"MARKETING","id":"77%s",
                              "components":[{"type":"BODY","text":"Yaz indirimi başladı!"}]}]}""".formatted(TEMPLATE,
                    waba))));
        acceptEverySend(phoneNumberId);
        Map<String, Object> fields = new java.util.HashMap<>(Map.of("provider", "whatsapp_cloud", "phone_number_id",
                phoneNumberId, "access_token", "EAAG-cloud-token", "waba_id", waba));
        if (rate != null) {
            fields.put("rate_per_second", rate);
        }
        long sender = sender(user, fields);
        as(user.token()).post()
            .uri("/api/messaging/senders/" + sender + "/templates/sync")
            .exchange()
            .expectStatus()
            .isOk();
        long draft = id(post(user, "/api/messaging/drafts", Map.of("name", "Yaz", "template",
                Map.of("name", TEMPLATE, "language", "tr", "body_parameters", List.of())), 201));
        List<Long> customers = new ArrayList<>();
        for (int i = 1; i <= recipients; i++) {
            customers.add(customer(user, String.format("0555%s%03d", waba.substring(0, 4), i), "K" + i));
        }
        long queue = id(post(user, "/api/messaging/queues",
                Map.of("draft_id", draft, "sender_ids", List.of(sender), "customer_ids", customers), 201));
        return new Campaign(user, phoneNumberId, sender, queue);
    }

    static void acceptEverySend(String phoneNumberId) {
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .post(urlEqualTo("/v23.0/" + phoneNumberId + "/messages"))
            .willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("""
                        {"messaging_product":"whatsapp","messages":[{"id":"wamid.{{randomValue type='UUID'}}"}]}""")));
    }

    static void refuseEverySend(String phoneNumberId, int code, String title) {
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .post(urlEqualTo("/v23.0/" + phoneNumberId + "/messages"))
            .willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"error":{"message":"(#%d) %s","type":"OAuthException","code":%d,
                         "error_data":{"messaging_product":"whatsapp","details":"%s"},"fbtrace_id":"Ab1"}}"""
                    .formatted(code, title, code, title))));
    }

}
