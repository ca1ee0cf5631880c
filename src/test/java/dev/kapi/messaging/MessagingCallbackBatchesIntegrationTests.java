package dev.kapi.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meta's status callbacks arriving together (issue 31): many signed callbacks at once are
 * written in shared transactions, and still every status reaches its message, at the time
 * Meta reported, once.
 */
class MessagingCallbackBatchesIntegrationTests extends MessagingTestSupport {

    private static final long DELIVERED = 1_700_000_000L;

    private static final long READ = 1_700_100_000L;

    @Test
    void manyCallbacksAtOnceThenEveryStatusIsAppliedOnceAndNoneIsLost() throws Exception {
        int messages = 120;
        TestUser user = newUserWithCredits(messages + 10L);
        long queue = queue(user, draft(user, "Merhaba"), List.of(sender(user)), List.of(groupOf(user, messages, 806)),
                List.of());
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();
        List<String> ids = wamidsOf(queue);
        assertThat(ids).hasSize(messages);

        List<String> delivered = new ArrayList<>();
        List<String> read = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            delivered.add(callbackOf(ids.get(i), "delivered", DELIVERED + i));
            // Meta's retries: each read callback twice, at the same time.
            read.add(callbackOf(ids.get(i), "read", READ + i));
            read.add(callbackOf(ids.get(i), "read", READ + i));
        }

        assertThat(postAll(delivered)).isEqualTo(messages);
        assertThat(postAll(read)).as("a read callback sent twice is applied once").isEqualTo(messages);

