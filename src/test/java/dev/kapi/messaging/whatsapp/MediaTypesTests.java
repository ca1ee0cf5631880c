package dev.kapi.messaging.whatsapp;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MediaTypesTests {

    @Test
    void ofWhenWhatsAppTakesTheTypeThenItsKindAndMetasSize() {
        assertThat(MediaTypes.of("image/png")).contains(new MediaTypes.Kind("image", 5 * MediaTypes.MB));
        assertThat(MediaTypes.of("Image/JPEG; charset=x")).contains(new MediaTypes.Kind("image", 5 * MediaTypes.MB));
        assertThat(MediaTypes.of("video/mp4")).contains(new MediaTypes.Kind("video", 16 * MediaTypes.MB));
        assertThat(MediaTypes.of("audio/ogg")).contains(new MediaTypes.Kind("audio", 16 * MediaTypes.MB));
        assertThat(MediaTypes.of("application/pdf")).contains(new MediaTypes.Kind("document", 100 * MediaTypes.MB));
        assertThat(MediaTypes.of("image/gif")).isEmpty();
        assertThat(MediaTypes.of("application/x-msdownload")).isEmpty();
        assertThat(MediaTypes.of(null)).isEmpty();
    }

    @Test
    void looksLikeWhenTheFirstBytesAreTheDeclaredTypesThenTrueElseFalse() {
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0 };
        byte[] jpeg = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0 };
        byte[] mp4 = { 0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'm', 'p', '4', '2' };
        byte[] pdf = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        byte[] docx = { 'P', 'K', 3, 4, 20, 0 };

        assertThat(MediaTypes.looksLike("image/png", png)).isTrue();
        assertThat(MediaTypes.looksLike("image/png", jpeg)).isFalse();
        assertThat(MediaTypes.looksLike("image/jpeg", jpeg)).isTrue();
        assertThat(MediaTypes.looksLike("video/mp4", mp4)).isTrue();
        assertThat(MediaTypes.looksLike("application/pdf", pdf)).isTrue();
        assertThat(MediaTypes.looksLike("application/pdf", png)).isFalse();
        assertThat(
                MediaTypes.looksLike("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx))
            .isTrue();
        assertThat(MediaTypes.looksLike("text/plain", "Merhaba".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(MediaTypes.looksLike("text/plain", png)).as("a NUL byte is no text").isFalse();
        assertThat(MediaTypes.looksLike("image/png", new byte[0])).isFalse();
    }

    @Test
    void filenameWhenItNamesAPathOrHidesControlCharactersThenOnlyItsName() {
        assertThat(MediaUploads.filename("../../etc/passwd")).isEqualTo("passwd");
        assertThat(MediaUploads.filename("C:\\Users\\a\\katalog.pdf")).isEqualTo("katalog.pdf");
        assertThat(MediaUploads.filename("a\r\nb\".pdf")).isEqualTo("ab.pdf");
        assertThat(MediaUploads.filename(null)).isEqualTo("file");
        assertThat(MediaUploads.filename("x".repeat(300))).hasSize(240);
    }

}
