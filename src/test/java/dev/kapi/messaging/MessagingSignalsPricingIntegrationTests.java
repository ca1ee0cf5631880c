package dev.kapi.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where Meta's template signals and per-user marketing cap meet per-message pricing, over
 * real HTTP with WireMock as the Graph API: a message is charged once, on Meta's first
 * billable callback, whatever happens to its queue or its sends afterwards; what was not
 * charged is given back when the queue settles.
 */
class MessagingSignalsPricingIntegrationTests extends MessagingTestSupport {

    // a marketing message costs 3 credits in the tests
    // (kapi.messaging.credit-cost.marketing)

    @Test
    void disabledTemplateCancelsAQueueWithSomeMessagesSentThenOnlyTheBilledAreSpentAndTheRestRefunded() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "5201", 20, 1.0);
        start(campaign);
        worker.runOnce();
        long sent = count(queueOf(user, campaign.queue()), "sent");
        assertThat(sent).isBetween(1L, 19L);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(40);

        signed(MessagingTemplateSignalsIntegrationTests.templateStatus("5201", clock.instant().getEpochSecond() - 60,
                "DISABLED"));

        Map<String, Object> cancelled = queueOf(user, campaign.queue());
        assertThat(cancelled).containsEntry("status", "cancelled").containsEntry("credits_spent", 0);
        assertThat(count(cancelled, "cancelled")).isEqualTo(20 - sent);
        // the sent messages wait for Meta's word on their price: nothing is given back
        // yet
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(40);

        billedAll(campaign.queue());
        billedAll(campaign.queue());

        Map<String, Object> settled = queueOf(user, campaign.queue());
        assertThat(settled).containsEntry("status", "cancelled").containsEntry("credits_spent", (int) (3 * sent));
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(100 - 3 * sent);
        assertThat(charges(campaign.queue())).isEqualTo(sent);
    }

    @Test
    void marketingCapAfterABillableSentThenTheResendIsNotChargedAgainAndTheQueueSpendsOnce() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "5202", 1, null);
        start(campaign);
        worker.drain();
        long messageId = id(list(user, "/api/messaging/queues/" + campaign.queue() + "/messages").getFirst());
        String first = providerId(messageId);
        billedAll(campaign.queue());
        assertThat(queueOf(user, campaign.queue())).containsEntry("status", "completed")
            .containsEntry("credits_spent", 3);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(97);

        assertThat(signed(marketingCap("5202", first, clock.instant()))).containsEntry("statuses_applied", 1);
        assertThat(queueOf(user, campaign.queue())).containsEntry("status", "running");
        clock.advance(Duration.ofHours(4));
        user = again(user);
        worker.drain();
        String second = providerId(messageId);
        assertThat(second).isNotNull().isNotEqualTo(first);
        billedAll(campaign.queue());
        // Meta retries the first send's billable callback too
        billed(first);
        worker.drain();

        Map<String, Object> done = queueOf(user, campaign.queue());
        assertThat(done).containsEntry("status", "completed").containsEntry("credits_spent", 3);
        assertThat(count(done, "sent")).isEqualTo(1);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(97);
        assertThat(charges(campaign.queue())).isEqualTo(1);
    }

    @Test
    void marketingCapBeforeAnyPriceThenTheSupersededSendChargesNothingAndTheResendIsChargedOnce() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "5203", 1, null);
        start(campaign);
        worker.drain();
        long messageId = id(list(user, "/api/messaging/queues/" + campaign.queue() + "/messages").getFirst());
        String first = providerId(messageId);

        signed(marketingCap("5203", first, clock.instant()));
        // a billable callback of the capped send, late and naming Kapı's key: Meta did
        // not
        // bill that send
        signed(billableWithKey(first, messageId));
        assertThat(charges(campaign.queue())).isZero();
        Map<String, Object> deferred = list(user, "/api/messaging/queues/" + campaign.queue() + "/messages").getFirst();
        assertThat(deferred).containsEntry("status", "deferred").containsEntry("pricing", null);
        // while deferred, the message's credits stay held
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(97);

        clock.advance(Duration.ofHours(4));
        user = again(user);
        worker.drain();
        billedAll(campaign.queue());
        billedAll(campaign.queue());

        Map<String, Object> done = queueOf(user, campaign.queue());
        assertThat(done).containsEntry("status", "completed").containsEntry("credits_spent", 3);
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(97);
        assertThat(charges(campaign.queue())).isEqualTo(1);
    }

    @Test
    void cancelledWhileDeferredThenTheDeferredMessageIsRefundedOnce() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "5204", 2, null);
        start(campaign);
        worker.drain();
        List<Map<String, Object>> messages = list(user, "/api/messaging/queues/" + campaign.queue() + "/messages");
        String capped = providerId(id(messages.get(0)));
        String billable = providerId(id(messages.get(1)));
        billed(billable);
        signed(marketingCap("5204", capped, clock.instant()));

        post(user, "/api/messaging/queues/" + campaign.queue() + "/cancel", 200);
        worker.drain();
        worker.drain();

        Map<String, Object> cancelled = queueOf(user, campaign.queue());
        assertThat(cancelled).containsEntry("status", "cancelled").containsEntry("credits_spent", 3);
        assertThat(count(cancelled, "cancelled")).isEqualTo(1);
        assertThat(count(cancelled, "deferred")).isZero();
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(97);
        // a retried cancel, or Meta's retry of the cap, gives nothing back twice
        post(user, "/api/messaging/queues/" + campaign.queue() + "/cancel", 409);
        signed(marketingCap("5204", capped, clock.instant()));
        worker.drain();
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(97);
    }

    private long charges(long queue) {
        return jdbc.sql("SELECT count(*) FROM messaging_charges WHERE queue_id = :id")
            .param("id", queue)
            .query(Long.class)
            .single();
    }

    private String providerId(long messageId) {
        return jdbc.sql("SELECT provider_message_id FROM messaging_messages WHERE id = :id")
            .param("id", messageId)
            .query(String.class)
            .optional()
            .orElse(null);
    }

    /** Meta's failed status callback with its per-user marketing cap (131049). */
    private static String marketingCap(String waba, String wamid, Instant at) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"%s","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"pn-%s"},
                  "statuses":[{"id":"%s","status":"failed","timestamp":"%d","recipient_id":"905550000001",
                    "errors":[{"code":131049,"title":"This message was not delivered to maintain healthy ecosystem engagement.",
                               "error_data":{"details":"Meta chose not to deliver"}}]}]}}]}]}"""
            .formatted(waba, waba, wamid, at.getEpochSecond());
    }

    /** A billable sent callback that names Kapı's key of the message as well. */
    private static String billableWithKey(String wamid, long messageId) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"x"},
                  "statuses":[{"id":"%s","status":"sent","timestamp":"1700000000","recipient_id":"905550000000",
                    "biz_opaque_callback_data":"kapi-msg-%d",
                    "pricing":{"billable":true,"pricing_model":"PMP","category":"marketing","type":"regular"}}]}}]}]}"""
            .formatted(wamid, messageId);
    }

}
