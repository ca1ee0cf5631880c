package dev.kapi.messaging;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Meta's per-user marketing cap (131049) over real HTTP with WireMock as the Graph API:
 * the message is deferred and sent again after 4 h, 12 h and 24 h on the moved clock,
 * then failed as per-user-marketing-limit; from a failed status callback too, and Meta's
 * retry of that callback defers nothing twice.
 */
class MessagingMarketingCapIntegrationTests extends MessagingTestSupport {

    @Test
    void marketingCapAnswerThenDeferredAndResentAfter4h12h24hThenFailedAfterTheLast() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "5101", 1, null);
        refuseEverySend(campaign.phoneNumberId(), 131049,
                "This message was not delivered to maintain healthy ecosystem engagement.");
        start(campaign);
        String messages = "/v23.0/" + campaign.phoneNumberId() + "/messages";

        worker.drain();

        for (Duration delay : List.of(Duration.ofHours(4), Duration.ofHours(12), Duration.ofHours(24))) {
            Map<String, Object> message = list(user, "/api/messaging/queues/" + campaign.queue() + "/messages")
                .getFirst();
            assertThat(message).containsEntry("status", "deferred").containsEntry("error_code", "131049");
            Map<String, Object> queue = queueOf(user, campaign.queue());
            assertThat(queue).containsEntry("status", "running");
            assertThat(count(queue, "deferred")).isEqualTo(1);
            assertThat(get(user, "/api/messaging/queues/" + campaign.queue() + "/preflight", 200))
                .containsEntry("deferred", 1);
            int calls = META.findAll(postRequestedFor(urlEqualTo(messages))).size();

            clock.advance(delay.minusMinutes(1));
            worker.drain();
            assertThat(META.findAll(postRequestedFor(urlEqualTo(messages)))).as("not before " + delay).hasSize(calls);
            clock.advance(Duration.ofMinutes(1));
            worker.drain();
            assertThat(META.findAll(postRequestedFor(urlEqualTo(messages)))).as("after " + delay).hasSize(calls + 1);
            user = again(user);
        }

        Map<String, Object> failed = list(user, "/api/messaging/queues/" + campaign.queue() + "/messages").getFirst();
        assertThat(failed).containsEntry("status", "failed")
            .containsEntry("error_code", "per-user-marketing-limit")
            .containsEntry("retryable", true);
        Map<String, Object> done = queueOf(user, campaign.queue());
        assertThat(done).containsEntry("status", "completed").containsEntry("credits_spent", 0);
        assertThat(count(done, "deferred")).isZero();
        assertThat(credits.balanceOf(user.id()).credit()).isEqualTo(100);
    }

    @Test
    void marketingCapFailedCallbackAfterSentThenDeferredAndItsRetryByMetaMovesNothingTwice() {
        TestUser user = newUserWithCredits(100);
        Campaign campaign = campaign(user, "5102", 1, null);
        start(campaign);
        worker.drain();
        assertThat(queueOf(user, campaign.queue())).containsEntry("status", "completed");
        long messageId = id(list(user, "/api/messaging/queues/" + campaign.queue() + "/messages").getFirst());
        String first = providerId(messageId);
        String capped = failedCallback(first, clock.instant());

        assertThat(signed(capped)).containsEntry("statuses_applied", 1);
        assertThat(signed(capped)).containsEntry("statuses_applied", 0);

        Map<String, Object> message = list(user, "/api/messaging/queues/" + campaign.queue() + "/messages").getFirst();
        assertThat(message).containsEntry("status", "deferred").containsEntry("sent_at", null);
        Map<String, Object> reopened = queueOf(user, campaign.queue());
        assertThat(reopened).containsEntry("status", "running");
        assertThat(count(reopened, "deferred")).isEqualTo(1);
        Instant due = dueAt(messageId);
        assertThat(due).isEqualTo(clock.instant().plus(Duration.ofHours(4)));

        clock.advance(Duration.ofHours(4));
        user = again(user);
        worker.drain();
        String second = providerId(messageId);
        assertThat(second).isNotNull().isNotEqualTo(first);
        // Meta retries the old failed callback after the resend: it reaches neither the
        // resend nor its count
        assertThat(signed(capped)).containsEntry("statuses_applied", 0);
        Map<String, Object> resent = list(user, "/api/messaging/queues/" + campaign.queue() + "/messages").getFirst();
        assertThat(resent).containsEntry("status", "sent");
        assertThat(queueOf(user, campaign.queue())).containsEntry("status", "completed");
        assertThat(jdbc.sql("SELECT deferrals FROM messaging_messages WHERE id = :id")
            .param("id", messageId)
            .query(Integer.class)
            .single()).isEqualTo(1);
    }

    private String providerId(long messageId) {
        return jdbc.sql("SELECT provider_message_id FROM messaging_messages WHERE id = :id")
            .param("id", messageId)
            .query(String.class)
            .optional()
            .orElse(null);
    }

    private Instant dueAt(long messageId) {
        return jdbc.sql("SELECT due_at FROM messaging_messages WHERE id = :id")
            .param("id", messageId)
            .query((rs, n) -> rs.getObject("due_at", java.time.OffsetDateTime.class).toInstant())
            .single();
    }

    private static String failedCallback(String wamid, Instant at) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"5102","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"pn-5102"},
                  "statuses":[{"id":"%s","status":"failed","timestamp":"%d","recipient_id":"905555102001",
                    "errors":[{"code":131049,"title":"This message was not delivered to maintain healthy ecosystem engagement.",
                               "error_data":{"details":"Meta chose not to deliver"}}]}]}}]}]}"""
            .formatted(wamid, at.getEpochSecond());
    }

}
