package dev.kapi.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.transaction.support.TransactionTemplate;

import dev.kapi.messaging.queue.QueueCredits;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 31's pricing: the admin's rate card, credits held per recipient by market and
 * category when a queue starts, charged once on Meta's first billable status callback
 * (WireMock is the Graph API; callbacks are signed POSTs), refunded for free, failed and
 * silent messages.
 */
class MessagingPricingIntegrationTests extends MessagingTestSupport {

    private static final String TR = "905559300001";

    private static final String DE = "4915123456789";

    private static final String US = "12025550123";

    private static final List<Map<String, Object>> CARD = List.of(rate("TR", "marketing", 5), rate("TR", "utility", 2),
            rate("TR", "authentication", 1), rate("TR", "service", 0), rate("DE", "marketing", 7),
            rate("DE", "utility", 3), rate("*", "marketing", 9), rate("*", "utility", 4),
            rate("*", "authentication", 2), rate("*", "service", 1));

    @Autowired
    QueueCredits queueCredits;

    @Autowired
    TransactionTemplate transactions;

    @AfterEach
    void emptyTheCard() {
        put(newAdmin(), "/api/admin/messaging/rates", Map.of("rates", List.of()), 200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void rateCardWhenAnAdminReplacesItThenItIsReadBackWithTheFlatPricesAsItsOtherRows() {
        TestUser admin = newAdmin();
        assertThat((List<Map<String, Object>>) get(admin, "/api/admin/messaging/rates", 200).get("rates"))
            .containsExactlyInAnyOrder(rate("*", "marketing", 3), rate("*", "utility", 1),
                    rate("*", "authentication", 2), rate("*", "service", 1));

        Map<String, Object> saved = put(admin, "/api/admin/messaging/rates", Map.of("rates",
                List.of(rate("TR", "marketing", 5), rate("DE", "utility", 0), rate("*", "marketing", 9))), 200);

        assertThat((List<Map<String, Object>>) saved.get("rates")).containsExactlyInAnyOrder(rate("TR", "marketing", 5),
                rate("DE", "utility", 0), rate("*", "marketing", 9), rate("*", "utility", 1),
                rate("*", "authentication", 2), rate("*", "service", 1));
        assertThat(get(admin, "/api/admin/messaging/rates", 200)).isEqualTo(saved);
    }

    @Test
    void rateCardWhenARowIsWrongThenA400NamingItAndTheCardUnchanged() {
        TestUser admin = newAdmin();
        put(admin, "/api/admin/messaging/rates", Map.of("rates", List.of(rate("TR", "marketing", 5))), 200);

        assertThat(invalidFields(put(admin, "/api/admin/messaging/rates",
                Map.of("rates", List.of(rate("TR", "marketing", 1), rate("tr", "utility", 1))), 400)))
            .containsExactly("rates[1].market");
        assertThat(invalidFields(
                put(admin, "/api/admin/messaging/rates", Map.of("rates", List.of(rate("TR", "marketing", -1))), 400)))
            .containsExactly("rates[0].credits");
        assertThat(invalidFields(
                put(admin, "/api/admin/messaging/rates", Map.of("rates", List.of(rate("TR", "promotion", 1))), 400)))
            .containsExactly("rates[0].category");
        assertThat(invalidFields(
                put(admin, "/api/admin/messaging/rates", Map.of("rates", List.of(rate("XX", "marketing", 1))), 400)))
            .containsExactly("rates[0].market");
        assertThat(invalidFields(put(admin, "/api/admin/messaging/rates",
                Map.of("rates", List.of(rate("TR", "utility", 1), rate("TR", "utility", 2))), 400)))
            .containsExactly("rates[1]");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(rate("*", "marketing", i));
        }
        assertThat(invalidFields(put(admin, "/api/admin/messaging/rates", Map.of("rates", tooMany), 400)))
            .containsExactly("rates");

        assertThat(get(admin, "/api/admin/messaging/rates", 200).get("rates").toString())
            .contains("market=TR, category=marketing, credits=5");
    }

    @Test
    void rateCardWhenNotAnAdminOrAReadOnlyKeyThenItCannotBeChanged() {
        TestUser admin = newAdmin();
        put(newUser(), "/api/admin/messaging/rates", Map.of("rates", List.of(rate("*", "marketing", 0))), 403);
        get(newUser(), "/api/admin/messaging/rates", 403);
        String readOnly = (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "rates reader", "scopes", List.of("admin:read")), 201)
            .get("key");

        bindToServer().baseUrl("http://localhost:" + port)
            .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + readOnly)
            .build()
            .get()
            .uri("/api/admin/messaging/rates")
            .exchange()
            .expectStatus()
            .isOk();
        bindToServer().baseUrl("http://localhost:" + port)
            .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + readOnly)
            .build()
            .put()
            .uri("/api/admin/messaging/rates")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("rates", List.of(rate("*", "marketing", 0))))
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:service-key-scope-missing");

        assertThat(get(admin, "/api/admin/messaging/rates", 200).get("rates").toString())
            .contains("market=*, category=marketing, credits=3");
    }

    /**
     * TR, DE and US numbers in every category: held at the card's price by market,
     * charged once on the first billable callback (a retried one charges nothing), free,
     * failed and silent ones refunded; the exact ledger entries, and usage per category
     * and market.
     */
    @Test
    @SuppressWarnings("unchecked")
    void queuesToTrDeAndUsNumbersInEveryCategoryThenHeldByMarketAndChargedOncePerBillableMessage() {
        put(newAdmin(), "/api/admin/messaging/rates",
                Map.of("rates",
                        List.of(rate("TR", "marketing", 5), rate("TR", "utility", 2), rate("TR", "authentication", 1),
                                rate("TR", "service", 0), rate("DE", "marketing", 7), rate("DE", "utility", 3),
                                rate("*", "marketing", 9), rate("*", "utility", 4), rate("*", "authentication", 2),
                                rate("*", "service", 1))),
                200);
        TestUser user = newUserWithCredits(100);
        stubTemplates("3101");
        stubAcceptedAny("310101");
        long sender = sender(user, Map.of("provider", "whatsapp_cloud", "phone_number_id", "310101", "access_token",
                "EAAG-cloud-token", "waba_id", "3101"));
        as(user.token()).post()
            .uri("/api/messaging/senders/" + sender + "/templates/sync")
            .exchange()
            .expectStatus()
            .isOk();
        List<Long> customers = List.of(customer(user, "0555 930 00 01", "Ayşe"),
                customer(user, "+49 151 23456789", "Jonas"), customer(user, "+1 202 555 0123", "Ann"));
        customersWrote("310101", TR, DE, US);
        Map<String, Long> queues = new java.util.LinkedHashMap<>();
        for (String[] kind : new String[][] { { "marketing", "promo" }, { "utility", "kargo" },
                { "authentication", "kod" } }) {
            long draft = id(post(user, "/api/messaging/drafts", Map.of("name", kind[1], "template",
                    Map.of("name", kind[1], "language", "tr", "body_parameters", List.of())), 201));
            queues.put(kind[0], queue(user, draft, List.of(sender), List.of(), customers));
        }
        queues.put("service", queue(user, draft(user, "Merhaba"), List.of(sender), List.of(), customers));
        assertThat(get(user, "/api/messaging/queues/" + queues.get("marketing") + "/preflight", 200))
            .containsEntry("credits_needed", 21);
        Map<String, Integer> held = Map.of("marketing", 21, "utility", 9, "authentication", 5, "service", 2);
        queues.forEach((category, queue) -> assertThat(post(user, "/api/messaging/queues/" + queue + "/start", 200))
            .as(category)
            .containsEntry("credits_held", held.get(category)));
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(100 - 37);

        worker.drain();
        List<Map<String, Object>> marketing = list(user,
                "/api/messaging/queues/" + queues.get("marketing") + "/messages");
        assertThat(marketing).extracting(m -> m.get("market")).containsExactly("TR", "DE", "US");
        assertThat(marketing).extracting(m -> m.get("credits_held")).containsExactly(5, 7, 9);

        String billable = pricing(true, "marketing", "regular");
        callback(status(wamid(queues, "marketing", 0), "sent", billable));
        callback(status(wamid(queues, "marketing", 0), "sent", billable));
        callback(status(wamid(queues, "marketing", 0), "delivered", billable));
        callback(status(wamid(queues, "marketing", 1), "delivered", billable));
        callback(failed(wamid(queues, "marketing", 2)));
        callback(status(wamid(queues, "utility", 0), "sent", pricing(false, "service", "free_customer_service")));
        callback(status(wamid(queues, "utility", 0), "delivered", pricing(false, "service", "free_customer_service")));
        callback(status(wamid(queues, "utility", 1), "sent", pricing(true, "utility", "regular")));
        callback(status(wamid(queues, "authentication", 0), "sent", pricing(true, "authentication", "regular")));
        callback(status(wamid(queues, "authentication", 1), "delivered",
                pricing(false, "authentication", "free_entry_point")));
        callback(status(wamid(queues, "authentication", 2), "sent",
                "{\"pricing_model\":\"PMP\",\"category\":\"authentication_international\",\"type\":\"regular\"}"));
        callback(status(wamid(queues, "service", 0), "sent", pricing(true, "service", "regular")));
        callback(status(wamid(queues, "service", 1), "sent", pricing(true, "service", "regular")));
        callback(status(wamid(queues, "service", 2), "delivered", pricing(false, "service", "free_customer_service")));
        callback(status(wamid(queues, "service", 1), "delivered", pricing(true, "service", "regular")));
        worker.drain();

        assertThat(queueOf(user, queues.get("marketing"))).containsEntry("credits_spent", 12)
            .containsEntry("credits_held", 0);
        assertThat(queueOf(user, queues.get("authentication"))).containsEntry("credits_spent", 3);
        assertThat(queueOf(user, queues.get("service"))).containsEntry("credits_spent", 1);
        assertThat(queueOf(user, queues.get("utility"))).as("the US message has not been priced yet")
            .containsEntry("credits_spent", 0)
            .containsEntry("credits_held", 9);
        assertThat(
                list(user, "/api/messaging/queues/" + queues.get("marketing") + "/messages").getFirst().get("pricing"))
            .isEqualTo(Map.of("billable", true, "pricing_model", "PMP", "category", "marketing", "type", "regular"));

        clock.advance(Duration.ofHours(48).plusMinutes(1));
        callback(status(wamid(queues, "utility", 2), "sent", pricing(true, "utility", "regular")));
        worker.drain();

        assertThat(queueOf(again(user), queues.get("utility"))).containsEntry("credits_spent", 3)
            .containsEntry("credits_held", 0);
        assertThat(credits.entriesOf(user.id()).stream().map(e -> e.reason() + " " + e.amount()).toList())
            .containsExactlyInAnyOrder("load 100", "reservation -21", "reservation -9", "reservation -5",
                    "reservation -2", "refund 9", "refund 6", "refund 2", "refund 1");
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(100 - 19);
        Map<String, Object> usage = get(again(user), "/users/me/credits/usage?period=yearly", 200);
        String year = (String) ((List<Map<String, Object>>) usage.get("usage")).getFirst().get("period");
        assertThat((List<Map<String, Object>>) usage.get("by_category")).containsExactly(
                Map.of("period", year, "category", "authentication", "spent", 3),
                Map.of("period", year, "category", "marketing", "spent", 12),
                Map.of("period", year, "category", "service", "spent", 1),
                Map.of("period", year, "category", "utility", "spent", 3));
        assertThat((List<Map<String, Object>>) usage.get("by_market")).containsExactly(
                Map.of("period", year, "market", "DE", "spent", 11), Map.of("period", year, "market", "TR", "spent", 6),
                Map.of("period", year, "market", "US", "spent", 2));
    }

    /**
     * Meta bills some messages in the queue's category, some in a dearer one (a utility
     * template billed as marketing), some in a cheaper one (service) and some not at all
     * (free entry point), and names categories the card knows under other names: each is
     * charged the price of what Meta billed for its market as the card stood when the
     * queue started (the card is changed before the callbacks), once; the exact ledger
     * entries, the charges keeping what was held, usage by billed category and market.
     */
    @Test
    @SuppressWarnings("unchecked")
    void queuesWhenMetaBillsOtherCategoriesThenEachMessageIsChargedWhatMetaBilledAtTheCardOfTheQueueStart() {
        TestUser admin = newAdmin();
        put(admin, "/api/admin/messaging/rates", Map.of("rates", CARD), 200);
        TestUser user = newUserWithCredits(100);
        long sender = templateSender(user, "8131");
        List<Long> customers = List.of(customer(user, "0555 930 00 01", "Ayşe"),
                customer(user, "+49 151 23456789", "Jonas"), customer(user, "+1 202 555 0123", "Ann"),
                customer(user, "0555 930 00 02", "Mehmet"));
        long utility = queue(user, templateDraft(user, "kargo"), List.of(sender), List.of(), customers);
        long marketing = queue(user, templateDraft(user, "promo"), List.of(sender), List.of(), customers.subList(0, 3));
        assertThat(post(user, "/api/messaging/queues/" + utility + "/start", 200)).containsEntry("credits_held", 11);
        assertThat(post(user, "/api/messaging/queues/" + marketing + "/start", 200)).containsEntry("credits_held", 21);
        worker.drain();
        // the card changes mid-campaign: every price ten times what it was
        put(admin, "/api/admin/messaging/rates",
                Map.of("rates",
                        CARD.stream()
                            .map(rate -> rate((String) rate.get("market"), (String) rate.get("category"),
                                    10 * (Integer) rate.get("credits")))
                            .toList()),
                200);

        String marketingBlock = pricing(true, "marketing", "regular");
        callback(status(wamid(utility, 0), "sent", marketingBlock));
        callback(status(wamid(utility, 0), "sent", marketingBlock));
        callback(status(wamid(utility, 0), "delivered", marketingBlock));
        callback(status(wamid(utility, 1), "delivered", pricing(true, "utility", "regular")));
        callback(status(wamid(utility, 2), "sent", pricing(true, "service", "regular")));
        callback(status(wamid(utility, 3), "delivered", pricing(false, "referral_conversion", "free_entry_point")));
        callback(status(wamid(marketing, 0), "sent", pricing(true, "marketing_lite", "regular")));
        callback(status(wamid(marketing, 1), "sent", marketingBlock));
        callback(status(wamid(marketing, 2), "sent", pricing(true, "marketing_next", "regular")));
        callback(status(wamid(marketing, 2), "delivered", pricing(true, "utility", "regular")));
        worker.drain();

        List<Map<String, Object>> messages = list(user, "/api/messaging/queues/" + utility + "/messages");
        assertThat(messages).extracting(m -> m.get("market")).containsExactly("TR", "DE", "US", "TR");
        assertThat(messages).extracting(m -> m.get("credits_held")).containsExactly(2, 3, 4, 2);
        assertThat(messages).extracting(m -> m.get("charged_category"))
            .containsExactly("marketing", "utility", "service", null);
        assertThat(messages).extracting(m -> m.get("charged_credits")).containsExactly(5, 3, 1, null);
        assertThat(list(user, "/api/messaging/queues/" + marketing + "/messages"))
            .as("marketing_lite is marketing; a category the card does not know is what was held")
            .extracting(m -> m.get("charged_category") + " " + m.get("charged_credits"))
            .containsExactly("marketing 5", "marketing 7", "marketing 9");
        assertThat(jdbc.sql("""
                SELECT held_category || ' ' || held_credits || ' -> ' || category || ' ' || credits
                FROM messaging_charges WHERE queue_id = :q ORDER BY message_id
                """).param("q", utility).query(String.class).list()).containsExactly("utility 2 -> marketing 5",
                "utility 3 -> utility 3", "utility 4 -> service 1");
        assertThat(queueOf(user, utility)).containsEntry("credits_spent", 9)
            .containsEntry("credits_held", 0)
            .containsEntry("credits_uncovered", 0);
        assertThat(queueOf(user, marketing)).containsEntry("credits_spent", 21).containsEntry("credits_held", 0);
        assertThat(credits.entriesOf(user.id()).stream().map(e -> e.reason() + " " + e.amount()).toList())
            .containsExactlyInAnyOrder("load 100", "reservation -11", "reservation -21", "refund 2");
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(100 - 30);
        Map<String, Object> usage = get(again(user), "/users/me/credits/usage?period=yearly", 200);
        String year = (String) ((List<Map<String, Object>>) usage.get("usage")).getFirst().get("period");
        assertThat((List<Map<String, Object>>) usage.get("by_category")).containsExactly(
                Map.of("period", year, "category", "marketing", "spent", 26),
                Map.of("period", year, "category", "service", "spent", 1),
                Map.of("period", year, "category", "utility", "spent", 3));
        assertThat((List<Map<String, Object>>) usage.get("by_market")).containsExactly(
                Map.of("period", year, "market", "DE", "spent", 10),
                Map.of("period", year, "market", "TR", "spent", 10),
                Map.of("period", year, "market", "US", "spent", 10));
    }

    /**
     * A utility queue Meta bills as marketing costs more than it held: the difference is
     * spent from the balance as one more entry naming the queue, as far as the balance
     * goes; the rest is recorded on the queue as uncovered. Two instances settling the
     * queue at once charge it once.
     */
    @Test
    void utilityQueueWhenMetaBillsItAsMarketingThenTheDifferenceIsSpentFromTheBalanceAndWhatItCannotCoverIsRecorded()
            throws Exception {
        put(newAdmin(), "/api/admin/messaging/rates", Map.of("rates", CARD), 200);
        TestUser rich = newUserWithCredits(100);
        TestUser poor = newUserWithCredits(8);
        Map<TestUser, Long> queues = new java.util.LinkedHashMap<>();
        for (TestUser user : List.of(rich, poor)) {
            long sender = templateSender(user, user == rich ? "8132" : "8133");
            long queue = queue(user, templateDraft(user, "kargo"), List.of(sender), List.of(),
                    List.of(customer(user, "0555 930 00 01", "Ayşe"), customer(user, "+49 151 23456789", "Jonas")));
            assertThat(post(user, "/api/messaging/queues/" + queue + "/start", 200)).containsEntry("credits_held", 5);
            queues.put(user, queue);
        }
        worker.drain();
        assertThat(credits.balanceOf(poor.id()).credit()).isEqualTo(3);

        for (long queue : queues.values()) {
            callback(status(wamid(queue, 0), "sent", pricing(true, "marketing", "regular")));
            callback(status(wamid(queue, 1), "delivered", pricing(true, "marketing", "regular")));
            CyclicBarrier together = new CyclicBarrier(2);
            try (ExecutorService instances = Executors.newFixedThreadPool(2)) {
                List<Future<?>> settlements = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    settlements.add(instances.submit(() -> {
                        await(together);
                        queueCredits.settle(queue);
                    }));
                }
                for (Future<?> settlement : settlements) {
                    settlement.get(30, TimeUnit.SECONDS);
                }
            }
        }
        worker.drain();

        assertThat(queueOf(rich, queues.get(rich))).containsEntry("credits_spent", 12)
            .containsEntry("credits_held", 0)
            .containsEntry("credits_uncovered", 0);
        assertThat(credits.entriesOf(rich.id()).stream().map(e -> e.reason() + " " + e.amount()).toList())
            .containsExactlyInAnyOrder("load 100", "reservation -5", "reservation -7");
        assertThat(credits.balanceOf(rich.id()).credit()).isEqualTo(88);
        assertThat(queueOf(poor, queues.get(poor))).containsEntry("credits_spent", 8)
            .containsEntry("credits_held", 0)
            .containsEntry("credits_uncovered", 4);
        assertThat(credits.entriesOf(poor.id()).stream().map(e -> e.reason() + " " + e.amount()).toList())
            .containsExactlyInAnyOrder("load 8", "reservation -5", "reservation -3");
        assertThat(credits.entriesOf(poor.id()).getFirst().note())
            .isEqualTo("messaging queue " + queues.get(poor) + " billed above its holds");
        assertThat(credits.balanceOf(poor.id()).credit()).isZero();
    }

    /**
     * The owner spends credits elsewhere at the very moment their cancel settles a queue
     * Meta billed above its holds: the settlement waits for that spend and covers what it
     * left, so the cancel answers 200 with the rest recorded as uncovered, never 409.
     */
    @Test
    void cancelWhenTheOwnerSpendsWhileItSettlesChargesAboveTheHoldsThenItCoversWhatIsLeftAndNever409()
            throws Exception {
        put(newAdmin(), "/api/admin/messaging/rates",
                Map.of("rates", List.of(rate("TR", "utility", 1), rate("TR", "marketing", 9))), 200);
        TestUser user = newUserWithCredits(8);
        long sender = templateSender(user, "8135");
        put(user, "/api/messaging/senders/" + sender, Map.of("daily_cap", 1), 200);
        long queue = queue(user, templateDraft(user, "kargo"), List.of(sender), List.of(),
                List.of(customer(user, "0555 930 00 01", "Ayşe"), customer(user, "0555 930 00 02", "Fatma")));
        assertThat(post(user, "/api/messaging/queues/" + queue + "/start", 200)).containsEntry("credits_held", 2);
        worker.drain();
        String sent = jdbc.sql(
                "SELECT provider_message_id FROM messaging_messages WHERE queue_id = :q AND provider_message_id IS NOT NULL")
            .param("q", queue)
            .query(String.class)
            .single();
        callback(status(sent, "delivered", pricing(true, "marketing", "regular")));
        assertThat(queueOf(user, queue)).containsEntry("status", "running");
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(6);

        CyclicBarrier spent = new CyclicBarrier(2);
        CyclicBarrier commit = new CyclicBarrier(2);
        Map<String, Object> cancelled;
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> elsewhere = pool.submit(() -> transactions.executeWithoutResult(status -> {
                credits.reserve(user.id(), 4, "another spend");
                await(spent);
                await(commit);
            }));
            await(spent);
            Future<Map<String, Object>> cancel = pool
                .submit(() -> post(user, "/api/messaging/queues/" + queue + "/cancel", 200));
            org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql(
                        "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND wait_event_type = 'Lock' AND query LIKE '%credit_balances%'")
                    .query(Long.class)
                    .single() == 1);
            await(commit);
            elsewhere.get(10, TimeUnit.SECONDS);
            cancelled = cancel.get(30, TimeUnit.SECONDS);
        }

        assertThat(cancelled).containsEntry("status", "cancelled")
            .containsEntry("credits_spent", 4)
            .containsEntry("credits_held", 0)
            .containsEntry("credits_uncovered", 5);
        assertThat(credits.entriesOf(user.id()).stream().map(e -> e.reason() + " " + e.amount()).toList())
            .containsExactlyInAnyOrder("load 8", "reservation -2", "reservation -4", "reservation -2");
        assertThat(credits.balanceOf(user.id()).credit()).isZero();
        worker.drain();
        assertThat(queueOf(user, queue)).containsEntry("credits_spent", 4).containsEntry("credits_uncovered", 5);
    }

    /**
     * A queue that held nothing (its category free in its market) is still charged what
     * Meta billed, from the balance when it settles.
     */
    @Test
    void queueThatHeldNothingWhenMetaBillsADearerCategoryThenItIsChargedFromTheBalance() {
        put(newAdmin(), "/api/admin/messaging/rates",
                Map.of("rates", List.of(rate("DE", "utility", 0), rate("DE", "marketing", 7))), 200);
        TestUser user = newUserWithCredits(10);
        long sender = templateSender(user, "8134");
        long queue = queue(user, templateDraft(user, "kargo"), List.of(sender), List.of(),
                List.of(customer(user, "+49 151 23456789", "Jonas")));
        assertThat(post(user, "/api/messaging/queues/" + queue + "/start", 200)).containsEntry("credits_held", 0);
        worker.drain();

        callback(status(wamid(queue, 0), "delivered", pricing(true, "marketing", "regular")));
        worker.drain();

        assertThat(queueOf(user, queue)).containsEntry("credits_spent", 7).containsEntry("credits_uncovered", 0);
        assertThat(credits.entriesOf(user.id()).stream().map(e -> e.reason() + " " + e.amount()).toList())
            .containsExactlyInAnyOrder("load 10", "reservation -7");
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(3);
    }

    @Test
    void numbersWithoutACountryCodeWhenTheFirstSenderIsGermanThenReadAsGermanAndPricedInDe() {
        TestUser user = newUser();
        assertThat(invalidFields(post(user, "/api/messaging/senders",
                Map.of("name", "Berlin", "phone", "+49 30 1234567", "default_region", "XX"), 400)))
            .containsExactly("default_region");
        Map<String, Object> german = post(user, "/api/messaging/senders",
                Map.of("name", "Berlin", "phone", "030 1234567", "default_region", "DE"), 201);
        assertThat(german).containsEntry("phone", "+49301234567").containsEntry("default_region", "DE");
        assertThat(post(user, "/api/messaging/senders", Map.of("name", "İstanbul", "phone", "+90 532 000 00 02"), 201))
            .as("default: the country of the sender's own phone")
            .containsEntry("default_region", "TR");

        Map<String, Object> customer = post(user, "/api/messaging/customers",
                Map.of("phone", "0151 23456789", "name", "Jonas"), 201);

        assertThat(customer).containsEntry("phone", "+4915123456789");
        assertThat(jdbc.sql("SELECT country FROM messaging_customers WHERE id = :id")
            .param("id", id(customer))
            .query(String.class)
            .single()).isEqualTo("DE");
        assertThat(
                invalidFields(post(user, "/api/messaging/customers", Map.of("phone", "+90 555 123", "name", "x"), 400)))
            .containsExactly("phone");
    }

    /**
     * A WhatsApp Cloud sender of business account {@code waba} (phone number id
     * {@code waba + "01"}) whose templates promo, kargo and kod are synced; Meta accepts
     * every send.
     */
    private long templateSender(TestUser user, String waba) {
        stubTemplates(waba);
        stubAcceptedAny(waba + "01");
        long sender = sender(user, Map.of("provider", "whatsapp_cloud", "phone_number_id", waba + "01", "access_token",
                "EAAG-cloud-token", "waba_id", waba));
        as(user.token()).post()
            .uri("/api/messaging/senders/" + sender + "/templates/sync")
            .exchange()
            .expectStatus()
            .isOk();
        return sender;
    }

    private long templateDraft(TestUser user, String template) {
        return id(post(user, "/api/messaging/drafts", Map.of("name", template, "template",
                Map.of("name", template, "language", "tr", "body_parameters", List.of())), 201));
    }

    private String wamid(long queue, int index) {
        return jdbc.sql("SELECT provider_message_id FROM messaging_messages WHERE queue_id = :q ORDER BY id")
            .param("q", queue)
            .query(String.class)
            .list()
            .get(index);
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Map<String, Object> rate(String market, String category, int credits) {
        return Map.of("market", market, "category", category, "credits", credits);
    }

    private String wamid(Map<String, Long> queues, String category, int index) {
        return jdbc.sql("SELECT provider_message_id FROM messaging_messages WHERE queue_id = :q ORDER BY id")
            .param("q", queues.get(category))
            .query(String.class)
            .list()
            .get(index);
    }

    private static String pricing(boolean billable, String category, String type) {
        return """
                {"billable":%s,"pricing_model":"PMP","category":"%s","type":"%s"}""".formatted(billable, category,
                type);
    }

    private static String status(String wamid, String status, String pricing) {
        return """
                {"id":"%s","status":"%s","timestamp":"%d","recipient_id":"905559300001","pricing":%s}"""
            .formatted(wamid, status, System.currentTimeMillis() / 1000, pricing);
    }

    private static String failed(String wamid) {
        return """
                {"id":"%s","status":"failed","timestamp":"%d","recipient_id":"12025550123",
                 "errors":[{"code":131026,"title":"Message undeliverable"}]}""".formatted(wamid,
                System.currentTimeMillis() / 1000);
    }

    private void callback(String status) {
        String body = """
                {"object":"whatsapp_business_account","entry":[{"id":"3101","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"310101"},
                  "statuses":[%s]}}]}]}"""
            .formatted(status);
        client().post()
            .uri("/api/messaging/webhooks/whatsapp")
            .contentType(MediaType.APPLICATION_JSON)
            .header("X-Hub-Signature-256", "sha256=" + hmac(body))
            .body(body)
            .exchange()
            .expectStatus()
            .isOk();
    }

    private static String hmac(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec("test-whatsapp-app-secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static void stubTemplates(String wabaId) {
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .get(urlPathEqualTo("/v23.0/" + wabaId + "/message_templates"))
            .willReturn(okJson("""
                    {"data":[
                      {"name":"promo","language":"tr","status":"APPROVED","category":"MARKETING","id":"9101",
                       "components":[{"type":"BODY","text":"Merhaba, indirim var"}]},
                      {"name":"kargo","language":"tr","status":"APPROVED","category":"UTILITY","id":"9102",
                       "components":[{"type":"BODY","text":"Kargonuz yolda"}]},
                      {"name":"kod","language":"tr","status":"APPROVED","category":"AUTHENTICATION","id":"9103",
                       "components":[{"type":"BODY","text":"Kodunuz hazır"}]}],
                     "paging":{"cursors":{"before":"a","after":"b"}}}""")));
    }

    private static void stubAcceptedAny(String phoneNumberId) {
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .post(urlEqualTo("/v23.0/" + phoneNumberId + "/messages"))
            .willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody(
                        """
                                {"messaging_product":"whatsapp","messages":[{"id":"wamid.{{randomValue length=24 type='ALPHANUMERIC'}}"}]}""")));
    }

}