        for (int i = 0; i < messages; i++) {
            Map<String, Object> row = jdbc
                .sql("SELECT status, delivered_at, read_at FROM messaging_messages WHERE provider_message_id = :id")
                .param("id", ids.get(i))
                .query()
                .singleRow();
            assertThat(row.get("status")).isEqualTo("read");
            assertThat(instant(row.get("delivered_at"))).isEqualTo(Instant.ofEpochSecond(DELIVERED + i));
            assertThat(instant(row.get("read_at"))).isEqualTo(Instant.ofEpochSecond(READ + i));
        }
        assertThat(count(queueOf(user, queue), "read")).isEqualTo(messages);
    }

    @Test
    void oneCallbackWithSeveralStatusesOfOneMessageThenEachKeepsItsOwnTime() {
        TestUser user = newUserWithCredits(10);
        long queue = queue(user, draft(user, "Selam"), List.of(sender(user)), List.of(),
                List.of(customer(user, "05559100801", "Bir"), customer(user, "05559100802", "İki")));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();
        List<String> ids = wamidsOf(queue);
        String one = ids.get(0);
        String two = ids.get(1);

        // Out of order, in one payload: read before delivered, and a failure of the
        // second message after it was read in the same payload.
        Map<String, Object> answer = signed(
                """
                        {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                          "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"x"},
                          "statuses":[%s,%s,%s,%s,{"id":"%s","status":"failed","timestamp":"1700000300",
                            "errors":[{"code":131026,"title":"Message undeliverable"}]}]}}]}]}"""
                    .formatted(status(one, "read", DELIVERED + 200), status(one, "delivered", DELIVERED + 100),
                            status(two, "delivered", DELIVERED + 100), status(two, "read", DELIVERED + 200), two));

        assertThat(answer).containsEntry("statuses_applied", 4);
        Map<String, Object> first = jdbc
            .sql("SELECT status, delivered_at, read_at FROM messaging_messages WHERE provider_message_id = :id")
            .param("id", one)
            .query()
            .singleRow();
        assertThat(first.get("status")).isEqualTo("read");
        assertThat(instant(first.get("delivered_at"))).isEqualTo(Instant.ofEpochSecond(DELIVERED + 100));
        assertThat(instant(first.get("read_at"))).isEqualTo(Instant.ofEpochSecond(DELIVERED + 200));
        assertThat(jdbc.sql("SELECT status FROM messaging_messages WHERE provider_message_id = :id")
            .param("id", two)
            .query(String.class)
            .single()).as("a read message does not fail").isEqualTo("read");
    }

    /**
     * One callback carrying every kind of status for seven messages of a template
     * campaign: billable and free pricing blocks, unpriced statuses, a status repeated,
     * Meta's per-user marketing cap before a late billable callback of the capped send
     * and after a billable one. Each message ends with its own status and pricing block,
     * each billable message is charged exactly once, and Meta's retry of the whole
     * callback changes and charges nothing.
     */
    @Test
    void oneCallbackMixingPricedUnpricedRepeatedAndCappedStatusesThenEachMessageChargedOnceAndItsRetryNothing() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "8231", 7, null);
        start(campaign);
        worker.drain();
        List<String> w = wamidsOf(campaign.queue());
        assertThat(w).hasSize(7).doesNotContainNull();
        String billable = pricing(true, "marketing", "regular");
        String free = pricing(false, "marketing", "free_entry_point");
        String body = """
                {"object":"whatsapp_business_account","entry":[{"id":"8231","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"pn-8231"},
                  "statuses":[%s]}}]}]}"""
            .formatted(String.join(",",
                    // billable sent and delivered, then read without a block
                    priced(w.get(0), "sent", DELIVERED, billable),
                    priced(w.get(0), "delivered", DELIVERED + 1, billable), status(w.get(0), "read", DELIVERED + 2),
                    // delivered free of charge
                    priced(w.get(1), "delivered", DELIVERED, free),
                    // a billable delivered twice (Meta's retry inside one callback)
                    priced(w.get(2), "delivered", DELIVERED, billable),
                    priced(w.get(2), "delivered", DELIVERED, billable),
                    // the marketing cap
                    capped(w.get(3), DELIVERED),
                    // the marketing cap, then a late billable sent of the capped send
                    capped(w.get(4), DELIVERED), priced(w.get(4), "sent", DELIVERED - 1, billable),
                    // read, with no pricing block yet
                    status(w.get(5), "read", DELIVERED),
                    // billable sent, then the marketing cap: the charge stands
                    priced(w.get(6), "sent", DELIVERED, billable), capped(w.get(6), DELIVERED + 1)));

        assertThat(signed(body)).containsEntry("statuses_applied", 8);

        List<Map<String, Object>> messages = list(user, "/api/messaging/queues/" + campaign.queue() + "/messages");
        assertThat(messages).extracting(m -> m.get("status"))
            .containsExactly("read", "delivered", "delivered", "deferred", "deferred", "read", "deferred");
        Map<String, Object> billed = Map.of("billable", true, "pricing_model", "PMP", "category", "marketing", "type",
                "regular");
        assertThat(messages).extracting(m -> m.get("pricing"))
            .containsExactly(billed, Map.of("billable", false, "pricing_model", "PMP", "category", "marketing", "type",
                    "free_entry_point"), billed, null, null, null, billed);
        List<Long> ids = messages.stream().map(m -> ((Number) m.get("id")).longValue()).toList();
        Map<Long, Long> charged = chargesOf(campaign.queue());
        assertThat(charged).as("one charge each for the billable messages only")
            .isEqualTo(Map.of(ids.get(0), 1L, ids.get(2), 1L, ids.get(6), 1L));
        int held = ((Number) messages.getFirst().get("credits_held")).intValue();
        Map<String, Object> usage = get(user, "/users/me/credits/usage?period=yearly", 200);
        assertThat(usage.get("by_category")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
            .singleElement()
            .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsEntry("category", "marketing")
            .containsEntry("spent", 3 * held);
        long balance = credits.balanceOf(user.id()).credit();

        assertThat(signed(body)).as("Meta's retry of the whole callback").containsEntry("statuses_applied", 0);
        assertThat(chargesOf(campaign.queue())).isEqualTo(charged);
        assertThat(list(user, "/api/messaging/queues/" + campaign.queue() + "/messages")).isEqualTo(messages);
        assertThat(get(user, "/users/me/credits/usage?period=yearly", 200)).isEqualTo(usage);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(balance);
    }

    @Test
    void aBearerTokenOnTheCallbackRouteThenStillUnsignedAndNothingMoves() {
        TestUser user = newUserWithCredits(10);
        long queue = queue(user, draft(user, "Selam"), List.of(sender(user)), List.of(),
                List.of(customer(user, "05559100803", "Üç")));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();
        String body = callbackOf(wamidsOf(queue).getFirst(), "read", READ);

        as(user.token()).post()
            .uri("/api/messaging/webhooks/whatsapp")
            .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:webhook-signature-invalid");
        as(user.token()).post()
            .uri("/api/messaging/webhooks/whatsapp")
            .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
            .header("X-Hub-Signature-256", "sha256=" + "0".repeat(64))
            .body(body)
            .exchange()
            .expectStatus()
            .isUnauthorized();

        assertThat(count(queueOf(user, queue), "read")).isZero();
        assertThat(signed(body)).containsEntry("statuses_applied", 1);
    }

    private List<String> wamidsOf(long queue) {
        return jdbc.sql("SELECT provider_message_id FROM messaging_messages WHERE queue_id = :q ORDER BY id")
            .param("q", queue)
            .query(String.class)
            .list();
    }

    private static String status(String wamid, String status, long at) {
        return """
                {"id":"%s","status":"%s","timestamp":"%d","recipient_id":"905550000000"}""".formatted(wamid, status,
                at);
    }

    private static String pricing(boolean billable, String category, String type) {
        return """
                {"billable":%s,"pricing_model":"PMP","category":"%s","type":"%s"}""".formatted(billable, category,
                type);
    }

    private static String priced(String wamid, String status, long at, String pricing) {
        return """
                {"id":"%s","status":"%s","timestamp":"%d","recipient_id":"905550000000","pricing":%s}"""
            .formatted(wamid, status, at, pricing);
    }

    /** Meta's per-user marketing cap (131049) as a failed status. */
    private static String capped(String wamid, long at) {
        return """
                {"id":"%s","status":"failed","timestamp":"%d","recipient_id":"905550000000",
                 "errors":[{"code":131049,"title":"This message was not delivered to maintain healthy ecosystem engagement.",
                            "error_data":{"details":"Meta chose not to deliver"}}]}"""
            .formatted(wamid, at);
    }

    /** How many charges each charged message of the queue has. */
    private Map<Long, Long> chargesOf(long queue) {
        Map<Long, Long> charges = new java.util.HashMap<>();
        jdbc.sql("SELECT message_id, count(*) AS n FROM messaging_charges WHERE queue_id = :q GROUP BY message_id")
            .param("q", queue)
            .query(rs -> {
                charges.put(rs.getLong("message_id"), rs.getLong("n"));
            });
        return charges;
    }

    private static String callbackOf(String wamid, String status, long at) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"x"},
                  "statuses":[%s]}}]}]}"""
            .formatted(status(wamid, status, at));
    }

    private static Instant instant(Object column) {
        return column instanceof java.time.OffsetDateTime offset ? offset.toInstant()
                : ((java.sql.Timestamp) column).toInstant();
    }

    /**
     * POSTs every callback signed, from 32 clients at once; each must be answered 200.
     * Returns the statuses applied in all.
     */
    private long postAll(List<String> bodies) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        java.util.concurrent.Semaphore clients = new java.util.concurrent.Semaphore(32);
        List<Future<Long>> calls = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String body : bodies) {
                clients.acquire();
                calls.add(executor.submit(() -> {
                    try {
                        HttpResponse<String> response = http.send(HttpRequest
                            .newBuilder(URI.create("http://localhost:" + port + "/api/messaging/webhooks/whatsapp"))
                            .header("Content-Type", "application/json")
                            .header("X-Hub-Signature-256", "sha256=" + hmacOf(body))
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(), HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                        return Long.parseLong(response.body().replaceAll(".*\"statuses_applied\":(\\d+).*", "$1"));
                    }
                    finally {
                        clients.release();
                    }
                }));
            }
        }
        long applied = 0;
        for (Future<Long> call : calls) {
            applied += call.get();
        }
        return applied;
    }

}
