package dev.kapi.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.kapi.messaging.queue.Message;
import dev.kapi.messaging.queue.QueueMessages;
import dev.kapi.messaging.sending.MessageSender;
import dev.kapi.messaging.sending.Provider;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class MessagingSenderIntegrationTests extends MessagingTestSupport {

    @Test
    void senderKilledMidQueueThenAfterRecoveryEveryRecipientIsSentExactlyOnce() {
        // given a running queue of 40
        TestUser user = newUserWithCredits(100);
        long sender = sender(user);
        long queue = queue(user, draft(user, "Merhaba {{name}}"), List.of(sender), List.of(groupOf(user, 40, 801)),
                List.of());
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        // when a worker claims them all, hands 15 to the provider and dies before
        // recording anything
        MessageSender.Batch batch = worker.claim(sender);
        assertThat(batch.messages()).hasSize(40);
        for (QueueMessages.Claimed message : batch.messages().subList(0, 15)) {
            assertThat(worker.begin(message)).isEqualTo(1);
            simulator.send(batch.sender(),
                    new Provider.Outgoing(Message.idempotencyKey(message.id()), message.phone(), "Merhaba"));
        }
        worker.drain();
        // only the 15 handed over are in sending; the other 25 wait, claimed, until the
        // dead worker's lease ends
        assertThat(count(queueOf(user, queue), "sending")).isEqualTo(15);
        assertThat(count(queueOf(user, queue), "pending")).isEqualTo(25);
        clock.advance(Duration.ofMinutes(2).plusSeconds(1));
        worker.drain();

        // then the 15 are recorded from the provider's memory, the 25 sent now, none
        // twice
        Map<String, Object> done = queueOf(user, queue);
        assertThat(done).containsEntry("status", "completed").containsEntry("credits_spent", 40);
        assertThat(count(done, "sent")).isEqualTo(40);
        List<Long> ids = jdbc.sql("SELECT id FROM messaging_messages WHERE queue_id = :queue")
            .param("queue", queue)
            .query(Long.class)
            .list();
        assertThat(ids).hasSize(40)
            .allSatisfy(id -> assertThat(simulator.timesSent(Message.idempotencyKey(id))).isEqualTo(1));
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(60);
    }

    @Test
    void twoWorkersAtOnceOnTheSameQueueThenNoMessageIsSentTwice() throws Exception {
        TestUser user = newUserWithCredits(2_000);
        List<Long> senders = List.of(sender(user), sender(user), sender(user));
        long queue = queue(user, draft(user, "Selam"), senders, List.of(groupOf(user, 1_500, 802)), List.of());
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> workers = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < 2; i++) {
                workers.add(threads.submit(() -> {
                    go.await();
                    int done = 0;
                    while (unfinished(queue) > 0) {
                        for (long sender : senders) {
                            done += worker.sendFor(sender);
                        }
                    }
                    return done;
                }));
            }
            go.countDown();
        }
        worker.drain();

        int total = 0;
        for (Future<Integer> done : workers) {
            total += done.get();
        }
        assertThat(total).isEqualTo(1_500);
        List<Long> ids = jdbc.sql("SELECT id FROM messaging_messages WHERE queue_id = :queue")
            .param("queue", queue)
            .query(Long.class)
            .list();
        assertThat(ids).hasSize(1_500)
            .allSatisfy(id -> assertThat(simulator.timesSent(Message.idempotencyKey(id))).isEqualTo(1));
        assertThat(count(queueOf(user, queue), "sent")).isEqualTo(1_500);
        assertThat(queueOf(user, queue)).containsEntry("status", "completed").containsEntry("credits_spent", 1_500);
        assertThat(jdbc.sql("SELECT count(DISTINCT sender_id) FROM messaging_messages WHERE queue_id = :queue")
            .param("queue", queue)
            .query(Long.class)
            .single()).isGreaterThan(1);
    }

    @Test
    void sendersWhenCreatedWithAnAccessTokenThenItIsSealedAndNeverReturned() {
        TestUser user = newUser();

        Map<String, Object> created = post(user, "/api/messaging/senders",
                Map.of("name", "Kurumsal", "phone", "0212 555 00 11", "provider", "whatsapp_cloud", "phone_number_id",
                        "106540352242922", "access_token", "EAAG-very-secret", "rate_per_second", 20, "daily_cap",
                        1000),
                201);

        assertThat(created).containsEntry("provider", "whatsapp_cloud")
            .containsEntry("phone", "+902125550011")
            .containsEntry("phone_number_id", "106540352242922")
            .containsEntry("has_access_token", true)
            .containsEntry("rate_per_second", 20.0)
            .containsEntry("daily_cap", 1000)
            .containsEntry("status", "active")
            .doesNotContainKey("access_token");
        assertThat(((Map<?, ?>) created.get("circuit")).get("open")).isEqualTo(false);
        String stored = jdbc.sql("SELECT access_token FROM messaging_senders WHERE id = :id")
            .param("id", id(created))
            .query(String.class)
            .single();
        assertThat(stored).startsWith("v1:").doesNotContain("very-secret");
        assertThat(as(user.token()).get()
            .uri("/api/messaging/senders")
            .exchange()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody()).doesNotContain("very-secret").doesNotContain(stored);
        assertThat(invalidFields(post(user, "/api/messaging/senders",
                Map.of("name", "Eksik", "phone", "02125550012", "provider", "whatsapp_cloud", "phone_number_id", "1"),
                400)))
            .containsExactly("access_token");
        assertThat(invalidFields(post(user, "/api/messaging/senders",
                Map.of("name", "Kötü", "phone", "02125550012", "provider", "telegram"), 400)))
            .containsExactly("provider");
        Map<String, Object> simulator = post(user, "/api/messaging/senders",
                Map.of("name", "Deneme", "phone", "05320000002"), 201);
        assertThat(simulator).containsEntry("provider", "simulator")
            .containsEntry("has_access_token", false)
            .containsEntry("rate_per_second", null);
        assertThat(put(user, "/api/messaging/senders/" + id(simulator),
                Map.of("status", "paused", "rate_per_second", 5), 200))
            .containsEntry("status", "paused")
            .containsEntry("rate_per_second", 5.0)
            .containsEntry("name", "Deneme");
        assertThat(list(user, "/api/messaging/senders")).extracting(IntegrationTest::id)
            .containsExactly(id(created), id(simulator));
    }

    @Test
    void senderWhenAQueueMayStillUseItThenCannotBeDeleted() {
        TestUser user = newUserWithCredits(10);
        long sender = sender(user, Map.of("status", "paused"));
        long queue = queue(user, draft(user, "Selam"), List.of(sender), List.of(),
                List.of(customer(user, "05558000001", "A")));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        assertThat(as(user.token()).delete()
            .uri("/api/messaging/senders/" + sender)
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).containsEntry("type", "urn:kapi:problem:sender-in-use");
        worker.drain();
        assertThat(count(queueOf(user, queue), "pending")).isEqualTo(1);
        post(user, "/api/messaging/queues/" + queue + "/cancel", 200);
        as(user.token()).delete().uri("/api/messaging/senders/" + sender).exchange().expectStatus().isNoContent();
        get(user, "/api/messaging/senders/" + sender, 404);
    }

    @Test
    void automationSettingsThenDefaultsUntilChangedAndInvalidValuesNamed() {
        TestUser user = newUser();

        assertThat(get(user, "/users/me/automation-settings", 200)).containsEntry("delay_ms", 0)
            .containsEntry("time_zone", "Europe/Istanbul")
            .containsEntry("graylist_mode", "slow")
            .containsEntry("sending_hours_start", null)
            .containsEntry("opt_out_words", List.of("STOP", "DUR", "istemiyorum", "iptal"));
        Map<String, Object> changed = put(user, "/users/me/automation-settings",
                Map.of("delay_ms", 1500, "jitter_ms", 500, "sending_hours_start", "09:00", "sending_hours_end", "21:30",
                        "time_zone", "Europe/Berlin", "daily_cap", 250, "opt_out_words", List.of("STOP", "İptal")),
                200);
        assertThat(changed).containsEntry("delay_ms", 1500)
            .containsEntry("jitter_ms", 500)
            .containsEntry("sending_hours_start", "09:00")
            .containsEntry("sending_hours_end", "21:30")
            .containsEntry("time_zone", "Europe/Berlin")
            .containsEntry("daily_cap", 250)
            .containsEntry("opt_out_words", List.of("STOP", "İptal"));
        assertThat(get(user, "/users/me/automation-settings", 200)).isEqualTo(changed);
        assertThat(invalidFields(put(user, "/users/me/automation-settings", Map.of("time_zone", "Mars/Olympus"), 400)))
            .containsExactly("time_zone");
        assertThat(invalidFields(put(user, "/users/me/automation-settings",
                Map.of("sending_hours_start", "9am", "sending_hours_end", "21:00"), 400)))
            .containsExactly("sending_hours_start");
        assertThat(invalidFields(
                put(user, "/users/me/automation-settings", Map.of("delay_ms", -1, "graylist_mode", "maybe"), 400)))
            .containsExactlyInAnyOrder("delay_ms", "graylist_mode");
        assertThat(put(user, "/users/me/automation-settings",
                Map.of("daily_cap", 0, "sending_hours_start", "", "sending_hours_end", ""), 200))
            .containsEntry("daily_cap", null)
            .containsEntry("sending_hours_start", null);
    }

    @Test
    void creditUsageThenSpentCreditsPerMonthAndYearFromTheLedger() {
        TestUser user = newUserWithCredits(10);
        long queue = queue(user, draft(user, "Selam"), List.of(sender(user)), List.of(groupOf(user, 3, 803)),
                List.of());
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();
        String month = clock.instant().toString().substring(0, 7);

        assertThat(get(user, "/users/me/credits/usage?period=monthly", 200)).containsEntry("period", "monthly")
            .containsEntry("usage", List.of(Map.of("period", month, "spent", 3)))
            .containsEntry("total", 3);
        assertThat(get(user, "/users/me/credits/usage?period=yearly", 200)).containsEntry("usage",
                List.of(Map.of("period", month.substring(0, 4), "spent", 3)));
        assertThat(invalidFields(get(user, "/users/me/credits/usage?period=weekly", 400))).containsExactly("period");
        assertThat(get(newUser(), "/users/me/credits/usage", 200)).containsEntry("usage", List.of())
            .containsEntry("total", 0);
    }

    private long unfinished(long queue) {
        return jdbc
            .sql("SELECT count(*) FROM messaging_messages WHERE queue_id = :queue AND status IN ('pending', 'sending')")
            .param("queue", queue)
            .query(Long.class)
            .single();
    }

}
