package dev.kapi.admin;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of {@code mvn verify}: {@code mvn test -Dtest=AdminListBenchmark} fills the
 * embedded PostgreSQL with 1,000,000 accounts and times seed 004's admin list over real
 * HTTP, one request after another, printing p50/p95 per query and the plan PostgreSQL
 * chose for the search.
 */
@TestPropertySource(properties = "kapi.rate-limits.enabled=false")
class AdminListBenchmark extends IntegrationTest {

    private static final int USERS = 1_000_000;

    private static final int WARM_UP = 300;

    private static final int RUNS = 300;

    @Autowired
    JdbcClient jdbc;

    @Test
    void adminListAtAMillionUsers() throws Exception {
        String admin = newAdminToken();
        long start = System.nanoTime();
        load();
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        long deepId = jdbc.sql("SELECT id FROM accounts ORDER BY id OFFSET :deep LIMIT 1")
            .param("deep", USERS / 2)
            .query(Long.class)
            .single();
        String deepCursor = Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(Long.toString(deepId).getBytes(StandardCharsets.UTF_8));

        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("first page (50)", "/api/admin/users");
        queries.put("cursor, 500,000 deep", "/api/admin/users?cursor=" + deepCursor);
        queries.put("search, common surname", "/api/admin/users?search=YILMAZ");
        queries.put("search, one user's email", "/api/admin/users?search=user777777%40");
        queries.put("search, accents folded", "/api/admin/users?search=sukru");
        queries.put("userType=editor (5%)", "/api/admin/users?userType=editor");
        queries.put("userType=admin (0.1%)", "/api/admin/users?userType=admin");

        for (String search : new String[] { "yilmaz", "user777777@", "sukru" }) {
            System.out.println("\n== EXPLAIN search " + search + "\n" + String.join("\n", jdbc
                .sql("EXPLAIN (ANALYZE, COSTS OFF) SELECT id FROM accounts WHERE search_text LIKE '%' || kapi_fold(:q) "
                        + "|| '%' AND id > 0 ORDER BY id LIMIT 51")
                .param("q", search)
                .query(String.class)
                .list()));
        }

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        StringBuilder table = new StringBuilder(
                String.format("%n%,d accounts loaded and analysed in %.0f s%n%n", USERS, loadSeconds));
        table.append("| query | p50 ms | p95 ms | rows |\n|---|---|---|---|\n");
        for (Map.Entry<String, String> query : queries.entrySet()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + query.getValue()))
                .header("Authorization", "Bearer " + admin)
                .build();
            int rows = 0;
            for (int i = 0; i < WARM_UP; i++) {
                rows = rows(http.send(request, HttpResponse.BodyHandlers.ofString()));
            }
            long[] nanos = new long[RUNS];
            for (int i = 0; i < RUNS; i++) {
                long begin = System.nanoTime();
                rows(http.send(request, HttpResponse.BodyHandlers.ofString()));
                nanos[i] = System.nanoTime() - begin;
            }
            Arrays.sort(nanos);
            table.append(String.format("| %s | %.2f | %.2f | %d |%n", query.getKey(), nanos[RUNS / 2] / 1e6,
                    nanos[(int) Math.ceil(RUNS * 0.95) - 1] / 1e6, rows));
            assertThat(rows).as(query.getKey()).isPositive();
        }
        System.out.println(table);
    }

    /**
     * A million accounts in one statement: Turkish names, 0.1% admins, 5% editors, 10%
     * viewers.
     */
    private void load() {
        String hash = jdbc.sql("SELECT password_hash FROM accounts ORDER BY id LIMIT 1").query(String.class).single();
        jdbc.sql("""
                INSERT INTO accounts (public_id, username, email, full_name, name, surname, user_type_id, password_hash,
                                      created_at, updated_at)
                SELECT md5(g::text || 'kapi'), 'user' || g, 'user' || g || '@example.com', n.name || ' ' || n.surname,
                       n.name, n.surname,
                       CASE WHEN g % 1000 = 0 THEN 1 WHEN g % 20 = 1 THEN 2 WHEN g % 10 = 2 THEN 3 ELSE 4 END,
                       :hash, now(), now()
                FROM generate_series(1, :count) g
                CROSS JOIN LATERAL (SELECT
                    (ARRAY['Ayşe', 'Mehmet', 'Fatma', 'Mustafa', 'Emine', 'Ahmet', 'Hatice', 'Ali', 'Zeynep', 'Hüseyin',
                           'Elif', 'Hasan', 'Şükrü', 'İbrahim', 'Özge', 'Çağla', 'Gökhan', 'Ümit', 'Derya', 'Burak'])
                           [1 + (hashint4(g) & 2147483647) % 20] AS name,
                    (ARRAY['Yılmaz', 'Kaya', 'Demir', 'Şahin', 'Çelik', 'Yıldız', 'Yıldırım', 'Öztürk', 'Aydın',
                           'Özdemir', 'Arslan', 'Doğan', 'Kılıç', 'Aslan', 'Çetin', 'Kara', 'Koç', 'Kurt', 'Özkan',
                           'Şimşek', 'Polat', 'Güneş', 'Erdoğan', 'Tekin', 'Aksoy', 'Uçar', 'Bulut', 'Ünal', 'Işık',
                           'Gül', 'Ateş', 'Bozkurt', 'Keskin', 'Avcı', 'Sarı', 'Tuncer', 'Akın', 'Karaca', 'Erdem',
                           'Taş'])[1 + (hashint4(g + 1) & 2147483647) % 40] AS surname) n
                """).param("hash", hash).param("count", USERS).update();
        jdbc.sql("VACUUM ANALYZE accounts").update();
    }

    private static int rows(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().split("\"userId\"", -1).length - 1;
    }

}
