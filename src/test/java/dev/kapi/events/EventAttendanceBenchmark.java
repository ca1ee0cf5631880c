package dev.kapi.events;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of {@code mvn verify}:
 * {@code mvn -Pbenchmark test -Dtest=EventAttendanceBenchmark} times issue 33's two heavy
 * paths over real HTTP: registrations racing for one popular event (each takes the
 * event's row lock, so they queue behind one another), and the public calendar feed of
 * 10,000 events rendered by ical4j.
 */
@TestPropertySource(properties = { "kapi.rate-limits.enabled=false", "kapi.events.calendar.max-events=10000" })
class EventAttendanceBenchmark extends EventsTestSupport {

    private static final int USERS = 2_000;

    private static final int SEATS = 1_000;

    private static final int CLIENTS = 64;

    private static final int FEED_EVENTS = 10_000;

    @Test
    void registrationsOnOnePopularEventAndTheFeedOfTenThousandEvents() throws Exception {
        String editor = editorToken();
        Instant start = clock.instant().plus(Duration.ofDays(30)).truncatedTo(ChronoUnit.SECONDS);
        long event = id(createEvent(editor,
                Map.of("title", "Çok Popüler", "start_time", start.toString(), "end_time",
                        start.plus(Duration.ofHours(3)).toString(), "capacity", SEATS, "registration",
                        Map.of("waitlist", true))));
        List<String> tokens = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
            List<Future<String>> made = IntStream.range(0, USERS)
                .mapToObj(i -> pool.submit(this::newUserToken))
                .toList();
            for (Future<String> token : made) {
                tokens.add(token.get(5, TimeUnit.MINUTES));
            }
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CountDownLatch go = new CountDownLatch(1);
        long[] nanos = new long[USERS];
        long began;
        try (ExecutorService pool = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                int index = i;
                answers.add(pool.submit(() -> {
                    go.await();
                    long sent = System.nanoTime();
                    int status = http
                        .send(HttpRequest.newBuilder(uri("/events/" + event + "/registrations"))
                            .header("Authorization", "Bearer " + tokens.get(index))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                    nanos[index] = System.nanoTime() - sent;
                    return status;
                }));
            }
            began = System.nanoTime();
            go.countDown();
            for (Future<Integer> answer : answers) {
                assertThat(answer.get(5, TimeUnit.MINUTES)).isEqualTo(201);
            }
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        Arrays.sort(nanos);
        assertThat(get(new TestUser(editor, 0, null), "/events/" + event, 200)).containsEntry("confirmed", SEATS)
            .containsEntry("waitlisted", USERS - SEATS);

        int category = freshCategory(editor);
        jdbc.sql("""
                INSERT INTO events (title, slug, description, location, start_time, end_time, category_id,
                                    created_at, updated_at, visibility, attendance, timezone)
                SELECT 'Takvim etkinliği ' || g, 'feed-bench-' || g, 'Açıklama ' || g, 'İstanbul',
                       :start + g * interval '1 hour', :start + g * interval '1 hour' + interval '90 minutes',
                       :category, now(), now(), 'public', true,
                       CASE WHEN g % 3 = 0 THEN 'Europe/Berlin' ELSE 'Europe/Istanbul' END
                FROM generate_series(1, :count) g
                """)
            .param("start", dev.kapi.shared.SqlTime.utc(clock.instant()))
            .param("category", category)
            .param("count", FEED_EVENTS)
            .update();
        HttpRequest feed = HttpRequest.newBuilder(uri("/events/feed.ics?category_id=" + category)).build();
        String body = http.send(feed, HttpResponse.BodyHandlers.ofString()).body();
        assertThat(body.split("BEGIN:VEVENT", -1)).hasSize(FEED_EVENTS + 1);
        for (int i = 0; i < 5; i++) {
            http.send(feed, HttpResponse.BodyHandlers.discarding());
        }
        int runs = 20;
        long[] feedNanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long sent = System.nanoTime();
            http.send(feed, HttpResponse.BodyHandlers.ofString());
            feedNanos[i] = System.nanoTime() - sent;
        }
        Arrays.sort(feedNanos);

        System.out.printf("%n| measure | value |%n|---|---|%n");
        System.out.printf("| %,d registrations for %,d seats, %d clients at once | %.0f registrations/s |%n", USERS,
                SEATS, CLIENTS, USERS / seconds);
        System.out.printf("| one registration under that contention, p50 / p95 | %.1f / %.1f ms |%n",
                nanos[USERS / 2] / 1e6, nanos[(int) Math.ceil(USERS * 0.95) - 1] / 1e6);
        System.out.printf("| feed of %,d events (%,d KB), p50 / p95 | %.0f / %.0f ms |%n", FEED_EVENTS,
                body.length() / 1024, feedNanos[runs / 2] / 1e6, feedNanos[(int) Math.ceil(runs * 0.95) - 1] / 1e6);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

}
