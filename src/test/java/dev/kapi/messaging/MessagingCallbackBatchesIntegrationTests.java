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
