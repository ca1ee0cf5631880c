package dev.kapi.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

class MessagingWhatsAppCallbackIntegrationTests extends MessagingTestSupport {

    @Test
    void verificationHandshakeWhenTheVerifyTokenMatchesThenTheChallengeIsAnswered() {
        String answer = client().get()
            .uri("/api/messaging/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token="
                    + "test-whatsapp-verify-token&hub.challenge=1158201444")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();

        assertThat(answer).isEqualTo("1158201444");
        client().get()
            .uri("/api/messaging/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")
            .exchange()
            .expectStatus()
            .isForbidden();
    }

    @Test
    void callbackWhenUnsignedOrSignedWithAnotherSecretThenUnauthorizedAndNothingChanges() {
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}";

        client().post()
            .uri("/api/messaging/webhooks/whatsapp")
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isUnauthorized();
        client().post()
            .uri("/api/messaging/webhooks/whatsapp")
            .contentType(MediaType.APPLICATION_JSON)
            .header("X-Hub-Signature-256", "sha256=" + hmac("another-secret", body))
            .body(body)
            .exchange()
            .expectStatus()
            .isUnauthorized();
        callback(body);
    }

    @Test
    void statusesArrivingOutOfOrderThenAMessageNeverMovesBackwardsExceptFailedAfterSent() {
        TestUser user = newUserWithCredits(10);
        long first = customer(user, "05559100001", "Bir");
        long second = customer(user, "05559100002", "İki");
        long queue = queue(user, draft(user, "Selam"), List.of(sender(user)), List.of(), List.of(first, second));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();
        List<Map<String, Object>> messages = list(user, "/api/messaging/queues/" + queue + "/messages");
        String one = providerId(id(messages.get(0)));
        String two = providerId(id(messages.get(1)));

        callback(statuses(status(one, "delivered", 1_700_000_100), status(one, "sent", 1_700_000_050)));
        assertThat(message(user, queue, 0)).containsEntry("status", "delivered")
            .containsEntry("delivered_at", "2023-11-14T22:15:00Z");
        callback(statuses(status(one, "read", 1_700_000_200)));
        callback(statuses(failed(one), status(one, "delivered", 1_700_000_300)));
        assertThat(message(user, queue, 0)).containsEntry("status", "read")
            .containsEntry("read_at", "2023-11-14T22:16:40Z");

        callback(statuses(failed(two)));
        assertThat(message(user, queue, 1)).containsEntry("status", "failed")
            .containsEntry("error_code", "131026")
            .containsEntry("error_reason", "Message undeliverable")
            .containsEntry("retryable", false);
        assertThat(count(queueOf(user, queue), "read")).isEqualTo(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void incomingOptOutWordThenTheNumberIsBlacklistedWithTheReasonAndNotSentToAgain() {
        TestUser user = newUserWithCredits(10);
        String phoneNumberId = "pn-" + UUID.randomUUID();
        long sender = sender(user, Map.of("phone_number_id", phoneNumberId));
        long customer = customer(user, "05559200001", "Ayla");

        Map<String, Object> answer = callback(
                """
                        {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                          "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"%s"},
                          "contacts":[{"profile":{"name":"Ayla"},"wa_id":"905559200001"}],
                          "messages":[{"from":"905559200001","id":"wamid.in1","timestamp":"1700000000","type":"text",
                                       "text":{"body":"Lütfen İPTAL edin"}},
                                      {"from":"905559200002","id":"wamid.in2","timestamp":"1700000000","type":"text",
                                       "text":{"body":"Teşekkürler"}}]}}]}]}
                        """
                    .formatted(phoneNumberId));

        assertThat(answer).containsEntry("opt_outs", 1);
        List<Map<String, Object>> blacklist = list(user, "/api/messaging/blacklist");
        assertThat(blacklist).singleElement()
            .satisfies(entry -> assertThat(entry).containsEntry("phone", "+905559200001")
                .containsEntry("customer_id", (int) customer)
                .containsEntry("source", "opt_out")
                .containsEntry("reason", "opt-out: Lütfen İPTAL edin"));
        long queue = queue(user, draft(user, "Selam"), List.of(sender), List.of(), List.of(customer));
        assertThat(post(user, "/api/messaging/queues/" + queue + "/start", 409)).containsEntry("type",
                "urn:kapi:problem:queue-has-no-recipients");
    }

    @Test
    void aPhoneNumberIdBelongsToOneSenderAndItsInboundMessagesReachOnlyThatOwner() {
        TestUser owner = newUserWithCredits(10);
        TestUser other = newUserWithCredits(10);
        String phoneNumberId = "pn-" + UUID.randomUUID();
        sender(owner, Map.of("phone_number_id", phoneNumberId));
        long othersSender = sender(other);
        customer(other, "05559200011", "Kemal");

        assertThat(post(other, "/api/messaging/senders",
                Map.of("name", "Benim", "phone", "0532 000 00 02", "phone_number_id", phoneNumberId), 409))
            .containsEntry("type", "urn:kapi:problem:phone-number-id-taken");
        assertThat(put(other, "/api/messaging/senders/" + othersSender, Map.of("phone_number_id", phoneNumberId), 409))
            .containsEntry("type", "urn:kapi:problem:phone-number-id-taken");

        callback(
                """
                        {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                          "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"%s"},
                          "messages":[{"from":"905559200011","id":"wamid.in3","timestamp":"1700000000","type":"text",
                                       "text":{"body":"STOP"}}]}}]}]}
                        """
                    .formatted(phoneNumberId));
        assertThat(list(owner, "/api/messaging/blacklist")).singleElement()
            .satisfies(entry -> assertThat(entry).containsEntry("phone", "+905559200011"));
        assertThat(list(other, "/api/messaging/blacklist")).isEmpty();
    }

    @Test
    void aWebhookCallWithoutASignatureIsRefusedBeforeItsBodyIsRead() {
        client().post()
            .uri("/api/messaging/webhooks/whatsapp")
            .contentType(MediaType.APPLICATION_JSON)
            .body("{\"entry\":[]}")
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:webhook-signature-invalid");
    }

    @Test
    void adminWhenAskingForAUsersMessagesAndQueuesThenGetsThemAndOthersAreRefused() {
        TestUser user = newUserWithCredits(10);
        long unreachable = customer(user, "05559300000", "Yok");
        long queue = queue(user, draft(user, "Selam"), List.of(sender(user)), List.of(),
                List.of(customer(user, "05559300001", "Var"), unreachable));
        post(user, "/api/messaging/queues/" + queue + "/start", 200);
        worker.drain();
        TestUser admin = newAdmin();
        Map<String, Object> found = as(admin.token()).get()
            .uri("/api/admin/users?search=" + user.email())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        @SuppressWarnings("unchecked")
        String userId = (String) ((List<Map<String, Object>>) found.get("data")).getFirst().get("userId");

        List<Map<String, Object>> messages = list(admin, "/api/admin/messaging/users/" + userId + "/messages");
        List<Map<String, Object>> failed = list(admin,
                "/api/admin/messaging/users/" + userId + "/messages?status=failed");
        List<Map<String, Object>> queues = list(admin, "/api/admin/messaging/users/" + userId + "/queues");

        assertThat(messages).hasSize(2).extracting(message -> message.get("queue_id")).containsOnly((int) queue);
        assertThat(failed).singleElement()
            .satisfies(message -> assertThat(message).containsEntry("error_code", "131026"));
        assertThat(queues).singleElement()
            .satisfies(q -> assertThat(q).containsEntry("id", (int) queue)
                .containsEntry("status", "completed")
                .containsEntry("credits_spent", 1));
        get(user, "/api/admin/messaging/users/" + userId + "/messages", 403);
        get(admin, "/api/admin/messaging/users/no-such-user/queues", 404);
    }

    private Map<String, Object> message(TestUser user, long queue, int index) {
        return list(user, "/api/messaging/queues/" + queue + "/messages").get(index);
    }

    private String providerId(long messageId) {
        return jdbc.sql("SELECT provider_message_id FROM messaging_messages WHERE id = :id")
            .param("id", messageId)
            .query(String.class)
            .single();
    }

    private Map<String, Object> callback(String body) {
        return client().post()
            .uri("/api/messaging/webhooks/whatsapp")
            .contentType(MediaType.APPLICATION_JSON)
            .header("X-Hub-Signature-256", "sha256=" + hmac("test-whatsapp-app-secret", body))
            .body(body)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    private static String statuses(String... statuses) {
        return """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"x"},
                  "statuses":[%s]}}]}]}
                """
            .formatted(String.join(",", statuses));
    }

    private static String status(String id, String status, long timestamp) {
        return """
                {"id":"%s","status":"%s","timestamp":"%d","recipient_id":"905559100001"}""".formatted(id, status,
                timestamp);
    }

    private static String failed(String id) {
        return """
                {"id":"%s","status":"failed","timestamp":"1700000400","recipient_id":"905559100002",
                 "errors":[{"code":131026,"title":"Message undeliverable",
                            "error_data":{"details":"Message undeliverable"}}]}""".formatted(id);
    }

    private static String hmac(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

}
