package dev.kapi.messaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 31's media upload: {@code POST /api/messaging/senders/{id}/media} streams the
 * multipart field {@code file} to Meta's {@code /{phone-number-id}/media} (WireMock) and
 * answers its media id; types WhatsApp does not take, files whose bytes are not their
 * declared type and files over Meta's size for their type are refused naming
 * {@code file}.
 */
class MessagingMediaUploadIntegrationTests extends MessagingTestSupport {

    private static final byte[] PNG = { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D',
            'R', 1, 2, 3, 4 };

    @Test
    void uploadThenMetaGetsTheFileAndTheAnswerIsItsMediaId() {
        TestUser user = newUser();
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/v23.0/330101/media"))
            .willReturn(okJson("{\"id\":\"1480000009999\"}")));
        long sender = cloudSender(user, "330101");

        Map<String, Object> answer = upload(user, sender, "image/png", "../../kampanya.png", PNG, 200);

        assertThat(answer).isEqualTo(Map.of("media_id", "1480000009999"));
        META.verify(postRequestedFor(urlEqualTo("/v23.0/330101/media"))
            .withHeader("Authorization", equalTo("Bearer EAAG-cloud-token"))
            .withAnyRequestBodyPart(aMultipart().withName("messaging_product").withBody(equalTo("whatsapp")))
            .withAnyRequestBodyPart(aMultipart().withName("type").withBody(equalTo("image/png")))
            .withAnyRequestBodyPart(aMultipart().withName("file")
                .withHeader("Content-Disposition", equalTo("form-data; name=\"file\"; filename=\"kampanya.png\""))));
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/330101/media"))).getFirst().getBodyAsString())
            .contains(new String(PNG, StandardCharsets.ISO_8859_1).substring(1));
    }

    @Test
    void uploadWhenTheTypeTheBytesOrTheSizeAreWrongThenA400NamingFileAndMetaGetsNothingWhole() {
        TestUser user = newUser();
        long sender = cloudSender(user, "330102");

        assertThat(upload(user, sender, "image/gif", "a.gif", "GIF89a".getBytes(StandardCharsets.US_ASCII), 400))
            .containsEntry("type", "urn:kapi:problem:media-type-unsupported");
        assertThat(upload(user, sender, "image/png", "a.png", new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1 },
                400))
            .containsEntry("type", "urn:kapi:problem:media-type-mismatch");
        byte[] big = new byte[5 * 1024 * 1024 + 1];
        System.arraycopy(PNG, 0, big, 0, PNG.length);
        META.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/v23.0/330102/media"))
            .willReturn(okJson("{\"id\":\"never\"}")));
        Map<String, Object> tooLarge = upload(user, sender, "image/png", "big.png", big, 400);
        assertThat(tooLarge).containsEntry("type", "urn:kapi:problem:media-too-large");
        assertThat(invalidFields(tooLarge)).containsExactly("file");
    }

    @Test
    void uploadWhenTheSenderIsAnotherUsersOrNotWhatsAppCloudThenRefused() {
        TestUser user = newUser();
        long cloud = cloudSender(user, "330103");
        long simulated = sender(user);

        upload(newUser(), cloud, "image/png", "a.png", PNG, 404);
        assertThat(upload(user, simulated, "image/png", "a.png", PNG, 409)).containsEntry("type",
                "urn:kapi:problem:sender-not-whatsapp-cloud");
        assertThat(META.findAll(postRequestedFor(urlEqualTo("/v23.0/330103/media")))).isEmpty();
    }

    private long cloudSender(TestUser user, String phoneNumberId) {
        return sender(user, Map.of("provider", "whatsapp_cloud", "phone_number_id", phoneNumberId, "access_token",
                "EAAG-cloud-token"));
    }

    private Map<String, Object> upload(TestUser user, long sender, String type, String filename, byte[] file,
            int status) {
        String boundary = "kapi-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + type + "\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return as(user.token()).post()
            .uri("/api/messaging/senders/" + sender + "/media")
            .contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + boundary))
            .body(body.toByteArray())
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

}
