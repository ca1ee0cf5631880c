package dev.kapi.shared.mail;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Mail settings beyond Spring Boot's {@code spring.mail.*}: the sender address
 * ({@code KAPI_MAIL_FROM}) and the outbox folder used when no SMTP server is configured;
 * the links in mails point to {@link dev.kapi.shared.PublicUrl}.
 */
@ConfigurationProperties("kapi.mail")
public record MailSettings(@DefaultValue("no-reply@localhost") String from,
        @DefaultValue("./data/outbox") Path outbox) {
}
