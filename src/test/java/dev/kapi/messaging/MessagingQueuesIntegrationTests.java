package dev.kapi.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kapi.messaging.queue.Message;

import static org.assertj.core.api.Assertions.assertThat;

class MessagingQueuesIntegrationTests extends MessagingTestSupport {

    @Test
    @SuppressWarnings("unchecked")
    void preflightThenCountsRecipientsAfterDedupBlacklistAndGraylistAndMissingVariables() {
        TestUser user = newUserWithCredits(3);
        long a = id(post(user, "/api/messaging/customers",
                Map.of("phone", "05557000001", "name", "A", "fields", Map.of("city", "Rize")), 201));
        long b = customer(user, "05557000002", "B");
        long c = customer(user, "05557000003", "C");
        long d = customer(user, "05557000004", "D");
        long group = group(user, "Hepsi", List.of(a, b, c));
        post(user, "/api/messaging/blacklist", Map.of("customer_id", c), 201);
        post(user, "/api/messaging/graylist", Map.of("customer_id", d), 201);
        long queue = queue(user, draft(user, "Merhaba {{name}} ({{city}})"), List.of(sender(user)), List.of(group),
                List.of(a, d));

        Map<String, Object> preflight = get(user, "/api/messaging/queues/" + queue + "/preflight", 200);

        assertThat(preflight).containsEntry("selected", 4)
            .containsEntry("blacklisted", 1)
            .containsEntry("graylisted", 1)
            .containsEntry("graylist_skipped", 0)
            .containsEntry("recipients", 3)
            .containsEntry("credits_needed", 3)
            .containsEntry("credits_available", 3)
            .containsEntry("enough_credits", true)
            .containsEntry("missing_variables", Map.of("city", 2));
        assertThat(((Number) preflight.get("estimated_duration_seconds")).longValue()).isGreaterThanOrEqualTo(0);
        Map<String, Object> created = queueOf(user, queue);
        assertThat(created).containsEntry("status", "created")
            .containsEntry("body", "Merhaba {{name}} ({{city}})")
            .containsEntry("total", 0);
        assertThat((Map<String, Object>) created.get("counts")).containsKeys("pending", "sent", "failed");
    }

    @Test
    void startThenEveryRecipientSentOnceAndOneCreditSpentPerMessage() {
        TestUser user = newUserWithCredits(10);
        long group = groupOf(user, 5, 701);
        long queue = queue(user, draft(user, "Merhaba {{name}}"), List.of(sender(user)), List.of(group), List.of());

        Map<String, Object> started = post(user, "/api/messaging/queues/" + queue + "/start", 200);
        assertThat(started).containsEntry("status", "running")
            .containsEntry("total", 5)
            .containsEntry("credits_held", 5);
        assertThat(count(started, "pending")).isEqualTo(5);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(5);
        assertThat(started.get("estimated_finish")).isNotNull();

        worker.drain();

        Map<String, Object> done = queueOf(user, queue);
        assertThat(done).containsEntry("status", "completed")
            .containsEntry("progress", 1.0)
            .containsEntry("credits_held", 0)
            .containsEntry("credits_spent", 5);
        assertThat(count(done, "sent")).isEqualTo(5);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(5);
        List<Map<String, Object>> messages = list(user, "/api/messaging/queues/" + queue + "/messages");
        assertThat(messages).hasSize(5).allSatisfy(message -> {
            assertThat(message).containsEntry("status", "sent").containsEntry("attempts", 1);
            assertThat(simulator.timesSent(Message.idempotencyKey(id(message)))).isEqualTo(1);
        });
        assertThat(post(user, "/api/messaging/queues/" + queue + "/start", 409)).containsEntry("type",
                "urn:kapi:problem:queue-not-startable");
    }

    @Test
    void startWhenCreditsShortThenConflictAndNothingExpandedOrSpent() {
        TestUser user = newUserWithCredits(2);
        long queue = queue(user, draft(user, "Selam"), List.of(sender(user)), List.of(groupOf(user, 3, 702)),
                List.of());

        assertThat(post(user, "/api/messaging/queues/" + queue + "/start", 409)).containsEntry("type",
                "urn:kapi:problem:insufficient-credits");

        assertThat(queueOf(user, queue)).containsEntry("status", "created").containsEntry("total", 0);
        assertThat(count(queueOf(user, queue), "pending")).isZero();
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(2);
    }

