package dev.kapi.events;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.shared.SqlTime;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of {@code mvn verify}: {@code mvn -Pbenchmark test} fills the embedded
 * PostgreSQL with 1,000,000 events over 50 categories, then times the list queries of
 * issue 5 over real HTTP, one client after another, and prints p50/p95 per query together
 * with the plans PostgreSQL chose for them.
 */
@TestPropertySource(properties = "kapi.rate-limits.enabled=false")
class EventSearchBenchmark extends EventsTestSupport {

    private static final int EVENTS = 1_000_000;

    private static final int WARM_UP = 50;

    private static final int RUNS = 200;

    @Autowired
    Events events;

    @Autowired
    SearchTerms searchTerms;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void listQueriesAtAMillionEvents() throws Exception {
        TestUser author = newUserOfType("editor");
        String editor = author.token();
        long loading = System.nanoTime();
        load(author.id());
        long loaded = System.nanoTime() - loading;

        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("first page", "/events");
        queries.put("skip=9000", "/events?skip=9000");
        queries.put("cursor, 500,000 events deep", "/events?cursor=" + deepCursor());
        queries.put("search, one word", "/events?search=istanbul");
        queries.put("search, two words", "/events?search=" + encode("yazılım konferansı"));
        queries.put("search, misspelled", "/events?search=kubernets");
        queries.put("search, rare word (0.1%)", "/events?search=123");
        queries.put("category + upcoming", "/events?category_id=7&status=upcoming");

        explain("search, one word", "istanbul");
        explain("search, two words", "yazılım konferansı");
        explain("search, misspelled", "kubernets");
        explain("search, rare word", "123");

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // The server's JIT compiler needs a few thousand requests before the first
        // measured one.
        for (int round = 0; round < 10; round++) {
            for (String path : queries.values()) {
                for (int i = 0; i < WARM_UP; i++) {
                    http.send(get(path, editor), HttpResponse.BodyHandlers.discarding());
                }
            }
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format("%n%,d events over 50 categories loaded and analysed in %.0f s%n%n", EVENTS,
                loaded / 1e9));
        table.append(String.format("| %-30s | %8s | %8s | %5s |%n", "query", "p50 ms", "p95 ms", "rows"));
        table.append(String.format("|%s|%s|%s|%s|%n", "-".repeat(32), "-".repeat(10), "-".repeat(10), "-".repeat(7)));
        for (Map.Entry<String, String> query : queries.entrySet()) {
            HttpRequest request = get(query.getValue(), editor);
            int rows = 0;
            for (int i = 0; i < WARM_UP; i++) {
                rows = rows(http.send(request, HttpResponse.BodyHandlers.ofString()));
            }
            long[] nanos = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long start = System.nanoTime();
                rows(http.send(request, HttpResponse.BodyHandlers.ofString()));
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            table.append(String.format("| %-30s | %8.2f | %8.2f | %5d |%n", query.getKey(), nanos[RUNS / 2] / 1e6,
                    nanos[(int) Math.ceil(RUNS * 0.95) - 1] / 1e6, rows));
            assertThat(rows).as(query.getKey()).isEqualTo(10);
        }
        System.out.println(table);
    }

