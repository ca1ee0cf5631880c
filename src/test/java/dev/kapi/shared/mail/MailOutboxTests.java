package dev.kapi.shared.mail;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mail.javamail.JavaMailSender;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without an SMTP server a mail is a file in the outbox; one with an attachment is a
 * multipart message any mail reader opens.
 */
class MailOutboxTests {

    @TempDir
    Path outbox;

    @Test
    void sendWhenAttachmentGivenThenOutboxHoldsMultipartMailWithTextAndFile() throws Exception {
        Mailer mailer = MailConfiguration.transport(
                new DefaultListableBeanFactory().getBeanProvider(JavaMailSender.class),
                new MailSettings("kapi@example.com", this.outbox), Clock.systemUTC());
        byte[] ics = "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".getBytes(StandardCharsets.UTF_8);

        mailer.send("ayse@example.com", "Kaydınız onaylandı", "Görüşmek üzere.",
                new Mailer.Attachment("etkinlik.ics", "text/calendar; charset=UTF-8", ics));

        List<Path> files = Files.list(this.outbox).toList();
        assertThat(files).hasSize(1);
        MimeMessage mail;
        try (InputStream in = Files.newInputStream(files.getFirst())) {
            mail = new MimeMessage(Session.getInstance(new Properties()), in);
        }
        assertThat(mail.getSubject()).isEqualTo("Kaydınız onaylandı");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo("ayse@example.com");
        Multipart parts = (Multipart) mail.getContent();
        assertThat(textIn(parts)).isEqualTo("Görüşmek üzere.");
        Part file = attachmentIn(parts);
        assertThat(file.getFileName()).isEqualTo("etkinlik.ics");
        assertThat(file.getContentType()).startsWith("text/calendar");
        try (InputStream in = file.getInputStream()) {
            assertThat(in.readAllBytes()).isEqualTo(ics);
        }
    }

    @Test
    void sendWhenNoAttachmentThenOutboxHoldsPlainTextMail() throws Exception {
        Mailer mailer = MailConfiguration.transport(
                new DefaultListableBeanFactory().getBeanProvider(JavaMailSender.class),
                new MailSettings("kapi@example.com", this.outbox), Clock.systemUTC());

        mailer.send("ayse@example.com", "Merhaba", "Düz metin.");

        String file = Files.readString(Files.list(this.outbox).findFirst().orElseThrow());
        assertThat(file).contains("Content-Type: text/plain; charset=UTF-8\n\nDüz metin.\n")
            .doesNotContain("multipart");
    }

    /** The first part, or part of a part, that is text and no attachment. */
    static String textIn(Multipart parts) throws Exception {
        for (int i = 0; i < parts.getCount(); i++) {
            Part part = parts.getBodyPart(i);
            if (part.getContent() instanceof Multipart nested) {
                return textIn(nested);
            }
            if (part.isMimeType("text/plain") && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return (String) part.getContent();
            }
        }
        throw new AssertionError("No text part");
    }

    static Part attachmentIn(Multipart parts) throws Exception {
        for (int i = 0; i < parts.getCount(); i++) {
            Part part = parts.getBodyPart(i);
            if (Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return part;
            }
        }
        throw new AssertionError("No attachment");
    }

}
