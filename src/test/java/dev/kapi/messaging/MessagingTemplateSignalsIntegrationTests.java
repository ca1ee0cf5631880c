package dev.kapi.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meta's template and number signals over real HTTP, with WireMock as the Graph API: a
 * paused template holds the queues that send it (no recipient fails, the credits stay
 * held) until it is reinstated; a disabled one cancels them and refunds; Meta's send
 * answers 132015, 132016, 132000 and 132001 do the same; a retried callback moves nothing
 * twice.
 */
class MessagingTemplateSignalsIntegrationTests extends MessagingTestSupport {

    // a marketing message costs 3 credits in the tests
    // (kapi.messaging.credit-cost.marketing)

    @Test
    void pauseWebhookMidCampaignThenTheQueueHoldsWithNoRecipientFailedAndResumesOnReinstatement() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "4101", 20, 1.0);
        start(campaign);
        worker.runOnce();
        long sentBefore = count(queueOf(user, campaign.queue()), "sent");
        assertThat(sentBefore).isBetween(1L, 19L);

        Map<String, Object> answer = signed(templateStatus("4101", t0, "PAUSED"));

        assertThat(answer).containsEntry("signals_applied", 1);
        Map<String, Object> held = queueOf(user, campaign.queue());
        assertThat(held).containsEntry("status", "paused")
            .containsEntry("pause_reason", "template-paused")
            .containsEntry("credits_held", 60);
        assertThat(count(held, "failed")).isZero();
        assertThat(template(user, campaign.sender())).containsEntry("status", "PAUSED")
            .containsEntry("paused_until", at(t0 + 3 * 3600));
        clock.advance(Duration.ofMinutes(1));
        worker.drain();
        assertThat(count(queueOf(user, campaign.queue()), "sent")).isEqualTo(sentBefore);

        signed(templateStatus("4101", t0 + 10_000, "REINSTATED"));

        Map<String, Object> resumed = queueOf(user, campaign.queue());
        assertThat(resumed).containsEntry("status", "running").containsEntry("pause_reason", null);
        assertThat(template(user, campaign.sender())).containsEntry("status", "APPROVED")
            .containsEntry("paused_until", null);
        sendEverything(user, campaign.queue());
        billedAll(campaign.queue());
        Map<String, Object> done = queueOf(user, campaign.queue());
        assertThat(done).containsEntry("status", "completed").containsEntry("credits_spent", 60);
        assertThat(count(done, "sent")).isEqualTo(20);
        assertThat(count(done, "failed")).isZero();
    }

    @Test
    void aCallbackRetriedByMetaOrOlderThanTheLastMovesNothingTwice() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "4102", 3, null);
        start(campaign);
        String paused = templateStatus("4102", t0, "PAUSED");

        assertThat(signed(paused)).containsEntry("signals_applied", 1);
        assertThat(signed(paused)).containsEntry("signals_applied", 0);
        assertThat(template(user, campaign.sender())).containsEntry("paused_until", at(t0 + 3 * 3600));
        assertThat(signed(templateStatus("4102", t0 + 20_000, "APPROVED"))).containsEntry("signals_applied", 1);
        assertThat(queueOf(user, campaign.queue())).containsEntry("status", "running");

        // Meta's retry of the old pause, and a pause older than the approval, both come
        // late
        assertThat(signed(paused)).containsEntry("signals_applied", 0);
        assertThat(signed(templateStatus("4102", t0 + 10_000, "PAUSED"))).containsEntry("signals_applied", 0);
        assertThat(queueOf(user, campaign.queue())).containsEntry("status", "running");
        assertThat(template(user, campaign.sender())).containsEntry("status", "APPROVED");

        // a user's pause is the user's: a reinstatement does not lift it
        post(user, "/api/messaging/queues/" + campaign.queue() + "/pause", 200);
        signed(templateStatus("4102", t0 + 30_000, "PAUSED"));
        signed(templateStatus("4102", t0 + 40_000, "APPROVED"));
        assertThat(queueOf(user, campaign.queue())).containsEntry("status", "paused")
            .containsEntry("pause_reason", null);
        // the second pause of the template is estimated at 6 hours
        assertThat(signed(templateStatus("4102", t0 - 31L * 24 * 3600, "APPROVED"))).as("older than kept")
            .containsEntry("signals_applied", 0);
        signed(templateStatus("4102", t0 + 50_000, "PAUSED"));
        assertThat(template(user, campaign.sender())).containsEntry("paused_until", at(t0 + 50_000 + 6 * 3600));
    }

    @Test
    void disabledWebhookThenTheQueueIsCancelledAndItsUnspentCreditsRefunded() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "4103", 5, null);
        start(campaign);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(85);

        signed(templateStatus("4103", t0, "DISABLED"));

        Map<String, Object> cancelled = queueOf(user, campaign.queue());
        assertThat(cancelled).containsEntry("status", "cancelled").containsEntry("credits_held", 0);
        assertThat(count(cancelled, "cancelled")).isEqualTo(5);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(100);
        assertThat(template(user, campaign.sender())).containsEntry("status", "DISABLED");
        worker.drain();
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/" + campaign.phoneNumberId() + "/messages"))))
            .isEmpty();
    }

    @Test
    void templatePausedAnswerFromTheSendThenTheQueueHoldsNobodyFailsAndTheReinstatementSendsTheRest() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "4104", 6, null);
        refuseEverySend(campaign.phoneNumberId(), 132015, "Template is paused");
        start(campaign);

        worker.drain();

        Map<String, Object> held = queueOf(user, campaign.queue());
        assertThat(held).containsEntry("status", "paused")
            .containsEntry("pause_reason", "template-paused")
            .containsEntry("credits_held", 18);
        assertThat(count(held, "pending")).isEqualTo(6);
        assertThat(count(held, "failed")).isZero();
        assertThat(list(user, "/api/messaging/queues/" + campaign.queue() + "/messages"))
            .allSatisfy(message -> assertThat(message).containsEntry("attempts", 0));
        @SuppressWarnings("unchecked")
        Map<String, Object> circuit = (Map<String, Object>) get(user, "/api/messaging/senders/" + campaign.sender(),
                200)
            .get("circuit");
        assertThat(circuit).containsEntry("open", false);

        acceptEverySend(campaign.phoneNumberId());
        signed(templateStatus("4104", t0, "APPROVED"));
        worker.drain();
        billedAll(campaign.queue());

        Map<String, Object> done = queueOf(user, campaign.queue());
        assertThat(done).containsEntry("status", "completed").containsEntry("credits_spent", 18);
        assertThat(count(done, "sent")).isEqualTo(6);
    }

    @Test
    void templateMissingAnswerThenTheQueueHoldsUntilTheUserResumesIt() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "4105", 3, null);
        refuseEverySend(campaign.phoneNumberId(), 132001, "Template name does not exist in the translation");
        start(campaign);

        worker.drain();

        assertThat(queueOf(user, campaign.queue())).containsEntry("status", "paused")
            .containsEntry("pause_reason", "template-missing");
        acceptEverySend(campaign.phoneNumberId());
        assertThat(post(user, "/api/messaging/queues/" + campaign.queue() + "/resume", 200))
            .containsEntry("status", "running")
            .containsEntry("pause_reason", null);
        worker.drain();
        Map<String, Object> done = queueOf(user, campaign.queue());
        assertThat(done).containsEntry("status", "completed");
        assertThat(count(done, "sent")).isEqualTo(3);
        assertThat(count(done, "failed")).isZero();
    }

    @Test
    void templateDisabledAnswerFromTheSendThenTheQueueIsCancelledAndRefunded() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "4106", 4, null);
        refuseEverySend(campaign.phoneNumberId(), 132016, "Template is disabled");
        start(campaign);

        worker.drain();

        Map<String, Object> cancelled = queueOf(user, campaign.queue());
        assertThat(cancelled).containsEntry("status", "cancelled").containsEntry("credits_held", 0);
        assertThat(count(cancelled, "failed")).isZero();
        assertThat(count(cancelled, "cancelled")).isEqualTo(4);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(100);
    }

    @Test
    @SuppressWarnings("unchecked")
    void qualityAndNumberWebhooksThenTemplatesShowTheirQualityAndSendersTheirEventAndMessagingLimit() {
        TestUser user = newUserWithCredits(10);
        Campaign campaign = campaign(user, "4107", 1, null);

        signed(change("4107", t0, "message_template_quality_update", """
                {"previous_quality_score":"GREEN","new_quality_score":"YELLOW","message_template_id":774107,
                 "message_template_name":"%s","message_template_language":"tr"}""".formatted(TEMPLATE)));
        signed(change("4107", t0, "phone_number_quality_update", """
                {"display_phone_number":"+90 532 000 00 01","event":"UPGRADE",
                 "max_daily_conversations_per_business":"TIER_10K"}"""));

        assertThat(template(user, campaign.sender())).containsEntry("quality", "YELLOW");
        Map<String, Object> sender = get(user, "/api/messaging/senders/" + campaign.sender(), 200);
        assertThat(sender).containsEntry("quality_event", "UPGRADE").containsEntry("messaging_limit", 10_000);

        // Meta's older field, a later event, then a late one that changes nothing
        signed(change("4107", t0 + 100, "phone_number_quality_update",
                """
                        {"display_phone_number":"905320000001","event":"THROUGHPUT_UPGRADE","current_limit":"TIER_UNLIMITED"}"""));
        signed(change("4107", t0 + 50, "phone_number_quality_update", """
                {"display_phone_number":"905320000001","event":"DOWNGRADE","current_limit":"TIER_250"}"""));
        sender = get(user, "/api/messaging/senders/" + campaign.sender(), 200);
        assertThat(sender).containsEntry("quality_event", "THROUGHPUT_UPGRADE")
            .containsEntry("messaging_limit", "unlimited");

        // another tenant's number in another business account is untouched
        TestUser other = newUserWithCredits(10);
        long othersSender = sender(other, Map.of("provider", "whatsapp_cloud", "phone_number_id", "pn-other-4107",
                "access_token", "EAAG-cloud-token", "waba_id", "4999"));
        assertThat((Map<String, Object>) get(other, "/api/messaging/senders/" + othersSender, 200))
            .containsEntry("quality_event", null);
    }

    @ParameterizedTest
    @ValueSource(strings = { "message_template_status_update", "message_template_quality_update",
            "phone_number_quality_update" })
    void signalWhenUnsignedOrSignedWithAnotherSecretThenUnauthorizedAndNothingMoves(String field) {
        TestUser user = newUserWithCredits(100);
        String waba = "4108" + field.length();
        Campaign campaign = campaign(user, waba, 2, null);
        start(campaign);
        String body = change(waba, t0, field,
                """
                        {"event":"DISABLED","message_template_id":77%s,"message_template_name":"%s","message_template_language":"tr",
                         "new_quality_score":"RED","display_phone_number":"905320000001","current_limit":"TIER_UNLIMITED"}"""
                    .formatted(waba, TEMPLATE));

        for (String signature : new String[] { null, "sha256=" + "0".repeat(64), "sha1=abc" }) {
            var request = client().post()
                .uri("/api/messaging/webhooks/whatsapp")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
            if (signature != null) {
                request = request.header("X-Hub-Signature-256", signature);
            }
            request.exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("urn:kapi:problem:webhook-signature-invalid");
        }

        assertThat(queueOf(user, campaign.queue())).containsEntry("status", "running");
        assertThat(template(user, campaign.sender())).containsEntry("status", "APPROVED")
            .containsEntry("quality", null);
        assertThat(get(user, "/api/messaging/senders/" + campaign.sender(), 200)).containsEntry("quality_event", null)
            .containsEntry("messaging_limit", 250);
    }

    /** Meta's entry.time of the test's first callback: a little before now. */
    private long t0;

    @org.junit.jupiter.api.BeforeEach
    void now() {
        t0 = clock.instant().getEpochSecond() - 60;
    }

    private static String at(long epochSecond) {
        return java.time.Instant.ofEpochSecond(epochSecond).toString();
    }

    private Map<String, Object> template(TestUser user, long sender) {
        return list(user, "/api/messaging/templates?sender_id=" + sender).getFirst();
    }

    /** Rounds with the clock moving a second each, until nothing of the queue waits. */
    private void sendEverything(TestUser user, long queue) {
        for (int round = 0; round < 100 && count(queueOf(user, queue), "pending") > 0; round++) {
            clock.advance(Duration.ofSeconds(1));
            worker.drain();
        }
    }

    /** Meta's message_template_status_update for the test template of {@code waba}. */
    static String templateStatus(String waba, long time, String event) {
        return change(waba, time, "message_template_status_update", """
                {"event":"%s","message_template_id":77%s,"message_template_name":"%s",
                 "message_template_language":"tr","message_template_category":"MARKETING","reason":"NONE"}"""
            .formatted(event, waba, TEMPLATE));
    }

    static String change(String waba, long time, String field, String value) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"%s","time":%d,"changes":[
                  {"field":"%s","value":%s}]}]}""".formatted(waba, time, field, value);
    }

}
