package dev.kapi.messaging;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of {@code mvn verify}:
 * {@code mvn test -Dtest=MessagingBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * expands a 1,000,000-recipient queue over HTTP, sends all of it through the simulator
 * with pacing off (two workers, four accounts), then runs a paced queue against the wall
 * clock and compares each account's rate with its configured one.
 */
@TestPropertySource(properties = "kapi.rate-limits.enabled=false")
class MessagingBenchmark extends MessagingTestSupport {

    private static final int RECIPIENTS = 1_000_000;

    private static final int WORKERS = 2;

    @Test
    void expandAMillionRecipientsSendThemAtFullSpeedAndHoldThePacedRates() throws Exception {
        TestUser user = newUserWithCredits(RECIPIENTS + 100_000L);
        long loading = System.nanoTime();
        jdbc.sql("""
                INSERT INTO messaging_customers (owner_id, phone, name, fields, created_at, updated_at)
                SELECT :owner, '+90555' || lpad(g::text, 7, '0'), 'Müşteri ' || g,
                       jsonb_build_object('city', (ARRAY['İzmir', 'Ankara', 'Van'])[g % 3 + 1]), now(), now()
                FROM generate_series(1, :n) g
                """).param("owner", user.id()).param("n", RECIPIENTS).update();
        jdbc.sql("INSERT INTO messaging_custom_fields (owner_id, name) VALUES (:owner, 'city')")
            .param("owner", user.id())
            .update();
        long group = id(post(user, "/api/messaging/groups", Map.of("name", "Herkes"), 201));
        jdbc.sql(
                "INSERT INTO messaging_group_members (group_id, customer_id) SELECT :group, id FROM messaging_customers WHERE owner_id = :owner")
            .param("group", group)
            .param("owner", user.id())
            .update();
        jdbc.sql("VACUUM ANALYZE messaging_customers").update();
        jdbc.sql("VACUUM ANALYZE messaging_group_members").update();
        double loaded = (System.nanoTime() - loading) / 1e9;

        List<Long> senders = List.of(sender(user), sender(user), sender(user), sender(user));
        long queue = queue(user, draft(user, "Merhaba {{name}}, {{city}} şubemizde kampanya var!"), senders,
                List.of(group), List.of());
        long expanding = System.nanoTime();
        HttpResponse<String> started = HttpClient.newHttpClient()
            .send(HttpRequest
                .newBuilder(URI.create("http://localhost:" + port + "/api/messaging/queues/" + queue + "/start"))
                .header("Authorization", "Bearer " + user.token())
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofMinutes(5))
                .build(), HttpResponse.BodyHandlers.ofString());
        double expanded = (System.nanoTime() - expanding) / 1e9;
        assertThat(started.statusCode()).as(started.body()).isEqualTo(200);

        long sending = System.nanoTime();
        List<Future<Integer>> rounds = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(WORKERS)) {
            for (int i = 0; i < WORKERS; i++) {
                rounds.add(threads.submit(() -> {
                    int done = 0;
                    while (unfinished(queue) > 0) {
                        done += worker.runOnce();
                    }
                    return done;
                }));
            }
        }
        int sent = 0;
        for (Future<Integer> round : rounds) {
            sent += round.get();
        }
        double sendSeconds = (System.nanoTime() - sending) / 1e9;
        worker.drain();
        System.out.printf("%n%,d messages handled in %.1f s%n", sent, sendSeconds);
        Map<String, Object> done = queueOf(user, queue);
        // The simulator answers "not on WhatsApp" for numbers ending in 0000: one in
        // 10,000.
        assertThat(count(done, "sent")).isEqualTo(RECIPIENTS - RECIPIENTS / 10_000);
        assertThat(count(done, "failed")).isEqualTo(RECIPIENTS / 10_000);
        assertThat(jdbc.sql("SELECT count(DISTINCT provider_message_id) FROM messaging_messages WHERE queue_id = :q")
            .param("q", queue)
            .query(Long.class)
            .single()).isEqualTo(RECIPIENTS - RECIPIENTS / 10_000);
        assertThat(done).containsEntry("status", "completed");

        String paced = pacedRun(user);

        System.out.printf("%n%,d customers loaded in %.1f s%n", RECIPIENTS, loaded);
        System.out.printf("expansion of a %,d-recipient queue (POST /start over HTTP, credits reserved): %.1f s%n",
                RECIPIENTS, expanded);
        System.out.printf(
                "sending through the simulator, pacing off, %d workers, 4 accounts: %,d messages in %.1f s = %,.0f msg/s%n",
                WORKERS, sent, sendSeconds, sent / sendSeconds);
        System.out.print(paced);
        assertThat(expanded).isLessThan(30);
        assertThat(sent / sendSeconds).isGreaterThanOrEqualTo(2_000);
    }

    /**
     * Two accounts at 50 and 200 messages/s send one queue against the wall clock (the
     * test clock follows it), the worker polling every 200 ms as in production; each
     * account's rate is measured over 20 s after a 2 s warm-up.
     */
    private String pacedRun(TestUser user) throws Exception {
        long slow = sender(user, Map.of("rate_per_second", 50));
        long fast = sender(user, Map.of("rate_per_second", 200));
        long group = id(post(user, "/api/messaging/groups", Map.of("name", "Ölçülü"), 201));
        jdbc.sql("""
                INSERT INTO messaging_group_members (group_id, customer_id)
                SELECT :group, id FROM messaging_customers WHERE owner_id = :owner ORDER BY id LIMIT 20000
                """).param("group", group).param("owner", user.id()).update();
        long queue = queue(user, draft(user, "Selam {{name}}"), List.of(slow, fast), List.of(group), List.of());
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        long startNanos = System.nanoTime();
        long last = startNanos;
        Map<Long, Long> atWarm = null;
        long warmNanos = 0;
        while (System.nanoTime() - startNanos < Duration.ofSeconds(22).toNanos()) {
            Thread.sleep(200);
            long now = System.nanoTime();
            clock.advance(Duration.ofNanos((now - last) / 1_000 * 1_000));
            last = now;
            worker.runOnce();
            if (atWarm == null && now - startNanos >= Duration.ofSeconds(2).toNanos()) {
                atWarm = sentBy(queue);
                warmNanos = now;
            }
        }
        Map<Long, Long> atEnd = sentBy(queue);
        double seconds = (last - warmNanos) / 1e9;
        StringBuilder out = new StringBuilder("pacing on, measured over ").append(String.format("%.1f s:%n", seconds));
        for (long[] sender : new long[][] { { slow, 50 }, { fast, 200 } }) {
            double rate = (atEnd.getOrDefault(sender[0], 0L) - atWarm.getOrDefault(sender[0], 0L)) / seconds;
            out.append(String.format("  account at %d msg/s sent %.1f msg/s (%+.1f %%)%n", sender[1], rate,
                    (rate / sender[1] - 1) * 100));
            assertThat(Math.abs(rate / sender[1] - 1)).isLessThan(0.05);
        }
        post(user, "/api/messaging/queues/" + queue + "/cancel", 200);
        return out.toString();
    }

    private Map<Long, Long> sentBy(long queue) {
        Map<Long, Long> sent = new java.util.HashMap<>();
        jdbc.sql(
                "SELECT sender_id, count(*) AS n FROM messaging_messages WHERE queue_id = :q AND status = 'sent' GROUP BY sender_id")
            .param("q", queue)
            .query(rs -> {
                sent.put(rs.getLong("sender_id"), rs.getLong("n"));
            });
        return sent;
    }

    private long unfinished(long queue) {
        return jdbc.sql(
                "SELECT count(*) FROM (SELECT 1 FROM messaging_messages WHERE queue_id = :queue AND status IN ('pending', 'sending') LIMIT 1) s")
            .param("queue", queue)
            .query(Long.class)
            .single();
    }

    /**
     * Meta's callbacks at the rate one number at 1,000 msg/s produces (about 3,000 a
     * second): 3,000 sent messages each get a signed sent, delivered and read callback,
     * POSTed over HTTP 64 at a time by the JDK's HttpClient; 3,000 more the same way by a
     * minimal HTTP/1.1 client on 64 kept-alive connections (the JDK's client costs this
     * two-core machine about as much CPU as the route it measures, which Meta's own
     * machines do not); where {@code wrk} is installed, 3,000 more by wrk in a process of
     * its own; then each read callback again (Meta's retries). The sent and delivered
     * callbacks carry Meta's pricing block; each message ends read, priced and charged
     * once. Signatures are made before the clock starts, after a warm-up round. And the
     * time from a template's pause callback to its queue paused.
     */
    @Test
    void signedStatusCallbacksPerSecondAndPauseWebhookToQueuePaused() throws Exception {
        int messages = 3_000;
        // A third client, wrk in its own process, where it is installed.
        boolean wrk = wrkInstalled();
        int clients = wrk ? 3 : 2;
        TestUser user = newUserWithCredits(4L * clients * messages);
        // A template campaign of a WhatsApp Cloud number (WireMock accepts every send):
        // its messages wait for Meta's billable callback to be charged, as in production.
        long queue = cloudQueue(user, "7702", groupOf(user, clients * messages, 771));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();
        List<String> ids = jdbc.sql("SELECT provider_message_id FROM messaging_messages WHERE queue_id = :q")
            .param("q", queue)
            .query(String.class)
            .list();
        assertThat(ids).hasSize(clients * messages);
        // Meta signs its callbacks on its own machines: the signatures are made before
        // the clock starts. A warm-up round (callbacks for wamids no message has, which
        // change nothing) lets the JIT compile the route first.
        List<String> unknown = callbacks(ids.subList(0, messages).stream().map(id -> "wamid.warm-up-" + id).toList());
        assertThat(postAll(http(), signedRequests(unknown), new long[1])).isZero();
        assertThat(postRaw(signedRaw(unknown), new long[1])).isZero();

        // The JDK's HTTP client, 64 calls at a time, on the first half of the messages.
        List<String> bodies = callbacks(ids.subList(0, messages));
        List<HttpRequest> requests = signedRequests(bodies);
        long[] slowest = new long[1];
        long started = System.nanoTime();
        long applied = postAll(http(), requests, slowest);
        double seconds = (System.nanoTime() - started) / 1e9;
        long reapplied = postAll(http(), requests.subList(2 * messages, 3 * messages), new long[1]);

        // A minimal HTTP/1.1 client on 64 kept-alive connections (nearer to what a load
        // generator on another machine costs this one), on the second half.
        List<String> rawBodies = callbacks(ids.subList(messages, 2 * messages));
        List<byte[]> raw = signedRaw(rawBodies);
        long[] rawSlowest = new long[1];
        long rawStarted = System.nanoTime();
        long rawApplied = postRaw(raw, rawSlowest);
        double rawSeconds = (System.nanoTime() - rawStarted) / 1e9;
        long rawReapplied = postRaw(raw.subList(2 * messages, 3 * messages), new long[1]);

        // wrk in a process of its own (a load generator as cheap as Meta's side costs us
        // nothing), 64 connections, on the third part.
        String wrkFigure = "";
        if (wrk) {
            List<String> wrkBodies = callbacks(ids.subList(2 * messages, 3 * messages));
            Map<String, Double> stats = wrk(wrkBodies);
            assertThat(stats).containsEntry("answered", 3.0 * messages)
                .containsEntry("s2xx", 3.0 * messages)
                .containsEntry("applied", 2.0 * messages);
            rawReapplied += postRaw(signedRaw(wrkBodies.subList(2 * messages, 3 * messages)), new long[1]);
            wrkFigure = String.format(
                    "signed status callbacks (one status each, 64 connections, wrk in its own process): %,d in %.2f s = %,.0f/s, "
                            + "slowest answer %.0f ms, none lost%n",
                    wrkBodies.size(), stats.get("seconds"), wrkBodies.size() / stats.get("seconds"),
                    stats.get("max_ms"));
        }

        // the simulator recorded each message as sent already: its sent callbacks change
        // nothing
        assertThat(applied).isEqualTo(2L * messages);
        assertThat(rawApplied).isEqualTo(2L * messages);
        assertThat(reapplied + rawReapplied).isZero();
        assertThat(count(queueOf(user, queue), "read")).isEqualTo((long) clients * messages);
        // each message charged once, by its first billable callback
        assertThat(jdbc.sql("SELECT count(DISTINCT message_id) FROM messaging_charges WHERE queue_id = :q")
            .param("q", queue)
            .query(Long.class)
            .single()).isEqualTo((long) clients * messages);
        assertThat(jdbc.sql("SELECT count(*) FROM messaging_messages WHERE queue_id = :q AND pricing IS NULL")
            .param("q", queue)
            .query(Long.class)
            .single()).isZero();

        TestUser owner = newUserWithCredits(1_000);
        Campaign campaign = campaign(owner, "7701", 200, null);
        start(campaign);
        String pause = """
                {"object":"whatsapp_business_account","entry":[{"id":"7701","time":%d,"changes":[
                  {"field":"message_template_status_update","value":{"event":"PAUSED","message_template_id":777701,
                   "message_template_name":"%s","message_template_language":"tr","reason":"NONE"}}]}]}"""
            .formatted(clock.instant().getEpochSecond(), TEMPLATE);
        long pausing = System.nanoTime();
        signed(pause);
        long pausedAfter = System.nanoTime() - pausing;
        assertThat(queueOf(owner, campaign.queue())).containsEntry("status", "paused");

        System.out.printf(
                "%nsigned status callbacks (one status each, 64 clients over HTTP, JDK HttpClient): %,d in %.2f s = %,.0f/s, "
                        + "slowest answer %d ms, none lost, Meta's %,d retries applied %d%n",
                bodies.size(), seconds, bodies.size() / seconds, slowest[0] / 1_000_000, messages, reapplied);
        System.out.printf(
                "signed status callbacks (one status each, 64 kept-alive connections, minimal client): %,d in %.2f s = %,.0f/s, "
                        + "slowest answer %d ms, none lost, Meta's %,d retries applied %d%n",
                rawBodies.size(), rawSeconds, rawBodies.size() / rawSeconds, rawSlowest[0] / 1_000_000, messages,
                rawReapplied);
        System.out.print(wrkFigure);
        System.out.printf("pause webhook to queue paused (answered after the commit): %.1f ms%n", pausedAfter / 1e6);
    }

    private static boolean wrkInstalled() {
        try {
            return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() >= 0;
        }
        catch (java.io.IOException | InterruptedException ex) {
            return false;
        }
    }

    /**
     * Each body signed, once, by {@code wrk} (2 threads, 64 connections, on loopback, at
     * most 20 s) with {@code bench/whatsapp-callbacks.lua}; returns its {@code wrkstats}
     * line's figures.
     */
    private Map<String, Double> wrk(List<String> bodies) throws Exception {
        java.nio.file.Path requests = java.nio.file.Files.createTempFile("kapi-callbacks", ".txt");
        try {
            java.nio.file.Files.write(requests, bodies.stream().map(body -> body.replace("\n", "")).map(body -> {
                if (body.contains("\t")) {
                    throw new IllegalArgumentException("a tab in a body");
                }
                return hmacOf(body) + "\t" + body;
            }).toList());
            Process process = new ProcessBuilder("wrk", "-t2", "-c64", "-d20s", "--timeout", "10s", "-s",
                    java.nio.file.Path.of("bench/whatsapp-callbacks.lua").toAbsolutePath().toString(),
                    "http://localhost:" + port, "--", requests.toString(), "2")
                .redirectErrorStream(true)
                .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as(output).isTrue();
            java.util.regex.Matcher line = java.util.regex.Pattern.compile("wrkstats: (.*)").matcher(output);
            assertThat(line.find()).as(output).isTrue();
            Map<String, Double> stats = new java.util.HashMap<>();
            for (String pair : line.group(1).strip().split(" ")) {
                String[] kv = pair.split("=");
                stats.put(kv[0], Double.parseDouble(kv[1]));
            }
            return stats;
        }
        finally {
            java.nio.file.Files.deleteIfExists(requests);
        }
    }

    /**
     * A queue of a WhatsApp Cloud number of business account {@code waba} (no messaging
     * tier, Meta accepts every send) sending its approved marketing template to a group.
     */
    private long cloudQueue(TestUser user, String waba, long group) {
        String phoneNumberId = "pn-" + waba;
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .get(com.github.tomakehurst.wiremock.client.WireMock
                .urlPathEqualTo("/v23.0/" + waba + "/message_templates"))
            .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson("""
                    {"data":[{"name":"%s","language":"tr","status":"APPROVED","category":"MARKETING","id":"77%s",
                              "components":[{"type":"BODY","text":"Yaz indirimi başladı!"}]}]}""".formatted(TEMPLATE,
                    waba))));
        acceptEverySend(phoneNumberId);
        long sender = sender(user, Map.of("provider", "whatsapp_cloud", "phone_number_id", phoneNumberId,
                "access_token", "EAAG-cloud-token", "waba_id", waba));
        put(user, "/api/messaging/senders/" + sender, Map.of("messaging_limit", "unlimited"), 200);
        as(user.token()).post()
            .uri("/api/messaging/senders/" + sender + "/templates/sync")
            .exchange()
            .expectStatus()
            .isOk();
        long draft = id(post(user, "/api/messaging/drafts", Map.of("name", "Yaz", "template",
                Map.of("name", TEMPLATE, "language", "tr", "body_parameters", List.of())), 201));
        return queue(user, draft, List.of(sender), List.of(group), List.of());
    }

    /**
     * A sent, a delivered and a read callback for each wamid, in that order of kinds; the
     * sent and delivered ones carry the pricing block Meta's do (billable, per-message
     * pricing, marketing or utility, regular), as in Meta's published webhook examples.
     */
    private static List<String> callbacks(List<String> wamids) {
        List<String> bodies = new ArrayList<>();
        for (String status : List.of("sent", "delivered", "read")) {
            for (int i = 0; i < wamids.size(); i++) {
                String pricing = status.equals("read") ? "" : """
                        ,"pricing":{"billable":true,"pricing_model":"PMP","category":"%s","type":"regular"}"""
                    .formatted(i % 2 == 0 ? "marketing" : "utility");
                bodies
                    .add("""
                            {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                              "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"x"},
                              "statuses":[{"id":"%s","status":"%s","timestamp":"%d","recipient_id":"905550000000"%s}]}}]}]}"""
                        .formatted(wamids.get(i), status, 1_700_000_000L + bodies.size(), pricing));
            }
        }
        return bodies;
    }

    private static HttpClient http() {
        return HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    }

    /** Each body as Meta POSTs it, signed, as bytes on the wire. */
    private static List<byte[]> signedRaw(List<String> bodies) {
        return bodies.stream().map(body -> {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            byte[] head = ("POST /api/messaging/webhooks/whatsapp HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/json\r\nX-Hub-Signature-256: sha256=" + hmacOf(body)
                    + "\r\nContent-Length: " + content.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
            byte[] request = Arrays.copyOf(head, head.length + content.length);
            System.arraycopy(content, 0, request, head.length, content.length);
            return request;
        }).toList();
    }

    /**
     * Sends every request over 64 kept-alive connections, each its next request once the
     * last is answered (a new connection when Tomcat closes one); returns the statuses
     * applied in all.
     */
    private long postRaw(List<byte[]> requests, long[] slowest) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong applied = new AtomicLong();
        List<Future<?>> connections = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < 64; c++) {
                connections.add(executor.submit(() -> {
                    Socket socket = null;
                    try {
                        InputStream in = null;
                        OutputStream out = null;
                        for (int i = next.getAndIncrement(); i < requests.size(); i = next.getAndIncrement()) {
                            if (socket == null) {
                                socket = new Socket("localhost", port);
                                socket.setTcpNoDelay(true);
                                in = new BufferedInputStream(socket.getInputStream());
                                out = socket.getOutputStream();
                            }
                            long sent = System.nanoTime();
                            out.write(requests.get(i));
                            out.flush();
                            int status = 0;
                            int length = 0;
                            boolean chunked = false;
                            boolean close = false;
                            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                                String lower = line.toLowerCase(java.util.Locale.ROOT);
                                if (status == 0) {
                                    status = Integer.parseInt(line.substring(9, 12));
                                }
                                else if (lower.startsWith("content-length:")) {
                                    length = Integer.parseInt(lower.substring(15).strip());
                                }
                                else if (lower.startsWith("connection:") && lower.contains("close")) {
                                    close = true;
                                }
                                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                                    chunked = true;
                                }
                            }
                            String body;
                            if (chunked) {
                                java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
                                for (int size = Integer.parseInt(line(in).strip(), 16); size > 0; size = Integer
                                    .parseInt(line(in).strip(), 16)) {
                                    content.write(in.readNBytes(size));
                                    line(in);
                                }
                                line(in);
                                body = content.toString(StandardCharsets.UTF_8);
                            }
                            else {
                                body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                            }
                            long took = System.nanoTime() - sent;
                            synchronized (slowest) {
                                slowest[0] = Math.max(slowest[0], took);
                            }
                            assertThat(status).as(body).isEqualTo(200);
                            applied.addAndGet(Long.parseLong(body.replaceAll(".*\"statuses_applied\":(\\d+).*", "$1")));
                            if (close) {
                                socket.close();
                                socket = null;
                            }
                        }
                    }
                    finally {
                        if (socket != null) {
                            socket.close();
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> connection : connections) {
            connection.get();
        }
        return applied.get();
    }

    private static String line(InputStream in) throws java.io.IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new java.io.EOFException("the connection closed mid-answer");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    /** Each body as Meta POSTs it, signed. */
    private List<HttpRequest> signedRequests(List<String> bodies) {
        return bodies.stream()
            .map(body -> HttpRequest
                .newBuilder(URI.create("http://localhost:" + port + "/api/messaging/webhooks/whatsapp"))
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", "sha256=" + hmacOf(body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build())
            .toList();
    }

    /** POSTs every request, 64 at a time; returns the statuses applied in all. */
    private long postAll(HttpClient http, List<HttpRequest> requests, long[] slowest) throws Exception {
        java.util.concurrent.Semaphore clients = new java.util.concurrent.Semaphore(64);
        java.util.concurrent.atomic.AtomicLong applied = new java.util.concurrent.atomic.AtomicLong();
        List<Future<?>> calls = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (HttpRequest request : requests) {
                clients.acquire();
                calls.add(executor.submit(() -> {
                    try {
                        long sent = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        long took = System.nanoTime() - sent;
                        synchronized (slowest) {
                            slowest[0] = Math.max(slowest[0], took);
                        }
                        assertThat(response.statusCode()).isEqualTo(200);
                        applied.addAndGet(
                                Long.parseLong(response.body().replaceAll(".*\"statuses_applied\":(\\d+).*", "$1")));
                        return null;
                    }
                    finally {
                        clients.release();
                    }
                }));
            }
        }
        for (Future<?> call : calls) {
            call.get();
        }
        return applied.get();
    }

}
