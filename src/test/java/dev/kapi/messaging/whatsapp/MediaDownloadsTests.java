package dev.kapi.messaging.whatsapp;

import java.net.URI;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.kapi.messaging.conversation.InboundMedia;
import dev.kapi.shared.ApiException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where a customer's media may be fetched with the sender's token, and how it is served:
 * only Meta's https hosts or the configured Graph API's own address; only the types
 * WhatsApp takes, under a name without a path.
 */
class MediaDownloadsTests {

    private static final URI GRAPH = URI.create("https://graph.facebook.com");

    private static final URI STUB = URI.create("http://localhost:8089");

    @Test
    void fetchableWhenMetasHttpsHostsThenAllowed() {
        assertThat(MediaDownloads.fetchable("https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1&ext=2",
                GRAPH))
            .hasHost("lookaside.fbsbx.com");
        assertThat(MediaDownloads.fetchable("https://mmg.whatsapp.net/v/t62/x.enc", GRAPH)).hasHost("mmg.whatsapp.net");
        assertThat(MediaDownloads.fetchable("https://scontent.xx.facebook.com:443/a", GRAPH)).hasPort(443);
        assertThat(MediaDownloads.fetchable("http://localhost:8089/cdn/1", STUB)).hasPort(8089);
    }

    @Test
    void fetchableWhenAnotherHostSchemePortOrAUserPartThenRefused() {
        for (String url : new String[] { "https://fbsbx.com.evil.example/a", "https://evilfbsbx.com/a",
                "http://lookaside.fbsbx.com/a", "https://lookaside.fbsbx.com:8443/a",
                "https://lookaside.fbsbx.com@evil.example/a", "https://user@lookaside.fbsbx.com/a",
                "https://evil.example/?u=https://lookaside.fbsbx.com/", "//lookaside.fbsbx.com/a", "not a url", "",
                "file:///etc/passwd", "http://localhost:8090/cdn/1", "http://127.0.0.1:8089/cdn/1",
                "https://localhost:8089/cdn/1" }) {
            assertThatThrownBy(() -> MediaDownloads.fetchable(url, STUB)).as(url)
                .isInstanceOfSatisfying(ApiException.class, ex -> assertThat(ex.code()).isEqualTo("media-url-refused"));
        }
        assertThatThrownBy(() -> MediaDownloads.fetchable(null, GRAPH)).isInstanceOf(ApiException.class);
    }

    @Test
    void servedTypeWhenNotATypeWhatsAppTakesThenOctetStream() {
        assertThat(MediaDownloads.servedType("image/jpeg")).isEqualTo("image/jpeg");
        assertThat(MediaDownloads.servedType("audio/ogg; codecs=opus")).isEqualTo("audio/ogg");
        assertThat(MediaDownloads.servedType("image/svg+xml")).isEqualTo("application/octet-stream");
        assertThat(MediaDownloads.servedType("text/html")).isEqualTo("application/octet-stream");
        assertThat(MediaDownloads.servedType("image/webp")).isEqualTo("application/octet-stream");
        assertThat(MediaDownloads.servedType(null)).isEqualTo("application/octet-stream");
    }

    @Test
    void filenameWhenGivenThenWithoutPathOrQuotesElseMadeOfTheMessage() {
        assertThat(MediaDownloads.filename(media("document", "application/pdf", "..\\..\\\"fatura\"\r\n.pdf")))
            .isEqualTo("fatura.pdf");
        assertThat(MediaDownloads.filename(media("image", "image/jpeg", null))).isEqualTo("image-7.jpg");
        assertThat(MediaDownloads.filename(media("sticker", "image/webp", null))).isEqualTo("sticker-7");
        assertThat(MediaController.attachment("Sipariş formu.pdf"))
            .endsWith("filename*=UTF-8''Sipari%C5%9F%20formu.pdf");
        assertThat(MediaController.attachment("image-7.jpg")).isEqualTo("attachment; filename=\"image-7.jpg\"");
    }

    @Test
    void maxBytesOfWhenAMessageTypeThenMetasLimit() {
        assertThat(MediaTypes.maxBytesOf("image")).isEqualTo(5 * MediaTypes.MB);
        assertThat(MediaTypes.maxBytesOf("audio")).isEqualTo(16 * MediaTypes.MB);
        assertThat(MediaTypes.maxBytesOf("sticker")).isEqualTo(500 * 1024);
        assertThat(MediaTypes.maxBytesOf("document")).isEqualTo(100 * MediaTypes.MB);
    }

    private static InboundMedia media(String type, String mimeType, String filename) {
        return new InboundMedia(7, 1, type, "1480", mimeType, filename, Instant.EPOCH);
    }

}
