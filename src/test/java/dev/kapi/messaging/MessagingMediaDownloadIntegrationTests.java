package dev.kapi.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

import com.github.tomakehurst.wiremock.client.WireMock;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 31's media a customer sent, downloaded by its owner through {@code GET
 * /api/messaging/customers/{id}/messages/{messageId}/media}: Kapı asks Meta's Graph API
 * (WireMock) for the media id's URL with the receiving sender's token, fetches the file
 * from it, checks its size and SHA-256 and serves it as an attachment that cannot run in
 * Kapı's origin. The token goes only to Meta's hosts; nothing of another owner's is
 * served; what Meta no longer has is 410.
 */
class MessagingMediaDownloadIntegrationTests extends MessagingTestSupport {

    private static final String TOKEN = "EAAG-cloud-token";

    private static final byte[] JPEG = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F',
            0, 1, 1, 0, 0, 1, 0, 1, 0, 0, (byte) 0xFF, (byte) 0xD9 };

    @Test
    void downloadWhenTheCustomerSentAnImageThenTheOwnerGetsItByteExactAsASandboxedAttachment() {
        Conversation chat = conversation("348801", "0555 934 01 01");
        long message = wrote(chat, "image", "1480000348801", "image/jpeg", null);
        metaDescribes("1480000348801", "/cdn/348801", "image/jpeg", sha256(JPEG), JPEG.length);
        metaServes("/cdn/348801", JPEG);

        EntityExchangeResult<byte[]> answer = download(chat.user(), chat.customer(), message, 200);

        assertThat(answer.getResponseBody()).isEqualTo(JPEG);
        HttpHeaders headers = answer.getResponseHeaders();
        assertThat(headers.getContentType()).hasToString("image/jpeg");
        assertThat(headers.getContentLength()).isEqualTo(JPEG.length);
        assertThat(headers.get(HttpHeaders.CONTENT_DISPOSITION))
            .containsExactly("attachment; filename=\"image-" + message + ".jpg\"");
        assertThat(headers.get("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(headers.get(HttpHeaders.CACHE_CONTROL)).containsExactly("private, no-store");
        assertThat(headers.get("Content-Security-Policy")).containsExactly("sandbox");
        META.verify(1, getRequestedFor(urlPathEqualTo("/v23.0/1480000348801")).withHeader("Authorization",
                equalTo("Bearer " + TOKEN)));
        META.verify(1,
                getRequestedFor(urlPathEqualTo("/cdn/348801")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void downloadWhenADocumentHasAHostileNameAndAnUnsafeTypeThenServedAsOctetStreamUnderItsEncodedName() {
        Conversation chat = conversation("348802", "0555 934 01 02");
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(document.cookie)\"/>"
            .getBytes(StandardCharsets.UTF_8);
        long message = wrote(chat, "document", "1480000348802", "image/svg+xml", "../../Sipariş \"formu\".svg");
        metaDescribes("1480000348802", "/cdn/348802", "image/svg+xml", sha256(svg), svg.length);
        metaServes("/cdn/348802", svg);

        EntityExchangeResult<byte[]> answer = download(chat.user(), chat.customer(), message, 200);

        assertThat(answer.getResponseBody()).isEqualTo(svg);
        HttpHeaders headers = answer.getResponseHeaders();
        assertThat(headers.getContentType()).hasToString("application/octet-stream");
        assertThat(headers.get(HttpHeaders.CONTENT_DISPOSITION))
            .containsExactly("attachment; filename=\"Siparis formu.svg\"; filename*=UTF-8''Sipari%C5%9F%20formu.svg");
        assertThat(headers.get("Content-Security-Policy")).containsExactly("sandbox");
    }

    @Test
    void downloadWhenAnotherUserOrAMessageWithoutMediaIsAskedForThen404AndMetaIsNotAsked() {
        Conversation chat = conversation("348803", "0555 934 01 03");
        long image = wrote(chat, "image", "1480000348803", "image/jpeg", null);
        long text = wroteText(chat, "Merhaba");
        TestUser hostile = newUser();
        long lookalike = customer(hostile, "0555 934 01 03", "Aynı numara");

        assertThat(problem(hostile, chat.customer(), image, 404)).containsEntry("type",
                "urn:kapi:problem:customer-not-found");
        assertThat(problem(hostile, lookalike, image, 404)).containsEntry("type", "urn:kapi:problem:media-not-found");
        assertThat(problem(chat.user(), chat.customer(), text, 404)).containsEntry("type",
                "urn:kapi:problem:media-not-found");
        assertThat(problem(chat.user(), chat.customer(), image + 1_000_000, 404)).containsEntry("type",
                "urn:kapi:problem:media-not-found");
        assertThat(META.findAll(getRequestedFor(urlPathEqualTo("/v23.0/1480000348803")))).isEmpty();
    }

    @Test
    void downloadWhenMetaSaysTheFileIsLargerThanItsTypeAllowsThen502AndTheFileIsNeverFetched() {
        Conversation chat = conversation("348804", "0555 934 01 04");
        long message = wrote(chat, "image", "1480000348804", "image/jpeg", null);
        metaDescribes("1480000348804", "/cdn/348804", "image/jpeg", sha256(JPEG), 5L * 1024 * 1024 + 1);
        metaServes("/cdn/348804", JPEG);

        assertThat(problem(chat.user(), chat.customer(), message, 502)).containsEntry("type",
                "urn:kapi:problem:media-too-large");
        assertThat(META.findAll(getRequestedFor(urlPathEqualTo("/cdn/348804")))).isEmpty();
    }

    @Test
    void downloadWhenTheBodyOutgrowsTheTypesLimitWithoutADeclaredSizeThen502AndNothingServed() {
        Conversation chat = conversation("348805", "0555 934 01 05");
        long message = wrote(chat, "image", "1480000348805", "image/jpeg", null);
        byte[] huge = new byte[5 * 1024 * 1024 + 64 * 1024];
        System.arraycopy(JPEG, 0, huge, 0, JPEG.length);
        META.stubFor(WireMock.get(urlPathEqualTo("/v23.0/1480000348805")).willReturn(okJson("""
                {"messaging_product":"whatsapp","url":"%s/cdn/348805","mime_type":"image/jpeg","sha256":"%s",
                 "id":"1480000348805"}""".formatted(META.baseUrl(), sha256(huge)))));
        metaServes("/cdn/348805", huge);

        assertThat(problem(chat.user(), chat.customer(), message, 502)).containsEntry("type",
                "urn:kapi:problem:media-too-large");
    }

    @Test
    void downloadWhenTheFileOutgrowsTheSizeMetaGaveThenCutOffAtOnceWithoutReadingTheRest() {
        Conversation chat = conversation("348815", "0555 934 01 15");
        long message = wrote(chat, "image", "1480000348815", "image/jpeg", null);
        byte[] longer = new byte[400 * 1024];
        System.arraycopy(JPEG, 0, longer, 0, JPEG.length);
        metaDescribes("1480000348815", "/cdn/348815", "image/jpeg", sha256(JPEG), JPEG.length);
        // Meta's CDN trickles 400 KB over 20 seconds: reading it to its end would take
        // them all.
        META.stubFor(WireMock.get(urlPathEqualTo("/cdn/348815"))
            .willReturn(aResponse().withStatus(200).withBody(longer).withChunkedDribbleDelay(200, 20_000)));

        long started = System.nanoTime();
        Map<String, Object> problem = problem(chat.user(), chat.customer(), message, 502);

        assertThat(problem).containsEntry("type", "urn:kapi:problem:media-corrupt");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void downloadWhenTheFileDoesNotMatchMetasSha256Then502MediaCorruptAndNothingServed() {
        Conversation chat = conversation("348806", "0555 934 01 06");
        long message = wrote(chat, "image", "1480000348806", "image/jpeg", null);
        byte[] tampered = JPEG.clone();
        tampered[10] = 'X';
        metaDescribes("1480000348806", "/cdn/348806", "image/jpeg", sha256(JPEG), JPEG.length);
        metaServes("/cdn/348806", tampered);

        EntityExchangeResult<byte[]> answer = download(chat.user(), chat.customer(), message, 502);

        assertThat(answer.getResponseHeaders().getContentType()).hasToString("application/problem+json");
        assertThat(new String(answer.getResponseBody(), StandardCharsets.UTF_8))
            .contains("urn:kapi:problem:media-corrupt")
            .doesNotContain("JFIF")
            .doesNotContain("JXIF");
    }

    @Test
    void downloadWhenMetaPointsAtAnotherHostThenRefusedAndTheTokenIsNeverSentThere() {
        Conversation chat = conversation("348807", "0555 934 01 07");
        long elsewhere = wrote(chat, "image", "1480000348807", "image/jpeg", null);
        long otherPort = wrote(chat, "image", "1480000348808", "image/jpeg", null);
        META.stubFor(WireMock.get(urlPathEqualTo("/v23.0/1480000348807"))
            .willReturn(
                    okJson("""
                            {"url":"%s/steal/348807","mime_type":"image/jpeg","sha256":"%s","file_size":%d,"id":"1480000348807"}"""
                        .formatted(TELEGRAM.baseUrl(), sha256(JPEG), JPEG.length))));
        META.stubFor(WireMock.get(urlPathEqualTo("/v23.0/1480000348808")).willReturn(okJson("""
                {"url":"http://127.0.0.1:%d/steal/348808","mime_type":"image/jpeg","sha256":"%s","file_size":%d,
                 "id":"1480000348808"}""".formatted(META.port(), sha256(JPEG), JPEG.length))));
        TELEGRAM.stubFor(WireMock.get(urlPathMatching("/steal/.*")).willReturn(aResponse().withBody(JPEG)));
        metaServes("/steal/348808", JPEG);

        assertThat(problem(chat.user(), chat.customer(), elsewhere, 502)).containsEntry("type",
                "urn:kapi:problem:media-url-refused");
        assertThat(problem(chat.user(), chat.customer(), otherPort, 502)).containsEntry("type",
                "urn:kapi:problem:media-url-refused");
        assertThat(TELEGRAM.findAll(anyRequestedFor(urlPathMatching("/steal/.*")))).isEmpty();
        assertThat(META.findAll(anyRequestedFor(urlPathMatching("/steal/.*")))).isEmpty();
        assertThat(TELEGRAM
            .findAll(anyRequestedFor(WireMock.anyUrl()).withHeader("Authorization", equalTo("Bearer " + TOKEN))))
            .isEmpty();
    }

    @Test
    void downloadWhenMetaNoLongerHasTheMediaOrItIsPast30DaysThen410MediaExpired() {
        Conversation chat = conversation("348809", "0555 934 01 09");
        long deleted = wrote(chat, "image", "1480000348809", "image/jpeg", null);
        long old = wrote(chat, "image", "1480000348810", "image/jpeg", null,
                clock.instant().minus(Duration.ofDays(30)).minusSeconds(1));
        META.stubFor(WireMock.get(urlPathEqualTo("/v23.0/1480000348809"))
            .willReturn(aResponse().withStatus(404).withHeader("Content-Type", "application/json").withBody("""
                    {"error":{"message":"Unsupported get request.","type":"GraphMethodException","code":100}}""")));

        assertThat(problem(chat.user(), chat.customer(), deleted, 410)).containsEntry("type",
                "urn:kapi:problem:media-expired");
        assertThat(problem(chat.user(), chat.customer(), old, 410)).containsEntry("type",
                "urn:kapi:problem:media-expired");
        assertThat(META.findAll(getRequestedFor(urlPathEqualTo("/v23.0/1480000348810")))).isEmpty();
    }

    @Test
    void downloadWhenMetaFailsThen503MediaUnreachableWithRetryAfter() {
        Conversation chat = conversation("348811", "0555 934 01 11");
        long message = wrote(chat, "image", "1480000348811", "image/jpeg", null);
        META.stubFor(WireMock.get(urlPathEqualTo("/v23.0/1480000348811"))
            .willReturn(aResponse().withStatus(500).withBody("<html>oops</html>")));

        EntityExchangeResult<byte[]> answer = download(chat.user(), chat.customer(), message, 503);

        assertThat(new String(answer.getResponseBody(), StandardCharsets.UTF_8))
            .contains("urn:kapi:problem:media-unreachable");
        assertThat(answer.getResponseHeaders().getFirst("Retry-After")).isNotBlank();
    }

    @Test
    void downloadWhenEightAreAlreadyRunningThenTheNinthIs503MediaBusyAndTheEightFinish() throws Exception {
        Conversation chat = conversation("348812", "0555 934 01 12");
        List<Long> messages = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            messages.add(wrote(chat, "image", "14800003488120" + i, "image/jpeg", null));
        }
        META.stubFor(WireMock.get(urlPathMatching("/v23.0/14800003488120[0-9]"))
            .willReturn(okJson("""
                    {"url":"%s/cdn/348812","mime_type":"image/jpeg","sha256":"%s","file_size":%d,"id":"x"}"""
                .formatted(META.baseUrl(), sha256(JPEG), JPEG.length)).withFixedDelay(2_000)));
        metaServes("/cdn/348812", JPEG);

        List<Future<Integer>> running = new ArrayList<>();
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long message : messages.subList(0, 8)) {
                running.add(
                        threads.submit(() -> download(chat.user(), chat.customer(), message, 200).getStatus().value()));
            }
            org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> META.findAll(getRequestedFor(urlPathMatching("/v23.0/14800003488120[0-9]"))).size() == 8);

            EntityExchangeResult<byte[]> ninth = download(chat.user(), chat.customer(), messages.get(8), 503);

            assertThat(new String(ninth.getResponseBody(), StandardCharsets.UTF_8))
                .contains("urn:kapi:problem:media-busy");
            assertThat(ninth.getResponseHeaders().getFirst("Retry-After")).isEqualTo("5");
            for (Future<Integer> download : running) {
                assertThat(download.get()).isEqualTo(200);
            }
        }
        assertThat(download(chat.user(), chat.customer(), messages.get(8), 200).getResponseBody()).isEqualTo(JPEG);
    }

    @Test
    void downloadWhenAUserAsksMoreThan60TimesAMinuteThen429() {
        Conversation chat = conversation("348813", "0555 934 01 13");
        long text = wroteText(chat, "Merhaba");

        for (int i = 0; i < 60; i++) {
            problem(chat.user(), chat.customer(), text, 404);
        }

        assertThat(problem(chat.user(), chat.customer(), text, 429)).containsEntry("type",
                "urn:kapi:problem:rate-limited");
    }

    @Test
    void downloadWhenCalledWithAServiceKeyThen401BecauseKeysReachOnlyAdminRoutes() {
        Conversation chat = conversation("348814", "0555 934 01 14");
        long message = wrote(chat, "image", "1480000348814", "image/jpeg", null);
        String key = (String) post(newAdmin(), "/api/admin/service-keys",
                Map.of("name", "Medya okuyucu", "scopes", List.of("admin:read")), 201)
            .get("key");

        as(key).get()
            .uri("/api/messaging/customers/" + chat.customer() + "/messages/" + message + "/media")
            .exchange()
            .expectStatus()
            .isUnauthorized();
        assertThat(META.findAll(getRequestedFor(urlPathEqualTo("/v23.0/1480000348814")))).isEmpty();
    }

    /** A user with a WhatsApp Cloud sender and one customer who writes to it. */
    private Conversation conversation(String phoneNumberId, String phone) {
        TestUser user = newUser();
        long sender = sender(user,
                Map.of("provider", "whatsapp_cloud", "phone_number_id", phoneNumberId, "access_token", TOKEN));
        long customer = customer(user, phone, "Müşteri");
        String e164 = "90" + phone.replace(" ", "").substring(1);
        return new Conversation(user, sender, customer, phoneNumberId, e164);
    }

    private record Conversation(TestUser user, long sender, long customer, String phoneNumberId, String from) {
    }

    /**
     * The customer sends media through Meta's signed callback; the message's id in the
     * conversation.
     */
    private long wrote(Conversation chat, String type, String mediaId, String mimeType, String filename) {
        return wrote(chat, type, mediaId, mimeType, filename, clock.instant());
    }

    private long wrote(Conversation chat, String type, String mediaId, String mimeType, String filename, Instant at) {
        String media = "{\"id\":\"%s\",\"mime_type\":\"%s\",\"sha256\":\"ignored\"%s}".formatted(mediaId, mimeType,
                filename == null ? "" : ",\"filename\":\"" + filename.replace("\"", "\\\"") + "\"");
        return written(chat, "\"type\":\"%s\",\"%s\":%s".formatted(type, type, media), at);
    }

    private long wroteText(Conversation chat, String text) {
        return written(chat, "\"type\":\"text\",\"text\":{\"body\":\"%s\"}".formatted(text), clock.instant());
    }

    private long written(Conversation chat, String content, Instant at) {
        String wamid = "wamid.media-" + java.util.UUID.randomUUID();
        signed("""
                {"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
                  "messaging_product":"whatsapp","metadata":{"display_phone_number":"905320000001","phone_number_id":"%s"},
                  "contacts":[{"profile":{"name":"Müşteri"},"wa_id":"%s"}],
                  "messages":[{"from":"%s","id":"%s","timestamp":"%d",%s}]}}]}]}"""
            .formatted(chat.phoneNumberId(), chat.from(), chat.from(), wamid, at.getEpochSecond(), content));
        return list(chat.user(), "/api/messaging/customers/" + chat.customer() + "/messages?limit=100").stream()
            .filter(message -> wamid.equals(message.get("wamid")))
            .mapToLong(message -> ((Number) message.get("id")).longValue())
            .findFirst()
            .orElseThrow();
    }

    private EntityExchangeResult<byte[]> download(TestUser user, long customer, long message, int status) {
        return as(user.token()).get()
            .uri("/api/messaging/customers/" + customer + "/messages/" + message + "/media")
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(byte[].class)
            .returnResult();
    }

    private Map<String, Object> problem(TestUser user, long customer, long message, int status) {
        return get(user, "/api/messaging/customers/" + customer + "/messages/" + message + "/media", status);
    }

    private static void metaDescribes(String mediaId, String path, String mimeType, String sha256, long size) {
        // file_size as Meta writes it: a string
        META.stubFor(WireMock.get(urlPathEqualTo("/v23.0/" + mediaId)).willReturn(okJson("""
                {"messaging_product":"whatsapp","url":"%s%s?ext=1&hash=ATu","mime_type":"%s","sha256":"%s",
                 "file_size":"%d","id":"%s"}""".formatted(META.baseUrl(), path, mimeType, sha256, size, mediaId))));
    }

    private static void metaServes(String path, byte[] file) {
        META.stubFor(WireMock.get(urlPathEqualTo(path))
            .withHeader("Authorization", equalTo("Bearer " + TOKEN))
            .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "image/jpeg").withBody(file)));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
