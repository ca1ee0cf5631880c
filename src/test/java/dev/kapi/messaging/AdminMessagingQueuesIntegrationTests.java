package dev.kapi.messaging;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

class AdminMessagingQueuesIntegrationTests extends MessagingTestSupport {

    @Test
    void listWhenAQueueWasSentThenNewestFirstWithItsOwnerAndCounts() {
        TestUser user = newUserWithCredits(10);
        long queue = queue(user, draft(user, "Selam"), List.of(sender(user)), List.of(groupOf(user, 3, 801)),
                List.of());
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();
        TestUser admin = newAdmin();

        List<Map<String, Object>> queues = list(admin, "/api/admin/messaging/queues");

        assertThat(queues.getFirst()).containsEntry("id", (int) queue)
            .containsEntry("user_id", userIdOf(admin, user))
            .containsEntry("status", "completed")
            .containsEntry("total", 3)
            .containsEntry("progress", 1.0)
            .containsEntry("credits_spent", 3)
            .containsKeys("name", "counts", "created_at", "finished_at");
        assertThat(count(queues.getFirst(), "sent")).isEqualTo(3);
        assertThat(count(queues.getFirst(), "failed")).isZero();
    }

    @Test
    void listWhenPagingWithTheCursorThenEveryQueueOnceNewestFirst() {
        TestUser user = newUserWithCredits(1);
        long draft = draft(user, "Selam");
        long sender = sender(user);
        long customer = customer(user, "05558100001", "A");
        long first = queue(user, draft, List.of(sender), List.of(), List.of(customer));
        long second = queue(user, draft, List.of(sender), List.of(), List.of(customer));
        long third = queue(user, draft, List.of(sender), List.of(), List.of(customer));
        String admin = newAdminToken();

        EntityExchangeResult<List<Map<String, Object>>> page1 = page(admin, "/api/admin/messaging/queues?limit=2");
        String next = page1.getResponseHeaders().getFirst("X-Next-Cursor");
        EntityExchangeResult<List<Map<String, Object>>> page2 = page(admin,
                "/api/admin/messaging/queues?limit=2&cursor=" + next);

        assertThat(page1.getResponseBody()).extracting(queue -> queue.get("id"))
            .containsExactly((int) third, (int) second);
        assertThat(page2.getResponseBody().getFirst()).containsEntry("id", (int) first);
    }

    @Test
    void listWhenStatusGivenThenOnlyQueuesOfThatStatus() {
        TestUser user = newUserWithCredits(1);
        long created = queue(user, draft(user, "Selam"), List.of(sender(user)), List.of(),
                List.of(customer(user, "05558200001", "A")));
        TestUser admin = newAdmin();

        List<Map<String, Object>> onlyCreated = list(admin, "/api/admin/messaging/queues?status=created&limit=500");
        List<Map<String, Object>> completed = list(admin, "/api/admin/messaging/queues?status=completed&limit=500");

        assertThat(onlyCreated).extracting(queue -> queue.get("status")).containsOnly("created");
        assertThat(onlyCreated).extracting(queue -> queue.get("id")).contains((int) created);
        assertThat(completed).extracting(queue -> queue.get("id")).doesNotContain((int) created);
    }

    @Test
    void listWhenInputInvalidThenBadRequestNamingTheParameter() {
        TestUser admin = newAdmin();

        assertThat(invalidFields(get(admin, "/api/admin/messaging/queues?status=sent", 400))).containsExactly("status");
        assertThat(get(admin, "/api/admin/messaging/queues?cursor=%21%21", 400)).containsEntry("type",
                "urn:kapi:problem:invalid-cursor");
        assertThat(invalidFields(get(admin, "/api/admin/messaging/queues?limit=0", 400))).containsExactly("limit");
        assertThat(invalidFields(get(admin, "/api/admin/messaging/queues?limit=501", 400))).containsExactly("limit");
        assertThat(invalidFields(get(admin, "/api/admin/messaging/queues?limit=x", 400))).containsExactly("limit");
    }

    @Test
    void listWhenNotAdminThenForbiddenAndWithoutTokenUnauthorized() {
        get(newUser(), "/api/admin/messaging/queues", 403);
        client().get().uri("/api/admin/messaging/queues").exchange().expectStatus().isUnauthorized();
    }

    private EntityExchangeResult<List<Map<String, Object>>> page(String admin, String uri) {
        return as(admin).get().uri(uri).exchange().expectStatus().isOk().expectBody(JSON_ARRAY).returnResult();
    }

    @SuppressWarnings("unchecked")
    private String userIdOf(TestUser admin, TestUser user) {
        Map<String, Object> found = as(admin.token()).get()
            .uri("/api/admin/users?search={q}", user.email())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        return (String) ((List<Map<String, Object>>) found.get("data")).getFirst().get("userId");
    }

}
