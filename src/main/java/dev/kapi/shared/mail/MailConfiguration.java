package dev.kapi.shared.mail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Chooses how mail leaves Kapı: through Spring Boot's {@link JavaMailSender} when
 * {@code spring.mail.host} is configured, otherwise into an outbox folder a developer can
 * read (the embedded default).
 */
@Configuration(proxyBeanMethods = false)
class MailConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MailConfiguration.class);

    @Bean
    Mailer mailer(ObjectProvider<JavaMailSender> smtp, MailSettings settings, Clock clock) {
        return afterCommit(transport(smtp, settings, clock));
    }

    /**
     * Inside a transaction a mail leaves once the transaction has committed: a link in it
     * then always finds its token (a reader who follows it at once is not told it is
     * invalid), and a change that rolled back mails nothing. A mail that fails after the
     * commit still fails its caller, so an event listener's publication is retried.
     */
    static Mailer afterCommit(Mailer transport) {
        return (to, subject, text, attachment) -> {
            if (!TransactionSynchronizationManager.isActualTransactionActive()) {
                transport.send(to, subject, text, attachment);
                return;
            }
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    transport.send(to, subject, text, attachment);
                }
            });
        };
    }

    static Mailer transport(ObjectProvider<JavaMailSender> smtp, MailSettings settings, Clock clock) {
        JavaMailSender sender = smtp.getIfAvailable();
        if (sender != null) {
            return (to, subject, text, attachment) -> {
                if (attachment != null) {
                    sender.send(message -> compose(message, settings.from(), to, subject, text, attachment));
                    return;
                }
                SimpleMailMessage message = new SimpleMailMessage();
                message.setFrom(settings.from());
                message.setTo(to);
                message.setSubject(subject);
                message.setText(text);
                sender.send(message);
            };
        }
        Path outbox = settings.outbox().toAbsolutePath();
        log.info("No SMTP server configured (spring.mail.host): mails are written to {}", outbox);
        DateTimeFormatter stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
        return (to, subject, text, attachment) -> {
            try {
                Files.createDirectories(outbox);
                Path file = outbox.resolve(stamp.format(clock.instant()) + "-" + UUID.randomUUID() + ".eml");
                Files.createFile(file,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                if (attachment == null) {
                    Files.writeString(file,
                            "From: " + settings.from() + "\nTo: " + to + "\nSubject: " + subject
                                    + "\nContent-Type: text/plain; charset=UTF-8\n\n" + text + "\n",
                            StandardCharsets.UTF_8);
                }
                else {
                    MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
                    compose(message, settings.from(), to, subject, text, attachment);
                    message.saveChanges();
                    try (OutputStream out = Files.newOutputStream(file)) {
                        message.writeTo(out);
                    }
                }
                log.info("Mail to {} written to {}", to, file);
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            catch (MessagingException ex) {
                throw new IllegalStateException(ex);
            }
        };
    }

    /** A multipart mail: the text, then the attachment. */
    private static void compose(MimeMessage message, String from, String to, String subject, String text,
            Mailer.Attachment attachment) throws MessagingException {
        MimeMessageHelper helper = new MimeMessageHelper(message, true, StandardCharsets.UTF_8.name());
        helper.setFrom(from);
        helper.setTo(to);
        helper.setSubject(subject);
        helper.setText(text, false);
        helper.addAttachment(attachment.name(), new ByteArrayResource(attachment.content()), attachment.contentType());
    }

}
