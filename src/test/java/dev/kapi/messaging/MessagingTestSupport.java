package dev.kapi.messaging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kapi.plans.Credits;
import dev.kapi.support.IntegrationTest;

/** Helpers of the messaging tests: users with credits, and their senders, customers, groups, drafts and queues. */
abstract class MessagingTestSupport extends IntegrationTest {

    @Autowired
    Credits credits;

    @Autowired
    MessageSender worker;

    @Autowired
    Simulator simulator;

    @Autowired
    JdbcClient jdbc;

    /** A signed-in user, its account id and email. */
    record User(String token, long id, String email) {
    }

    /** The user signed in again: needed after the clock moved past the access token's 30 minutes. */
    User again(User user) {
        return new User(login(user.email()), user.id(), user.email());
    }

    User newUser() {
        String email = registerUser();
        String token = login(email);
        Map<String, Object> me = as(token).get().uri("/users/me").exchange().expectStatus().isOk()
                .expectBody(JSON_OBJECT).returnResult().getResponseBody();
        return new User(token, ((Number) me.get("id")).longValue(), email);
    }

    User newUserWithCredits(long amount) {
        User user = newUser();
        credits.load(user.id(), amount, "test", null);
        return user;
    }

    Map<String, Object> post(User user, String path, Object body, int status) {
        return as(user.token()).post().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).exchange()
                .expectStatus().isEqualTo(status).expectBody(JSON_OBJECT).returnResult().getResponseBody();
    }

    Map<String, Object> post(User user, String path, int status) {
        return as(user.token()).post().uri(path).exchange().expectStatus().isEqualTo(status).expectBody(JSON_OBJECT)
                .returnResult().getResponseBody();
    }

    Map<String, Object> put(User user, String path, Object body, int status) {
        return as(user.token()).put().uri(path).contentType(MediaType.APPLICATION_JSON).body(body).exchange()
                .expectStatus().isEqualTo(status).expectBody(JSON_OBJECT).returnResult().getResponseBody();
    }

    Map<String, Object> get(User user, String path, int status) {
        return as(user.token()).get().uri(path).exchange().expectStatus().isEqualTo(status).expectBody(JSON_OBJECT)
                .returnResult().getResponseBody();
    }

    List<Map<String, Object>> list(User user, String path) {
        return as(user.token()).get().uri(path).exchange().expectStatus().isOk()
                .expectBody(new org.springframework.core.ParameterizedTypeReference<List<Map<String, Object>>>() {
                }).returnResult().getResponseBody();
    }

    long sender(User user) {
        return sender(user, Map.of());
    }

    long sender(User user, Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "Ana hat", "phone", "0532 000 00 01"));
        body.putAll(extra);
        return id(post(user, "/api/messaging/senders", body, 201));
    }

    long customer(User user, String phone, String name) {
        return id(post(user, "/api/messaging/customers", Map.of("phone", phone, "name", name), 201));
    }

    long group(User user, String name, List<Long> customerIds) {
        long group = id(post(user, "/api/messaging/groups", Map.of("name", name), 201));
        if (!customerIds.isEmpty()) {
            post(user, "/api/messaging/groups/" + group + "/customers", Map.of("customer_ids", customerIds), 200);
        }
        return group;
    }

    long draft(User user, String body) {
        return id(post(user, "/api/messaging/drafts", Map.of("name", "Kampanya", "body", body), 201));
    }

    /** {@code count} customers with numbers +90555{base}nnnn, in one group. */
    long groupOf(User user, int count, int base) {
        StringBuilder csv = new StringBuilder("phone,name,city\n");
        for (int i = 0; i < count; i++) {
            csv.append(String.format("0555%03d%04d,Müşteri %d,İzmir%n", base, i + 1, i + 1));
        }
        as(user.token()).post().uri("/api/messaging/customers/import").contentType(MediaType.valueOf("text/csv"))
                .body(csv.toString()).exchange().expectStatus().isOk();
        List<Long> ids = new ArrayList<>(jdbc.sql("SELECT id FROM messaging_customers WHERE owner_id = :owner AND phone LIKE :prefix")
                .param("owner", user.id()).param("prefix", String.format("+90555%03d%%", base)).query(Long.class).list());
        return group(user, "Grup " + base + " " + System.nanoTime(), ids);
    }

    long queue(User user, long draft, List<Long> senders, List<Long> groups, List<Long> customers) {
        return id(post(user, "/api/messaging/queues", Map.of("draft_id", draft, "sender_ids", senders,
                "group_ids", groups, "customer_ids", customers), 201));
    }

    Map<String, Object> queueOf(User user, long queue) {
        return get(user, "/api/messaging/queues/" + queue, 200);
    }

    @SuppressWarnings("unchecked")
    static long count(Map<String, Object> queue, String status) {
        return ((Number) ((Map<String, Object>) queue.get("counts")).get(status)).longValue();
    }

    static long id(Map<String, Object> body) {
        return ((Number) body.get("id")).longValue();
    }

    @SuppressWarnings("unchecked")
    static List<String> invalidFields(Map<String, Object> problem) {
        return ((List<Map<String, Object>>) problem.get("errors")).stream().map(error -> (String) error.get("field"))
                .toList();
    }
}
