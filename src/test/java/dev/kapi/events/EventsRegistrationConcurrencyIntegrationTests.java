package dev.kapi.events;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Capacity holds under concurrent registrations on two instances: the event's row lock in
 * PostgreSQL serializes them, not anything in one JVM.
 */
class EventsRegistrationConcurrencyIntegrationTests extends EventsTestSupport {

    private static final int USERS = 1_000;

    private static final int SEATS = 100;

    @Test
    void registerWhenThousandRaceForHundredSeatsOnTwoInstancesThenExactlyHundredConfirmed() throws Exception {
        String editor = editorToken();
        Instant start = clock.instant().plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.SECONDS);
        long event = id(createEvent(editor,
                Map.of("title", "Popüler Konferans", "start_time", start.toString(), "end_time",
                        start.plus(Duration.ofHours(8)).toString(), "capacity", SEATS, "registration",
                        Map.of("waitlist", true))));
        int otherPort = secondInstance().port();
        List<TestUser> users;
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<TestUser>> made = IntStream.range(0, USERS).mapToObj(i -> pool.submit(this::newUser)).toList();
            users = new ArrayList<>();
            for (Future<TestUser> user : made) {
                users.add(user.get(3, TimeUnit.MINUTES));
            }
        }

        // when: every user registers at once, half through each instance
        List<String> statuses = race(users, otherPort,
                (user, client) -> (String) client.post()
                    .uri("/events/{id}/registrations", event)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of())
                    .exchange()
                    .expectStatus()
                    .isCreated()
                    .expectBody(JSON_OBJECT)
                    .returnResult()
                    .getResponseBody()
                    .get("status"));

        // then
        assertThat(statuses.stream().filter("confirmed"::equals).count()).isEqualTo(SEATS);
        assertThat(statuses.stream().filter("waitlisted"::equals).count()).isEqualTo(USERS - SEATS);
        assertThat(get(users.getFirst(), "/events/" + event, 200)).containsEntry("confirmed", SEATS)
            .containsEntry("waitlisted", USERS - SEATS)
            .containsEntry("seats_left", 0);
        assertThat(rows(event, "confirmed")).isEqualTo(SEATS);

        // when: ten confirmed users cancel at once, on both instances
        List<TestUser> confirmed = IntStream.range(0, USERS)
            .filter(i -> "confirmed".equals(statuses.get(i)))
            .mapToObj(users::get)
            .limit(10)
            .toList();
        List<Long> firstWaiting = jdbc.sql("""
                SELECT account_id FROM event_registrations WHERE event_id = :id AND status = 'waitlisted'
                ORDER BY waitlisted_at, id LIMIT 10""").param("id", event).query(Long.class).list();
        race(confirmed, otherPort,
                (user, client) -> client.delete()
                    .uri("/events/{id}/registrations/me", event)
                    .exchange()
                    .expectStatus()
                    .isNoContent()
                    .returnResult()
                    .getStatus()
                    .toString());

        // then: each promoted exactly one, the first ten of the waiting list
        assertThat(rows(event, "confirmed")).isEqualTo(SEATS);
        assertThat(rows(event, "waitlisted")).isEqualTo(USERS - SEATS - 10);
        assertThat(rows(event, "cancelled")).isEqualTo(10);
        assertThat(jdbc.sql("""
                SELECT account_id FROM event_registrations
                WHERE event_id = :id AND status = 'confirmed' AND account_id IN (:ids)""")
            .param("id", event)
            .param("ids", firstWaiting)
            .query(Long.class)
            .list()).containsExactlyInAnyOrderElementsOf(firstWaiting);
        assertThat(get(users.getFirst(), "/events/" + event, 200)).containsEntry("confirmed", SEATS)
            .containsEntry("waitlisted", USERS - SEATS - 10);
    }

    private interface Call {

        String send(TestUser user, RestTestClient client);

    }

    /**
     * Sends one call per user, all released together, even users through this instance
     * and odd ones through the other; answers in the users' order, bounded in time.
     */
    private List<String> race(List<TestUser> users, int otherPort, Call call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(100)) {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < users.size(); i++) {
                TestUser user = users.get(i);
                int target = i % 2 == 0 ? port : otherPort;
                answers.add(pool.submit(() -> {
                    RestTestClient client = bindToServer().baseUrl("http://localhost:" + target)
                        .defaultHeader("X-Forwarded-For", randomIp())
                        .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + user.token())
                        .build();
                    go.await();
                    return call.send(user, client);
                }));
            }
            go.countDown();
            List<String> results = new ArrayList<>();
            for (Future<String> answer : answers) {
                results.add(answer.get(2, TimeUnit.MINUTES));
            }
            return results;
        }
    }

    private int rows(long event, String status) {
        return jdbc.sql("SELECT count(*) FROM event_registrations WHERE event_id = :id AND status = :status")
            .param("id", event)
            .param("status", status)
            .query(Integer.class)
            .single();
    }

}