    /**
     * Generated in the database in one statement: titles and descriptions from Turkish
     * word lists.
     */
    private void load(long author) {
        jdbc.sql("""
                INSERT INTO event_categories (name, created_at, updated_at)
                SELECT 'Benchmark ' || g, now(), now() FROM generate_series(1, 50) g
                """).update();
        jdbc.sql("""
                INSERT INTO events (title, slug, description, location, start_time, end_time, category_id,
                                    created_by, created_at, updated_at)
                SELECT t.title, 'bench-' || g, t.description, c.city, s.start_time,
                       s.start_time + make_interval(hours => 1 + g % 8),
                       (SELECT min(id) FROM event_categories WHERE name LIKE 'Benchmark %') + g % 50,
                       :author, s.start_time - interval '30 days', s.start_time - interval '30 days'
                FROM generate_series(1, :count) g
                CROSS JOIN LATERAL (SELECT (ARRAY['İstanbul', 'Ankara', 'İzmir', 'Bursa', 'Antalya', 'Eskişehir',
                        'Konya', 'Trabzon', 'Gaziantep', 'Çanakkale', 'Diyarbakır', 'Kayseri', 'Mersin', 'Samsun',
                        'Edirne', 'Muğla', 'Bodrum', 'Kadıköy', 'Beşiktaş', 'Üsküdar'])[1 + (g * 7) % 20] AS city) c
                CROSS JOIN LATERAL (SELECT timestamptz '2020-01-01' + make_interval(
                        mins => (hashint4(g) & 2147483647) % (60 * 24 * 365 * 12)) AS start_time) s
                CROSS JOIN LATERAL (
                    SELECT (ARRAY['Yazılım', 'Müzik', 'Tasarım', 'Girişimcilik', 'Yapay Zekâ', 'Veri Bilimi',
                                  'Fotoğrafçılık', 'Edebiyat', 'Tiyatro', 'Sinema', 'Bulut', 'Güvenlik', 'Mobil',
                                  'Oyun', 'Robotik', 'Blokzincir', 'Pazarlama', 'Sağlık', 'Eğitim', 'Spor'])
                                  [1 + (hashint4(g + 1) & 2147483647) % 20]
                           || ' ' || (ARRAY['Konferansı', 'Çalıştayı', 'Buluşması', 'Atölyesi', 'Zirvesi',
                                  'Festivali', 'Semineri', 'Paneli', 'Kampı', 'Gecesi'])
                                  [1 + (hashint4(g + 2) & 2147483647) % 10]
                           || ' ' || c.city AS title,
                           c.city || ' şehrinde ' || (ARRAY['katılımcılar', 'uzmanlar', 'öğrenciler',
                                  'geliştiriciler', 'sanatçılar', 'girişimciler', 'araştırmacılar', 'tasarımcılar'])
                                  [1 + (hashint4(g + 3) & 2147483647) % 8]
                           || ' ' || (ARRAY['deneyimlerini', 'projelerini', 'fikirlerini', 'çalışmalarını',
                                  'hikâyelerini'])[1 + (hashint4(g + 4) & 2147483647) % 5]
                           || ' paylaşıyor. ' || (ARRAY['Ücretsiz', 'Kayıtlı', 'Açık', 'Çevrimiçi', 'Hibrit'])
                                  [1 + (hashint4(g + 5) & 2147483647) % 5]
                           || ' etkinlik; konu ' || (ARRAY['kubernetes', 'postgresql', 'spring', 'react', 'kotlin',
                                  'python', 'rust', 'golang', 'flutter', 'swift', 'tensorflow', 'figma', 'unity',
                                  'arduino', 'solidity', 'seo', 'docker', 'linux', 'java', 'typescript'])
                                  [1 + (hashint4(g + 6) & 2147483647) % 20]
                           || ' ve ' || (ARRAY['mimari', 'performans', 'ölçekleme', 'test', 'güvenlik',
                                  'erişilebilirlik', 'otomasyon', 'gözlemlenebilirlik'])
                                  [1 + (hashint4(g + 7) & 2147483647) % 8]
                           || ' #' || g % 997 AS description) t
                """).param("author", author).param("count", EVENTS).update();
        jdbc.sql("VACUUM ANALYZE events").update();
        jdbc.sql("VACUUM ANALYZE event_search_terms").update();
    }

    /** The cursor a client would hold after paging through half of the events. */
    private String deepCursor() {
        return jdbc.sql("SELECT id, start_time FROM events ORDER BY start_time, id OFFSET :deep LIMIT 1")
            .param("deep", EVENTS / 2)
            .query((rs,
                    row) -> new EventCursor(EventSort.START_TIME, false, rs.getLong("id"),
                            SqlTime.instant(rs, "start_time").toString())
                        .encode())
            .single();
    }

    /**
     * Prints the plans of the statements a search runs, and fails if any reads the event
     * table whole.
     */
    private void explain(String name, String search) {
        EventQuery query = new EventQuery(searchTerms.resolve(search).orElseThrow().tsquery(), null, EventStatus.ALL,
                EventSort.START_TIME, false, false, null, 0, 10, Instant.now());
        List<String> plans = new ArrayList<>();
        plans.add(plan(events.boundedSearchPage(query, 5_000), false));
        plans.add(plan(events.indexedSearchPage(query), true));
        System.out.printf(
                "%n== %s (%s) -> tsquery %s%n-- walk the sort index, bounded to 5,000 rows here:%n%s%n"
                        + "-- full-text index only (the fallback when the walk does not fill the page):%n%s%n",
                name, search, query.tsquery(), plans.get(0), plans.get(1));
        assertThat(plans).noneMatch(plan -> plan.contains("Seq Scan on events"));
    }

    private String plan(Events.PageStatement statement, boolean indexOnly) {
        return transactions.execute(status -> {
            if (indexOnly) {
                jdbc.sql("SET LOCAL enable_indexscan = off").update();
                jdbc.sql("SET LOCAL enable_indexonlyscan = off").update();
            }
            return String.join("\n",
                    jdbc.sql("EXPLAIN (ANALYZE, COSTS OFF, BUFFERS OFF) " + statement.sql())
                        .params(statement.params())
                        .query(String.class)
                        .list());
        });
    }

    private HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("Authorization", "Bearer " + token)
            .GET()
            .build();
    }

    private static int rows(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().split("\"slug\"", -1).length - 1;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

}