    @Test
    void failedRecipientsThenListedWithReasonsRefundedAndNotRetriedWhenFinal() {
        TestUser user = newUserWithCredits(5);
        long ok = customer(user, "05557030001", "Var");
        long unreachable = customer(user, "05557030000", "Yok");
        long queue = queue(user, draft(user, "Selam"), List.of(sender(user)), List.of(), List.of(ok, unreachable));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        worker.drain();

        List<Map<String, Object>> failed = list(user, "/api/messaging/queues/" + queue + "/messages?status=failed");
        assertThat(failed).singleElement()
            .satisfies(message -> assertThat(message).containsEntry("phone", "+905557030000")
                .containsEntry("customer_id", (int) unreachable)
                .containsEntry("error_code", "131026")
                .containsEntry("retryable", false)
                .containsEntry("error_reason", "Message undeliverable: the number is not on WhatsApp"));
        assertThat(queueOf(user, queue)).containsEntry("status", "completed").containsEntry("credits_spent", 1);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(4);
        Map<String, Object> retried = post(user, "/api/messaging/queues/" + queue + "/retry-failed", 200);
        assertThat(retried).containsEntry("status", "completed");
        assertThat(count(retried, "failed")).isEqualTo(1);
        assertThat(invalidFields(get(user, "/api/messaging/queues/" + queue + "/messages?status=lost", 400)))
            .containsExactly("status");
    }

    @Test
    void pauseResumeAndCancelThenPendingNeverSentAndItsCreditsRefunded() {
        TestUser user = newUserWithCredits(10);
        long sender = sender(user, Map.of("rate_per_second", 1));
        long queue = queue(user, draft(user, "Selam"), List.of(sender), List.of(groupOf(user, 4, 703)), List.of());
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        worker.sendFor(sender);
        assertThat(count(queueOf(user, queue), "sent")).isEqualTo(1);
        assertThat(post(user, "/api/messaging/queues/" + queue + "/pause", 200)).containsEntry("status", "paused");
        clock.advance(Duration.ofSeconds(5));
        worker.runOnce();
        assertThat(count(queueOf(user, queue), "sent")).isEqualTo(1);
        assertThat(post(user, "/api/messaging/queues/" + queue + "/resume", 200)).containsEntry("status", "running");
        worker.sendFor(sender);
        assertThat(count(queueOf(user, queue), "sent")).isEqualTo(2);

        Map<String, Object> cancelled = post(user, "/api/messaging/queues/" + queue + "/cancel", 200);

        assertThat(cancelled).containsEntry("status", "cancelled")
            .containsEntry("credits_spent", 2)
            .containsEntry("credits_held", 0);
        assertThat(count(cancelled, "cancelled")).isEqualTo(2);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(8);
        clock.advance(Duration.ofSeconds(5));
        worker.drain();
        assertThat(count(queueOf(user, queue), "sent")).isEqualTo(2);
        assertThat(post(user, "/api/messaging/queues/" + queue + "/cancel", 409)).containsEntry("type",
                "urn:kapi:problem:queue-ended");
        assertThat(post(user, "/api/messaging/queues/" + queue + "/resume", 409)).containsEntry("type",
                "urn:kapi:problem:queue-not-paused");
    }

    @Test
    void pacingWhenRateSetThenTheTokenBucketNeverLetsMoreThroughThanTheRate() {
        TestUser user = newUserWithCredits(100);
        long sender = sender(user, Map.of("rate_per_second", 10));
        long queue = queue(user, draft(user, "Selam"), List.of(sender), List.of(groupOf(user, 30, 704)), List.of());
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        int burst = worker.sendFor(sender);
        int again = worker.sendFor(sender);
        clock.advance(Duration.ofMillis(300));
        int afterThreeTenths = worker.sendFor(sender);

        assertThat(burst).isEqualTo(4);
        assertThat(again).isZero();
        assertThat(afterThreeTenths).isEqualTo(3);
    }

    @Test
    void dailyCapsAndSendingHoursThenSendingWaitsForTheNextDayOrWindow() {
        TestUser user = newUserWithCredits(100);
        long sender = sender(user, Map.of("daily_cap", 3));
        long queue = queue(user, draft(user, "Selam"), List.of(sender), List.of(groupOf(user, 5, 705)), List.of());
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        worker.drain();
        assertThat(count(queueOf(user, queue), "sent")).isEqualTo(3);

        java.time.LocalTime local = clock.instant().atZone(java.time.ZoneId.of("Europe/Istanbul")).toLocalTime();
        java.time.LocalTime from = local.plusHours(2).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        Duration untilWindow = Duration.between(local, from);
        if (untilWindow.isNegative()) {
            untilWindow = untilWindow.plusDays(1);
        }
        put(user, "/users/me/automation-settings",
                Map.of("sending_hours_start", from.toString(), "sending_hours_end", from.plusHours(1).toString()), 200);
        clock.advance(Duration.ofDays(1));
        user = again(user);
        worker.drain();
        assertThat(count(queueOf(user, queue), "sent")).isEqualTo(3);

        clock.advance(untilWindow.plusMinutes(30));
        user = again(user);
        worker.drain();
        assertThat(count(queueOf(user, queue), "sent")).isEqualTo(5);
        assertThat(queueOf(user, queue)).containsEntry("status", "completed");
    }

