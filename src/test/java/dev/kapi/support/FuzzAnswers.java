package dev.kapi.support;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * What the fuzz tests ({@code ApiFuzzIntegrationTests} over the OpenAPI description,
 * {@code ProviderFuzzIntegrationTests} over the identity provider's own routes) look for
 * in an answer, and the hostile tokens they both build.
 */
public final class FuzzAnswers {

    private static final Pattern STACK_FRAME = Pattern
        .compile("\\tat |\\\\tat |\\bat [a-z][\\w$]*(?:[./][\\w$<>]+)+\\(");

    private static final Pattern SQL = Pattern.compile(
            "sql|postgres|syntax error|violates|relation \"|relation \\\\\"|duplicate key value",
            Pattern.CASE_INSENSITIVE);

    private static final Pattern JAVA_CLASS = Pattern.compile("\\b(?:java|javax|jakarta|sun|org\\.springframework"
            + "|org\\.postgresql|org\\.apache|org\\.hibernate|com\\.zaxxer|tools\\.jackson|com\\.fasterxml"
            + "|io\\.github\\.bucket4j|com\\.nimbusds|dev\\.kapi)\\.[a-z]|exception", Pattern.CASE_INSENSITIVE);

    private static final Pattern BINARY_ANSWER = Pattern.compile("zip|octet-stream|image/", Pattern.CASE_INSENSITIVE);

    private FuzzAnswers() {
    }

    /**
     * What an answer gives away — a stack frame, SQL or a Java class — or null. Success
     * answers are checked for stack frames only: they carry stored data that other tests
     * (which share the database) may have filled with any words.
     */
    public static String leak(int status, String contentType, String body) {
        if (BINARY_ANSWER.matcher(contentType).find()) {
            return null;
        }
        Matcher frame = STACK_FRAME.matcher(body);
        if (frame.find()) {
            return "a stack frame (" + frame.group() + ")";
        }
        if (status < 300) {
            return null;
        }
        Matcher sql = SQL.matcher(body);
        if (sql.find()) {
            return "SQL (" + sql.group() + ")";
        }
        Matcher javaClass = JAVA_CLASS.matcher(body);
        return javaClass.find() ? "a Java class (" + javaClass.group() + ")" : null;
    }

    /**
     * The first 300 characters of an answer, control characters and surrogates escaped.
     */
    public static String excerpt(String body) {
        String cut = body.length() > 300 ? body.substring(0, 300) + "…" : body;
        StringBuilder out = new StringBuilder();
        cut.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7F || (c >= 0xD800 && c <= 0xDFFF)) {
                out.append(String.format("\\u%04x", c));
            }
            else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** A compact JWS of the given header and payload JSON, with any signature text. */
    public static String jwt(String header, String payload, String signature) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        return base64.encodeToString(header.getBytes(UTF_8)) + "." + base64.encodeToString(payload.getBytes(UTF_8))
                + "." + signature;
    }

}
