package dev.kapi.shared;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The address Kapı is reached at ({@code KAPI_PUBLIC_URL}): the issuer of its tokens and
 * the base of its discovery documents, of the links in its mails and, unless
 * {@code KAPI_PASSKEY_ORIGINS} names others, the origin passkeys are used from.
 */
@ConfigurationProperties("kapi")
public record PublicUrl(@DefaultValue("http://localhost:8000") String publicUrl) {

    /** The address without a trailing slash, for appending a path. */
    public String base() {
        return publicUrl.replaceAll("/+$", "");
    }

    /** A link to a page of the public site with a token in its query. */
    public String link(String page, String token) {
        return base() + "/" + page + "?token=" + token;
    }
}