    @Test
    void graylistWhenSlowThenSpreadByItsDelayAndWhenSkipThenNeverSent() {
        TestUser user = newUserWithCredits(100);
        long a = customer(user, "05557060001", "Gri 1");
        long b = customer(user, "05557060002", "Gri 2");
        long c = customer(user, "05557060003", "Normal");
        post(user, "/api/messaging/graylist", Map.of("customer_id", a), 201);
        post(user, "/api/messaging/graylist", Map.of("customer_id", b), 201);
        put(user, "/users/me/automation-settings", Map.of("graylist_delay_seconds", 600), 200);
        long sender = sender(user);
        long slow = queue(user, draft(user, "Selam"), List.of(sender), List.of(), List.of(a, b, c));
        post(user, "/api/messaging/queues/" + slow + "/start", 200);

        worker.drain();
        assertThat(count(queueOf(user, slow), "sent")).isEqualTo(2);
        clock.advance(Duration.ofMinutes(10));
        worker.drain();
        assertThat(count(queueOf(user, slow), "sent")).isEqualTo(3);

        put(user, "/users/me/automation-settings", Map.of("graylist_mode", "skip"), 200);
        long skipping = queue(user, draft(user, "Selam"), List.of(sender), List.of(), List.of(a, b, c));
        assertThat(get(user, "/api/messaging/queues/" + skipping + "/preflight", 200))
            .containsEntry("graylist_skipped", 2)
            .containsEntry("recipients", 1);
        post(user, "/api/messaging/queues/" + skipping + "/start", 200);
        worker.drain();
        Map<String, Object> done = queueOf(user, skipping);
        assertThat(count(done, "sent")).isEqualTo(1);
        assertThat(count(done, "skipped")).isEqualTo(2);
        assertThat(done).containsEntry("credits_spent", 1).containsEntry("status", "completed");
    }

    @Test
    void numberBlacklistedAfterStartThenSkippedAndNotCharged() {
        TestUser user = newUserWithCredits(10);
        long a = customer(user, "05557080001", "A");
        long b = customer(user, "05557080002", "B");
        long queue = queue(user, draft(user, "Selam"), List.of(sender(user)), List.of(), List.of(a, b));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        post(user, "/api/messaging/blacklist", Map.of("customer_id", b, "reason", "istemiyor"), 201);
        worker.drain();

        Map<String, Object> done = queueOf(user, queue);
        assertThat(count(done, "sent")).isEqualTo(1);
        assertThat(count(done, "skipped")).isEqualTo(1);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(9);
    }

    @Test
    void scheduledQueueThenStartsWhenItsTimeComesButNotWhileTheAccountIsFrozen() {
        TestUser user = newUserWithCredits(10);
        String at = clock.instant().plus(Duration.ofHours(1)).toString();
        long queue = id(post(user, "/api/messaging/queues", Map.of("draft_id", draft(user, "Yarın"), "sender_ids",
                List.of(sender(user)), "customer_ids", List.of(customer(user, "05557090001", "A")), "scheduled_at", at),
                201));

        assertThat(post(user, "/api/messaging/queues/" + queue + "/start", 200)).containsEntry("status", "scheduled");
        worker.drain();
        assertThat(count(queueOf(user, queue), "sent")).isZero();
        post(user, "/users/me/freeze", 200);
        clock.advance(Duration.ofHours(2));
        user = again(user);
        worker.drain();
        assertThat(queueOf(user, queue)).containsEntry("status", "scheduled");
        assertThat(post(user, "/api/messaging/queues/" + queue + "/pause", 403)).containsEntry("type",
                "urn:kapi:problem:account-frozen");
        assertThat(put(user, "/users/me/automation-settings", Map.of("delay_ms", 10), 403)).containsEntry("type",
                "urn:kapi:problem:account-frozen");

        post(user, "/users/me/unfreeze", 200);
        worker.drain();
        assertThat(queueOf(user, queue)).containsEntry("status", "completed");
    }

    @Test
    void createQueueWhenReferencesInvalidThenBadRequestNamingTheField() {
        TestUser user = newUser();
        long draft = draft(user, "Selam");
        long sender = sender(user);
        long customer = customer(user, "05557100001", "A");

        assertThat(invalidFields(post(user, "/api/messaging/queues", Map.of("draft_id", draft), 400)))
            .containsExactly("sender_ids");
        assertThat(invalidFields(
                post(user, "/api/messaging/queues", Map.of("draft_id", draft, "sender_ids", List.of(sender)), 400)))
            .containsExactly("group_ids");
        assertThat(invalidFields(post(user, "/api/messaging/queues",
                Map.of("draft_id", draft, "sender_ids", List.of(987654321L), "customer_ids", List.of(customer)), 400)))
            .containsExactly("sender_ids");
        assertThat(
                invalidFields(
                        post(user, "/api/messaging/queues",
                                Map.of("draft_id", draft, "sender_ids", List.of(sender), "customer_ids",
                                        List.of(customer), "scheduled_at", "yarın"),
                                400)))
            .containsExactly("scheduled_at");
        assertThat(list(user, "/api/messaging/queues")).isEmpty();
    }

}
