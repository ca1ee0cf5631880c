package dev.kapi.messaging.conversation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replies are personal data: kept {@code kapi.messaging.inbound.retention}, then removed.
 */
class InboundRetentionIntegrationTests extends IntegrationTest {

    @Autowired
    InboundHousekeeping housekeeping;

    @Autowired
    JdbcClient jdbc;

    @Test
    void housekeepingWhenARepliesRetentionIsOverThenItIsRemovedAndNewerOnesStay() {
        TestUser user = newUser();
        post(user, "/api/messaging/senders", Map.of("name", "Ana hat", "phone", "0532 000 00 01", "provider",
                "whatsapp_cloud", "phone_number_id", "340101", "access_token", "EAAG-cloud-token"), 201);
        callback("wamid.old-340101");
        callback("wamid.new-340101");
        // stored a year and a day ago, and 364 days ago: the shared test clock stays
        // where it is
        age("wamid.old-340101", Duration.ofDays(366));
        age("wamid.new-340101", Duration.ofDays(364));

        housekeeping.prune();

        assertThat(jdbc.sql("SELECT wamid FROM messaging_inbound WHERE owner_id = :owner")
            .param("owner", user.id())
            .query(String.class)
            .list()).containsExactly("wamid.new-340101");
    }

    private void age(String wamid, Duration age) {
        jdbc.sql("UPDATE messaging_inbound SET created_at = :at WHERE wamid = :wamid")
            .param("at", dev.kapi.shared.SqlTime.utc(clock.instant().minus(age)))
            .param("wamid", wamid)
            .update();
    }

    private void callback(String wamid) {
        String body = """
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"340101"},
                  "messages":[{"from":"905559340001","id":"%s","timestamp":"1800000000","type":"text","text":{"body":"Merhaba"}}]}}]}]}"""
            .formatted(wamid);
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

}
