package dev.kapi.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kapi.messaging.sending.MessageSender;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The WhatsApp Cloud API client against a local HTTP stub that answers like Meta's
 * documentation: message ids, error codes of the recipient, and 130429 rate limiting.
 * (IntegrationTest's Meta stub is the Graph API of every instance.)
 */
class MessagingWhatsAppCloudIntegrationTests extends MessagingTestSupport {

    @Test
    void sendThenMetasDocumentedRequestAndItsAnswersBecomeSentOrFailedMessages() {
        TestUser user = newUserWithCredits(10);
        stubAccepted("100001", "905559400001", "wamid.HBgLOTA1NTU5NDAwMDAxFQIAERgSQUFBQUFBQUFBQUFBQUFBQUFBAA==");
        stubError("100001", "905559400002", 400,
                """
                        {"error":{"message":"(#131026) Message undeliverable","type":"OAuthException","code":131026,
                         "error_data":{"messaging_product":"whatsapp","details":"Message Undeliverable."},"fbtrace_id":"AbC"}}""");
        long sender = cloudSender(user, "100001");
        long ok = id(post(user, "/api/messaging/customers", Map.of("phone", "05559400001", "name", "Ayşe"), 201));
        long bad = customer(user, "05559400002", "Can");
        customersWrote("100001", "905559400001", "905559400002");
        long queue = queue(user, draft(user, "Merhaba {{name}}!"), List.of(sender), List.of(), List.of(ok, bad));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        worker.drain();

        META.verify(postRequestedFor(urlEqualTo("/v23.0/100001/messages"))
            .withHeader("Authorization", equalTo("Bearer EAAG-cloud-token"))
            .withRequestBody(equalToJson(
                    """
                            {"messaging_product":"whatsapp","recipient_type":"individual","to":"905559400001","type":"text",
                             "text":{"preview_url":false,"body":"Merhaba Ayşe!"},"biz_opaque_callback_data":"${json-unit.any-string}"}""")));
        List<Map<String, Object>> messages = list(user, "/api/messaging/queues/" + queue + "/messages");
        assertThat(messages.get(0)).containsEntry("status", "sent");
        assertThat(messages.get(1)).containsEntry("status", "failed")
            .containsEntry("error_code", "131026")
            .containsEntry("error_reason", "Message Undeliverable.")
            .containsEntry("retryable", false);
        assertThat(jdbc.sql("SELECT provider_message_id FROM messaging_messages WHERE id = :id")
            .param("id", id(messages.get(0)))
            .query(String.class)
            .single()).startsWith("wamid.");
        billed("wamid.HBgLOTA1NTU5NDAwMDAxFQIAERgSQUFBQUFBQUFBQUFBQUFBQUFBAA==");
        worker.drain();
        assertThat(queueOf(user, queue)).containsEntry("status", "completed").containsEntry("credits_spent", 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void rateLimitAnswerThenOnlyThatAccountPausesAndItsMessagesWaitForRetry() {
        TestUser user = newUserWithCredits(10);
        stubError("100002", null, 400,
                """
                        {"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,
                         "error_data":{"messaging_product":"whatsapp","details":"Cloud API message throughput has been reached."},
                         "fbtrace_id":"Xyz"}}""");
        long limited = cloudSender(user, "100002");
        long queue = queue(user, draft(user, "Selam"), List.of(limited), List.of(),
                List.of(customer(user, "05559500001", "A"), customer(user, "05559500002", "B"),
                        customer(user, "05559500003", "C")));
        customersWrote("100002", "905559500001", "905559500002", "905559500003");
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        worker.drain();

        Map<String, Object> sender = get(user, "/api/messaging/senders/" + limited, 200);
        assertThat((Map<String, Object>) sender.get("circuit")).containsEntry("open", true)
            .containsEntry("reason", "rate-limited");
        assertThat(sender).containsEntry("status", "active");
        Map<String, Object> waiting = queueOf(user, queue);
        assertThat(waiting).containsEntry("status", "running");
        assertThat(count(waiting, "pending")).isEqualTo(3);
        assertThat(count(waiting, "failed")).isZero();
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/100002/messages")))).hasSizeLessThanOrEqualTo(3);

        for (int i = 1; i <= 3; i++) {
            stubAccepted("100002", "90555950000" + i, "wamid.after-the-pause-" + i);
        }
        clock.advance(Duration.ofMinutes(2));
        user = again(user);
        worker.drain();
        assertThat(count(queueOf(user, queue), "sent")).isEqualTo(3);
    }

    @Test
    @SuppressWarnings("unchecked")
    void rateLimitAnswerToOneOfTwoSendersOfAQueueThenOnlyThatOneSlowsTheOtherSendsOn() {
        TestUser user = newUserWithCredits(50);
        stubError("100006", null, 400,
                """
                        {"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,
                         "error_data":{"messaging_product":"whatsapp","details":"Cloud API message throughput has been reached."}}}""");
        long limited = id(
                post(user, "/api/messaging/senders",
                        Map.of("name", "Yavaş", "phone", "0532 000 00 06", "provider", "whatsapp_cloud",
                                "phone_number_id", "100006", "access_token", "EAAG-cloud-token", "rate_per_second", 1),
                        201));
        long free = cloudSender(user, "100007");
        List<Long> customers = new java.util.ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            String digits = String.format("9055598%05d", i);
            customers.add(customer(user, "0" + digits.substring(2), "K" + i));
            stubAccepted("100007", digits, "wamid.free-" + i);
            customersWrote("100007", digits);
        }
        long queue = queue(user, draft(user, "Selam"), List.of(limited, free), List.of(), customers);
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        // the senders' rounds run at once: the free one is held back for the first round,
        // so that the
        // limited one surely claims its share before the free one could take every
        // message
        put(user, "/api/messaging/senders/" + free, Map.of("status", "paused"), 200);
        worker.runOnce();
        put(user, "/api/messaging/senders/" + free, Map.of("status", "active"), 200);
        for (int round = 0; round < 5; round++) {
            worker.runOnce();
        }

        assertThat((Map<String, Object>) get(user, "/api/messaging/senders/" + limited, 200).get("circuit"))
            .containsEntry("open", true)
            .containsEntry("reason", "rate-limited");
        assertThat((Map<String, Object>) get(user, "/api/messaging/senders/" + free, 200).get("circuit"))
            .containsEntry("open", false);
        Map<String, Object> progress = queueOf(user, queue);
        // what the limited sender claimed (its burst) waits for its circuit; the free one
        // sent all the rest
        long waiting = count(progress, "pending");
        assertThat(waiting).isBetween(1L, 2L);
        assertThat(count(progress, "sent")).isEqualTo(20 - waiting)
            .isEqualTo(META.findAll(postRequestedFor(urlEqualTo("/v23.0/100007/messages"))).size());
        assertThat(count(progress, "failed")).isZero();
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/100006/messages")))).hasSize(1);
    }

    @Test
    void repeatedFailuresThenTheCircuitBreakerPausesTheAccountAndTheMessagesFailOnlyAfterTheirAttempts() {
        TestUser user = newUserWithCredits(20);
        stubError("100003", null, 500,
                """
                        {"error":{"message":"(#131000) Something went wrong","type":"OAuthException","code":131000,"fbtrace_id":"Q"}}""");
        long failing = cloudSender(user, "100003");
        List<Long> customers = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            customers.add(customer(user, "0555960000" + i, "K" + i));
            customersWrote("100003", "90555960000" + i);
        }
        long queue = queue(user, draft(user, "Selam"), List.of(failing), List.of(), customers);
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        worker.drain();

        Map<String, Object> sender = get(user, "/api/messaging/senders/" + failing, 200);
        assertThat(((Map<?, ?>) sender.get("circuit")).get("open")).isEqualTo(true);
        assertThat(count(queueOf(user, queue), "pending")).isEqualTo(6);
        List<Map<String, Object>> messages = list(user, "/api/messaging/queues/" + queue + "/messages");
        assertThat(messages).allSatisfy(message -> assertThat(message).containsEntry("error_code", "131000"));
    }

    @Test
    void workerDiesWithOneCallToWhatsAppInFlightThenOnlyThatOneIsUncertainAndNeverResentTheOtherClaimedAreSentOnce() {
        TestUser user = newUserWithCredits(10);
        long sender = cloudSender(user, "100004");
        List<Long> customers = List.of(customer(user, "05559700001", "A"), customer(user, "05559700002", "B"),
                customer(user, "05559700003", "C"));
        for (int i = 1; i <= 3; i++) {
            stubAccepted("100004", "90555970000" + i, "wamid.crash-" + i);
        }
        customersWrote("100004", "905559700001", "905559700002", "905559700003");
        long queue = queue(user, draft(user, "Selam"), List.of(sender), List.of(), customers);
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        // a worker claims all three, marks the first as being sent (its call in flight)
        // and dies
        MessageSender.Batch batch = worker.claim(sender);
        assertThat(batch.messages()).hasSize(3);
        worker.begin(batch.messages().getFirst());
        worker.drain();
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/100004/messages")))).isEmpty();
        clock.advance(Duration.ofMinutes(3));
        user = again(user);
        worker.drain();

        List<Map<String, Object>> messages = list(user, "/api/messaging/queues/" + queue + "/messages");
        assertThat(messages.getFirst()).containsEntry("status", "failed")
            .containsEntry("error_code", "outcome-unknown")
            .containsEntry("retryable", false);
        assertThat(messages.subList(1, 3))
            .allSatisfy(m -> assertThat(m).containsEntry("status", "sent").containsEntry("attempts", 1));
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/100004/messages")))).hasSize(2);
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/100004/messages"))
            .withRequestBody(matchingJsonPath("$.to", equalTo("905559700001"))))).isEmpty();
        billed("wamid.crash-2", "wamid.crash-3");
        worker.drain();
        assertThat(queueOf(user, queue)).containsEntry("status", "completed").containsEntry("credits_spent", 2);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(8);
    }

    @Test
    void freeFormCampaignThenOnlyCustomersWhoWroteInTheLast24HoursGetItTheRestAreSkipped() {
        TestUser user = newUserWithCredits(10);
        stubAccepted("100005", null, "wamid.window");
        long sender = cloudSender(user, "100005");
        long wroteLong = customer(user, "05559800001", "Eski");
        customersWrote("100005", "905559800001");
        clock.advance(Duration.ofHours(25));
        user = again(user);
        long wrote = customer(user, "05559800002", "Yeni");
        long never = customer(user, "05559800003", "Hiç");
        customersWrote("100005", "905559800002");
        long queue = queue(user, draft(user, "Selam {{name}}"), List.of(sender), List.of(),
                List.of(wroteLong, wrote, never));

        assertThat(get(user, "/api/messaging/queues/" + queue + "/preflight", 200))
            .containsEntry("service_window_applies", true)
            .containsEntry("inside_service_window", 1)
            .containsEntry("outside_service_window", 2)
            .containsEntry("recipients", 1)
            .containsEntry("credits_needed", 1);
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();

        List<Map<String, Object>> messages = list(user, "/api/messaging/queues/" + queue + "/messages");
        assertThat(messages).extracting(m -> m.get("status")).containsExactly("skipped", "sent", "skipped");
        assertThat(messages.get(0)).containsEntry("error_code", "outside-service-window");
        assertThat(messages.get(2)).containsEntry("error_code", "outside-service-window");
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/100005/messages")))).hasSize(1);
        billed("wamid.window");
        worker.drain();
        assertThat(queueOf(user, queue)).containsEntry("status", "completed").containsEntry("credits_spent", 1);
    }

    @Test
    void templateSyncThenEveryPageOfMetasTemplatesIsStoredAndListedForTheSendersOfThatBusinessAccount() {
        TestUser user = newUserWithCredits(10);
        stubTemplatePages("2001");
        long sender = cloudSender(user, "200101", "2001");
        long sibling = cloudSender(user, "200102", "2001");

        List<Map<String, Object>> synced = postList(user, "/api/messaging/senders/" + sender + "/templates/sync");

        assertThat(synced).extracting(t -> t.get("name"))
            .containsExactly("kampanya_duyuru", "siparis_durumu", "dogrulama_kodu");
        assertThat(synced.getFirst()).containsEntry("language", "tr")
            .containsEntry("category", "marketing")
            .containsEntry("status", "APPROVED")
            .containsEntry("body_parameters", 2)
            .containsEntry("header_format", "IMAGE")
            .containsEntry("waba_id", "2001");
        assertThat(synced.get(1)).containsEntry("status", "PENDING").containsEntry("category", "utility");
        assertThat(list(user, "/api/messaging/templates?sender_id=" + sibling)).hasSize(3);
        assertThat(list(user, "/api/messaging/templates?sender_id=" + sibling + "&limit=2")).hasSize(2);
        META.verify(2, getRequestedFor(urlPathEqualTo("/v23.0/2001/message_templates")).withHeader("Authorization",
                equalTo("Bearer EAAG-cloud-token")));
        META.verify(getRequestedFor(urlPathEqualTo("/v23.0/2001/message_templates")).withQueryParam("after",
                equalTo("QVFIUmFmdGVy")));

        TestUser stranger = newUser();
        post(stranger, "/api/messaging/senders/" + sender + "/templates/sync", 404);
        get(stranger, "/api/messaging/templates?sender_id=" + sender, 404);
        long simulated = sender(user);
        assertThat(post(user, "/api/messaging/senders/" + simulated + "/templates/sync", 409)).containsEntry("type",
                "urn:kapi:problem:sender-has-no-business-account");
    }

    @Test
    void templateCampaignThenMetaGetsTheExactTemplateBodyFilledFromEachCustomerOutsideTheServiceWindowToo() {
        TestUser user = newUserWithCredits(10);
        stubTemplatePages("2002");
        stubAccepted("200201", "905559900001", "wamid.template-1");
        stubAccepted("200201", "905559900002", "wamid.template-2");
        long sender = cloudSender(user, "200201", "2002");
        postList(user, "/api/messaging/senders/" + sender + "/templates/sync");
        long ayse = id(post(user, "/api/messaging/customers",
                Map.of("phone", "05559900001", "name", "Ayşe", "fields", Map.of("city", "İzmir 🌊")), 201));
        long ugur = id(post(user, "/api/messaging/customers",
                Map.of("phone", "05559900002", "name", "Uğur Çelik", "fields", Map.of("city", "Muş")), 201));
        long draft = id(post(user, "/api/messaging/drafts",
                Map.of("name", "Duyuru", "template",
                        Map.of("name", "kampanya_duyuru", "language", "tr", "header",
                                Map.of("type", "image", "link", "https://cdn.example.com/kampanya.jpg"),
                                "body_parameters", List.of("{{name}}", "{{city}} şubemiz 🎉"))),
                201));
        long queue = id(post(user, "/api/messaging/queues",
                Map.of("draft_id", draft, "sender_ids", List.of(sender), "customer_ids", List.of(ayse, ugur)), 201));
        assertThat(get(user, "/api/messaging/queues/" + queue + "/preflight", 200))
            .containsEntry("service_window_applies", false)
            .containsEntry("recipients", 2)
            .containsEntry("credits_needed", 6)
            .containsEntry("messaging_limit_applies", true)
            .containsEntry("messaging_limit_waiting", 0);
        assertThat(post(user, "/api/messaging/queues/" + queue + "/start", 200)).containsEntry("credits_held", 6);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(4);

        worker.drain();

        for (String[] recipient : new String[][] { { "905559900001", "Ayşe", "İzmir 🌊 şubemiz 🎉" },
                { "905559900002", "Uğur Çelik", "Muş şubemiz 🎉" } }) {
            META.verify(postRequestedFor(urlEqualTo("/v23.0/200201/messages")).withRequestBody(equalToJson(
                    """
                            {"messaging_product":"whatsapp","recipient_type":"individual","to":"%s","type":"template",
                             "template":{"name":"kampanya_duyuru","language":{"code":"tr"},"components":[
                               {"type":"header","parameters":[{"type":"image","image":{"link":"https://cdn.example.com/kampanya.jpg"}}]},
                               {"type":"body","parameters":[{"type":"text","text":"%s"},{"type":"text","text":"%s"}]}]},
                             "biz_opaque_callback_data":"${json-unit.any-string}"}"""
                        .formatted(recipient[0], recipient[1], recipient[2]))));
        }
        billed("wamid.template-1", "wamid.template-2");
        worker.drain();
        Map<String, Object> done = queueOf(user, queue);
        assertThat(done).containsEntry("status", "completed")
            .containsEntry("category", "marketing")
            .containsEntry("credits_spent", 6);
        assertThat(count(done, "sent")).isEqualTo(2);
    }

    @Test
    void templateDraftWhenTheTemplateIsNotApprovedHasTheWrongParameterCountOrTheSenderNoBusinessAccountThen400() {
        TestUser user = newUserWithCredits(10);
        stubTemplatePages("2003");
        long sender = cloudSender(user, "200301", "2003");
        postList(user, "/api/messaging/senders/" + sender + "/templates/sync");
        long customer = customer(user, "05559910001", "Ali");
        long pending = templateDraft(user, "siparis_durumu", List.of("{{name}}"), null);
        long wrongCount = templateDraft(user, "kampanya_duyuru", List.of("{{name}}"),
                Map.of("type", "image", "link", "https://cdn.example.com/a.jpg"));
        long noHeader = templateDraft(user, "kampanya_duyuru", List.of("{{name}}", "{{phone}}"), null);
        long unknown = templateDraft(user, "yok_boyle", List.of(), null);
        long fine = templateDraft(user, "dogrulama_kodu", List.of("{{phone}}"), null);

        assertThat(queueProblem(user, pending, sender, customer)).containsEntry("type",
                "urn:kapi:problem:template-not-approved");
        assertThat(queueProblem(user, wrongCount, sender, customer)).containsEntry("type",
                "urn:kapi:problem:template-parameter-count");
        assertThat(queueProblem(user, noHeader, sender, customer)).containsEntry("type",
                "urn:kapi:problem:template-header-mismatch");
        assertThat(queueProblem(user, unknown, sender, customer)).containsEntry("type",
                "urn:kapi:problem:template-unknown");
        assertThat(queueProblem(user, fine, sender(user), customer)).containsEntry("type",
                "urn:kapi:problem:template-needs-business-account");
        post(user, "/api/messaging/queues",
                Map.of("draft_id", fine, "sender_ids", List.of(sender), "customer_ids", List.of(customer)), 201);
        assertThat(
                invalidFields(
                        post(user, "/api/messaging/drafts",
                                Map.of("name", "İkisi", "body", "Selam", "template",
                                        Map.of("name", "dogrulama_kodu", "language", "tr")),
                                400)))
            .containsExactly("template");
        assertThat(invalidFields(post(user, "/api/messaging/drafts",
                Map.of("name", "Bilinmeyen", "template",
                        Map.of("name", "dogrulama_kodu", "language", "tr", "body_parameters", List.of("{{unvan}}"))),
                400)))
            .containsExactly("template.body_parameters[0]");
    }

    @Test
    @SuppressWarnings("unchecked")
    void messagingLimitWhenSetOnOneSenderThenEverySenderOfThatBusinessAccountSharesItAndBadValuesAre400() {
        TestUser user = newUserWithCredits(10);
        long first = cloudSender(user, "201001", "2010");
        long sibling = cloudSender(user, "201002", "2010");
        long other = cloudSender(user, "201003", "2011");
        assertThat(get(user, "/api/messaging/senders/" + first, 200)).containsEntry("messaging_limit", 250);

        assertThat(put(user, "/api/messaging/senders/" + first, Map.of("messaging_limit", 10_000), 200))
            .containsEntry("messaging_limit", 10_000);
        assertThat(get(user, "/api/messaging/senders/" + sibling, 200)).containsEntry("messaging_limit", 10_000);
        assertThat(get(user, "/api/messaging/senders/" + other, 200)).containsEntry("messaging_limit", 250);
        put(user, "/api/messaging/senders/" + sibling, Map.of("messaging_limit", "unlimited"), 200);
        assertThat(list(user, "/api/messaging/senders")).filteredOn(s -> "2010".equals(s.get("waba_id")))
            .extracting(s -> s.get("messaging_limit"))
            .containsExactly("unlimited", "unlimited");
        long created = id(post(user, "/api/messaging/senders",
                Map.of("name", "Üçüncü", "phone", "0532 000 00 09", "provider", "whatsapp_cloud", "phone_number_id",
                        "201004", "access_token", "EAAG-cloud-token", "waba_id", "2011", "messaging_limit", 2_000),
                201));
        assertThat(get(user, "/api/messaging/senders/" + other, 200)).containsEntry("messaging_limit", 2_000);
        assertThat(get(user, "/api/messaging/senders/" + created, 200)).containsEntry("messaging_limit", 2_000);

        for (Object wrong : List.of(300, "250", 250.5, "sınırsız", List.of(250), Map.of("n", 1))) {
            Map<String, Object> problem = put(user, "/api/messaging/senders/" + first, Map.of("messaging_limit", wrong),
                    400);
            assertThat(invalidFields(problem)).as("%s", wrong).containsExactly("messaging_limit");
        }
        long simulated = sender(user);
        assertThat(get(user, "/api/messaging/senders/" + simulated, 200)).containsEntry("messaging_limit", null);
        assertThat(invalidFields(put(user, "/api/messaging/senders/" + simulated, Map.of("messaging_limit", 250), 400)))
            .containsExactly("messaging_limit");
        TestUser stranger = newUser();
        assertThat(get(user, "/api/messaging/senders/" + sibling, 200)).containsEntry("messaging_limit", "unlimited");
        long strangers = cloudSender(stranger, "201005", "2010");
        assertThat(get(stranger, "/api/messaging/senders/" + strangers, 200)).containsEntry("messaging_limit", 250);
    }

    @Test
    void messagingLimitAcrossTwoQueuesThenNoMoreUniqueRecipientsIn24HoursThanTheTierTheRestWaitUntilTheWindowRolls() {
        TestUser user = newUserWithCredits(1_000);
        stubTemplatePages("2012");
        stubAcceptedAny("201201");
        stubAcceptedAny("201202");
        long first = cloudSender(user, "201201", "2012");
        long second = cloudSender(user, "201202", "2012");
        postList(user, "/api/messaging/senders/" + first + "/templates/sync");
        long draft = templateDraft(user, "dogrulama_kodu", List.of("{{name}}"), null);
        long earlier = importedGroup(user, 200, 612);
        List<Long> again = jdbc.sql(
                "SELECT id FROM messaging_customers WHERE owner_id = :owner AND phone LIKE '+90555612%' ORDER BY id LIMIT 20")
            .param("owner", user.id())
            .query(Long.class)
            .list();
        long later = importedGroup(user, 100, 613);
        long queue = id(post(user, "/api/messaging/queues",
                Map.of("draft_id", draft, "sender_ids", List.of(first), "group_ids", List.of(earlier)), 201));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();
        assertThat(count(queueOf(user, queue), "sent")).isEqualTo(200);
        java.time.Instant firstSends = clock.instant();

        clock.advance(Duration.ofHours(1));
        user = again(user);
        long next = id(post(user, "/api/messaging/queues", Map.of("draft_id", draft, "sender_ids", List.of(second),
                "group_ids", List.of(later), "customer_ids", again), 201));
        Map<String, Object> preflight = get(user, "/api/messaging/queues/" + next + "/preflight", 200);
        // 120 recipients: 20 reached an hour ago count no more, 50 fit into the 250, 50
        // wait for the first sends to age out
        assertThat(preflight).containsEntry("recipients", 120)
            .containsEntry("messaging_limit_applies", true)
            .containsEntry("messaging_limit_waiting", 50);
        // PostgreSQL keeps microseconds: the clock's nanoseconds come back rounded
        assertThat(Duration
            .between(firstSends.plus(Duration.ofHours(24)),
                    Instant.parse((String) preflight.get("estimated_finish_at")))
            .abs()).isLessThanOrEqualTo(Duration.ofNanos(1_000));
        post(user, "/api/messaging/queues/" + next + "/start", 200);
        worker.drain();

        Map<String, Object> waiting = queueOf(user, next);
        assertThat(count(waiting, "sent")).isEqualTo(70);
        assertThat(count(waiting, "pending")).isEqualTo(50);
        assertThat(count(waiting, "failed")).isZero();
        assertThat(waiting).containsEntry("status", "running")
            .containsEntry("estimated_finish", firstSends.plus(Duration.ofHours(24)).toString());
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/201201/messages")))).hasSize(200);
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/201202/messages")))).hasSize(70);
        assertThat(uniqueRecipients("201201", "201202")).isEqualTo(250);

        clock.advance(Duration.ofHours(22).plusMinutes(59));
        user = again(user);
        worker.drain();
        assertThat(count(queueOf(user, next), "pending")).isEqualTo(50);
        clock.advance(Duration.ofMinutes(1));
        user = again(user);
        worker.drain();
        billed(jdbc.sql("SELECT provider_message_id FROM messaging_messages WHERE queue_id = :id")
            .param("id", next)
            .query(String.class)
            .list()
            .toArray(String[]::new));
        worker.drain();
        Map<String, Object> done = queueOf(user, next);
        assertThat(count(done, "sent")).isEqualTo(120);
        assertThat(done).containsEntry("status", "completed").containsEntry("credits_spent", 240);
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/201202/messages")))).hasSize(120);
    }

    @Test
    void messagingLimitWhenUnlimitedThenATemplateCampaignBeyondEveryTierIsSentWhole() {
        TestUser user = newUserWithCredits(1_000);
        stubTemplatePages("2013");
        stubAcceptedAny("201301");
        long sender = cloudSender(user, "201301", "2013");
        put(user, "/api/messaging/senders/" + sender, Map.of("messaging_limit", "unlimited"), 200);
        postList(user, "/api/messaging/senders/" + sender + "/templates/sync");
        long draft = templateDraft(user, "dogrulama_kodu", List.of("{{name}}"), null);
        long queue = id(post(user, "/api/messaging/queues", Map.of("draft_id", draft, "sender_ids", List.of(sender),
                "group_ids", List.of(importedGroup(user, 300, 616))), 201));
        assertThat(get(user, "/api/messaging/queues/" + queue + "/preflight", 200))
            .containsEntry("messaging_limit_waiting", 0);
        post(user, "/api/messaging/queues/" + queue + "/start", 200);

        worker.drain();

        Map<String, Object> done = queueOf(user, queue);
        assertThat(count(done, "sent")).isEqualTo(300);
        assertThat(done).containsEntry("status", "completed");
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/201301/messages")))).hasSize(300);
    }

    @Test
    void messagingLimitWhenTwoInstancesSendForTheSameBusinessAccountAtOnceThenTogetherTheyStayWithinIt()
            throws Exception {
        TestUser user = newUserWithCredits(1_000);
        stubTemplatePages("2014");
        stubAcceptedAny("201401");
        stubAcceptedAny("201402");
        long first = cloudSender(user, "201401", "2014");
        long second = cloudSender(user, "201402", "2014");
        postList(user, "/api/messaging/senders/" + first + "/templates/sync");
        long draft = templateDraft(user, "dogrulama_kodu", List.of("{{name}}"), null);
        long one = id(post(user, "/api/messaging/queues", Map.of("draft_id", draft, "sender_ids", List.of(first),
                "group_ids", List.of(importedGroup(user, 150, 614))), 201));
        long two = id(post(user, "/api/messaging/queues", Map.of("draft_id", draft, "sender_ids", List.of(second),
                "group_ids", List.of(importedGroup(user, 150, 615))), 201));
        post(user, "/api/messaging/queues/" + one + "/start", 200);
        post(user, "/api/messaging/queues/" + two + "/start", 200);
        MessageSender other = secondInstance().getBean(MessageSender.class);

        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(2)) {
            var here = executor.submit(() -> rounds(together, worker, first));
            var there = executor.submit(() -> rounds(together, other, second));
            here.get();
            there.get();
        }

        assertThat(uniqueRecipients("201401", "201402")).isEqualTo(250);
        assertThat(count(queueOf(user, one), "sent") + count(queueOf(user, two), "sent")).isEqualTo(250);
        assertThat(count(queueOf(user, one), "pending") + count(queueOf(user, two), "pending")).isEqualTo(50);
        assertThat(count(queueOf(user, one), "failed") + count(queueOf(user, two), "failed")).isZero();
    }

    /**
     * The sender's rounds, each started with the other instance's, until neither has
     * anything left it may send.
     */
    private static Void rounds(java.util.concurrent.CyclicBarrier together, MessageSender sender, long senderId)
            throws Exception {
        for (int round = 0; round < 5; round++) {
            together.await();
            sender.sendFor(senderId);
        }
        return null;
    }

    /**
     * How many different numbers Meta got a message for through these WhatsApp numbers.
     */
    private static long uniqueRecipients(String... phoneNumberIds) {
        return java.util.Arrays.stream(phoneNumberIds)
            .flatMap(id -> META.findAll(postRequestedFor(urlEqualTo("/v23.0/" + id + "/messages"))).stream())
            .map(request -> request.getBodyAsString().replaceAll(".*\"to\":\"(\\d+)\".*", "$1"))
            .distinct()
            .count();
    }

    /** {@code count} customers +90555{base}nnnn imported straight into a new group. */
    private long importedGroup(TestUser user, int count, int base) {
        long group = id(
                post(user, "/api/messaging/groups", Map.of("name", "Grup " + base + " " + System.nanoTime()), 201));
        StringBuilder csv = new StringBuilder("phone,name\n");
        for (int i = 0; i < count; i++) {
            csv.append(String.format("0555%03d%04d,Müşteri %d%n", base, i + 1, i + 1));
        }
        as(user.token()).post()
            .uri("/api/messaging/customers/import?group_id=" + group)
            .contentType(org.springframework.http.MediaType.valueOf("text/csv"))
            .body(csv.toString())
            .exchange()
            .expectStatus()
            .isOk();
        return group;
    }

    /**
     * Meta accepting every message to this WhatsApp number, each with a message id of its
     * own.
     */
    private static void stubAcceptedAny(String phoneNumberId) {
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .post(urlEqualTo("/v23.0/" + phoneNumberId + "/messages"))
            .willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withTransformers("response-template")
                .withBody("""
                        {"messaging_product":"whatsapp","messages":[{"id":"wamid.{{randomValue type='UUID'}}"}]}""")));
    }

    private long templateDraft(TestUser user, String name, List<String> parameters, Map<String, Object> header) {
        Map<String, Object> template = new java.util.HashMap<>(
                Map.of("name", name, "language", "tr", "body_parameters", parameters));
        if (header != null) {
            template.put("header", header);
        }
        return id(post(user, "/api/messaging/drafts", Map.of("name", name, "template", template), 201));
    }

    private Map<String, Object> queueProblem(TestUser user, long draft, long sender, long customer) {
        return post(user, "/api/messaging/queues",
                Map.of("draft_id", draft, "sender_ids", List.of(sender), "customer_ids", List.of(customer)), 400);
    }

    private List<Map<String, Object>> postList(TestUser user, String path) {
        return as(user.token()).post()
            .uri(path)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_ARRAY)
            .returnResult()
            .getResponseBody();
    }

    /**
     * Two pages of Meta's GET /{waba-id}/message_templates: an approved image-header
     * template, a pending one; then one more.
     */
    private static void stubTemplatePages(String wabaId) {
        String base = META.baseUrl() + "/v23.0/" + wabaId + "/message_templates";
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .get(urlPathEqualTo("/v23.0/" + wabaId + "/message_templates"))
            .withQueryParam("after", absent())
            .willReturn(
                    okJson("""
                            {"data":[
                              {"name":"kampanya_duyuru","language":"tr","status":"APPROVED","category":"MARKETING","id":"9001",
                               "components":[{"type":"HEADER","format":"IMAGE","example":{"header_handle":["https://x"]}},
                                             {"type":"BODY","text":"Merhaba {{1}}, {{2}} indirimde!"},
                                             {"type":"FOOTER","text":"Kapı"}]},
                              {"name":"siparis_durumu","language":"tr","status":"PENDING","category":"UTILITY","id":"9002",
                               "components":[{"type":"BODY","text":"Siparişiniz yolda {{1}}"}]}],
                             "paging":{"cursors":{"before":"QVFIUmJlZm9yZQ","after":"QVFIUmFmdGVy"},"next":"%s?after=QVFIUmFmdGVy"}}"""
                        .formatted(base))));
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock
            .get(urlPathEqualTo("/v23.0/" + wabaId + "/message_templates"))
            .withQueryParam("after", equalTo("QVFIUmFmdGVy"))
            .willReturn(
                    okJson("""
                            {"data":[
                              {"name":"dogrulama_kodu","language":"tr","status":"APPROVED","category":"AUTHENTICATION","id":"9003",
                               "components":[{"type":"BODY","text":"Kodunuz: {{1}}"}]}],
                             "paging":{"cursors":{"before":"QVFIUmFmdGVy","after":"QVFIUmVuZA"}}}""")));
    }

    private long cloudSender(TestUser user, String phoneNumberId, String wabaId) {
        return sender(user, Map.of("provider", "whatsapp_cloud", "phone_number_id", phoneNumberId, "access_token",
                "EAAG-cloud-token", "waba_id", wabaId));
    }

    private long cloudSender(TestUser user, String phoneNumberId) {
        return sender(user, Map.of("provider", "whatsapp_cloud", "phone_number_id", phoneNumberId, "access_token",
                "EAAG-cloud-token"));
    }

    private static void stubAccepted(String phoneNumberId, String to, String wamid) {
        var request = com.github.tomakehurst.wiremock.client.WireMock
            .post(urlEqualTo("/v23.0/" + phoneNumberId + "/messages"));
        if (to != null) {
            request = request.withRequestBody(matchingJsonPath("$.to", equalTo(to)));
        }
        META.stubFor(request
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                    {"messaging_product":"whatsapp","contacts":[{"input":"%s","wa_id":"%s"}],
                     "messages":[{"id":"%s"}]}""".formatted(to, to, wamid))));
    }

    private static void stubError(String phoneNumberId, String to, int status, String body) {
        var request = com.github.tomakehurst.wiremock.client.WireMock
            .post(urlEqualTo("/v23.0/" + phoneNumberId + "/messages"));
        if (to != null) {
            request = request.withRequestBody(matchingJsonPath("$.to", equalTo(to)));
        }
        META.stubFor(request
            .willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
    }

}
