package dev.kapi.shared.mail;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Mail settings beyond Spring Boot's {@code spring.mail.*}: the sender address ({@code KAPI_MAIL_FROM}),
 * the public address links in mails point to ({@code KAPI_PUBLIC_URL}) and the outbox folder used when
 * no SMTP server is configured.
 */
@ConfigurationProperties("kapi.mail")
public record MailSettings(@DefaultValue("no-reply@localhost") String from,
        @DefaultValue("http://localhost:8000") String publicUrl, @DefaultValue("./data/outbox") Path outbox) {

    /** A link to a page of the public site with a token in its query. */
    public String link(String page, String token) {
        return publicUrl.replaceAll("/+$", "") + "/" + page + "?token=" + token;
    }
}
