package dev.kapi.messaging;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import com.sun.net.httpserver.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of {@code mvn verify}:
 * {@code mvn test -Dtest=MessagingLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 * A stand-in of the Graph API on loopback answers every send after 150 ms (on virtual
 * threads, so it never bounds the rate); WhatsApp Cloud senders send free-form messages
 * to customers inside their service window, one lane per sender as in production
 * (claiming the next batch while the last one's calls are in flight,
 * {@link MessageSender#dispatchFor}), against the wall clock. Each row is a whole
 * campaign, after a warm-up campaign, timed as the stand-in receives its calls (the rate
 * Meta sees): the steady rate between the 10th and the 90th percentile of arrival, and
 * the time from the first call to the last.
 */
@TestPropertySource(properties = "kapi.rate-limits.enabled=false")
class MessagingLatencyBenchmark extends MessagingTestSupport {

    /**
     * When each send reached the stand-in ({@link System#nanoTime}): the rate Meta sees.
     */
    static final List<Long> ARRIVALS = new ArrayList<>();
    static final AtomicLong IDS = new AtomicLong();
    static final HttpServer META = startMeta();

    private static HttpServer startMeta() {
        // Keeps every idle connection for reuse (the JDK's server closes those beyond
        // 200, so bursts of calls
        // would open new connections, and a call can race the server closing the one it
        // took).
        System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4096);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                exchange.getRequestBody().readAllBytes();
                long arrived = System.nanoTime();
                synchronized (ARRIVALS) {
                    ARRIVALS.add(arrived);
                }
                try {
                    Thread.sleep(150);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                byte[] body = ("{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.bench-"
                        + IDS.incrementAndGet() + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return server;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @DynamicPropertySource
    static void meta(DynamicPropertyRegistry registry) {
        registry.add("kapi.messaging.whatsapp.base-url", () -> "http://127.0.0.1:" + META.getAddress().getPort());
    }

    @AfterAll
    static void stop() {
        META.stop(0);
    }

    @Test
    void with150MsPerCallOneSenderAt1000AndTenSendersAt80ReachTheirRates() throws Exception {
        run(1, 1_000, 3_000, 700); // warm-up: the sending path compiled and the
                                   // connections open
        String one = run(1, 1_000, 20_000, 701);
        String ten = run(10, 80, 16_000, 702);
        System.out.printf("%nWhatsApp Cloud stand-in, 150 ms per call:%n%s%s", one, ten);
    }

    private String run(int senderCount, double rate, int recipients, int base) throws Exception {
        TestUser user = newUserWithCredits(recipients + 100L);
        jdbc.sql("""
                INSERT INTO messaging_customers (owner_id, phone, name, fields, created_at, updated_at)
                SELECT :owner, '+90' || :base || lpad(g::text, 7, '0'), 'Müşteri ' || g, '{}', now(), now()
                FROM generate_series(1, :n) g
                """).param("owner", user.id()).param("base", base).param("n", recipients).update();
        jdbc.sql("""
                INSERT INTO messaging_service_windows (owner_id, phone, last_inbound_at)
                SELECT owner_id, phone, CAST(:now AS timestamptz) FROM messaging_customers WHERE owner_id = :owner
                """).param("owner", user.id()).param("now", java.sql.Timestamp.from(clock.instant())).update();
        long group = id(post(user, "/api/messaging/groups", Map.of("name", "Hepsi"), 201));
        jdbc.sql(
                "INSERT INTO messaging_group_members (group_id, customer_id) SELECT :group, id FROM messaging_customers WHERE owner_id = :owner")
            .param("group", group)
            .param("owner", user.id())
            .update();
        List<Long> senders = new ArrayList<>();
        for (int i = 0; i < senderCount; i++) {
            senders.add(id(post(user, "/api/messaging/senders",
                    Map.of("name", "Hat " + i, "phone", "0532 000 00 0" + i, "provider", "whatsapp_cloud",
                            "phone_number_id", "bench-" + base + "-" + i, "access_token", "EAAG-bench",
                            "rate_per_second", rate),
                    201)));
        }
        long queue = queue(user, draft(user, "Merhaba {{name}}"), senders, List.of(group), List.of());
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        // A platform thread: the OS wakes it on time, where a virtual one would wait
        // behind the busy carriers
        // and let the clock (and so every sender's pace) fall behind the wall clock.
        threads.add(Thread.ofPlatform().priority(Thread.MAX_PRIORITY).start(() -> {
            long last = System.nanoTime();
            while (running.get()) {
                try {
                    Thread.sleep(2);
                }
                catch (InterruptedException ex) {
                    return;
                }
                long now = System.nanoTime();
                clock.advance(Duration.ofNanos((now - last) / 1_000 * 1_000));
                last = now;
            }
        }));
        for (long sender : senders) {
            threads.add(Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    long started = System.nanoTime();
                    if (worker.dispatchFor(sender) == 0) {
                        try {
                            Thread.sleep(20);
                        }
                        catch (InterruptedException ex) {
                            return;
                        }
                    }
                    else if (System.nanoTime() - started < 20_000_000) {
                        try {
                            Thread.sleep(20 - (System.nanoTime() - started) / 1_000_000);
                        }
                        catch (InterruptedException ex) {
                            return;
                        }
                    }
                }
            }));
        }
        long deadline = System.nanoTime() + (long) (recipients / (senderCount * rate) * 3e9) + 10_000_000_000L;
        while (sent(queue) < recipients && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        long[] arrivals = arrivals();
        assertThat(sent(queue)).as("messages recorded sent").isEqualTo(recipients);
        // Every call the stand-in answered was recorded sent: none failed (a lost
        // connection would fail its
        // message as outcome-unknown and, five in a row, pause the sender).
        assertThat(jdbc.sql("SELECT count(*) FROM messaging_messages WHERE queue_id = :q AND status = 'failed'")
            .param("q", queue)
            .query(Long.class)
            .single()).isZero();
        assertThat(arrivals).hasSize(recipients);
        // The steady rate: the calls between the 10th and the 90th percentile of arrival,
        // so that neither the
        // first claim's saved-up tokens nor the last calls' answers count.
        int from = recipients / 10;
        int to = recipients * 9 / 10;
        double measured = (to - from) / ((arrivals[to] - arrivals[from]) / 1e9);
        double whole = (arrivals[recipients - 1] - arrivals[0]) / 1e9;
        double target = senderCount * rate;
        return String.format(
                "  %d sender(s) at %.0f msg/s (sum %.0f), %d recipients: %.1f msg/s at the provider (%.1f %%); first to last call %.1f s%n",
                senderCount, rate, target, recipients, measured, measured / target * 100, whole);
    }

    /**
     * The arrival times of the calls since the last time this was asked, in order; the
     * stand-in's record starts anew.
     */
    private static long[] arrivals() {
        synchronized (ARRIVALS) {
            long[] times = ARRIVALS.stream().mapToLong(Long::longValue).sorted().toArray();
            ARRIVALS.clear();
            return times;
        }
    }

    private long sent(long queue) {
        return jdbc.sql("SELECT count(*) FROM messaging_messages WHERE queue_id = :q AND status = 'sent'")
            .param("q", queue)
            .query(Long.class)
            .single();
    }

}
