package dev.kapi.events;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kapi.support.IntegrationTest;

/**
 * What the event tests share: users of each role, categories and events made through the
 * API.
 */
abstract class EventsTestSupport extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    /** The token of a new signed-in user of the given type, made through the API. */
    String tokenOf(String userType) {
        return newUserOfType(userType).token();
    }

    String editorToken() {
        return tokenOf("editor");
    }

    int createCategory(String token, String name) {
        Map<String, Object> category = as(token).post()
            .uri("/events/categories")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", name))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        return ((Number) category.get("id")).intValue();
    }

    /**
     * A category no other test uses, so that filtering by it isolates a test's events.
     */
    int freshCategory(String token) {
        return createCategory(token, "Kategori " + UUID.randomUUID());
    }

    Map<String, Object> createEvent(String token, Map<String, Object> fields) {
        return as(token).post()
            .uri("/events")
            .contentType(MediaType.APPLICATION_JSON)
            .body(fields)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    /**
     * An event in the category that starts {@code startsIn} from now and lasts
     * {@code lasts}.
     */
    Map<String, Object> createEvent(String token, int categoryId, String title, Duration startsIn, Duration lasts) {
        Instant start = clock.instant().plus(startsIn).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> fields = new HashMap<>();
        fields.put("title", title);
        fields.put("description", "Açıklama");
        fields.put("start_time", start.toString());
        fields.put("end_time", start.plus(lasts).toString());
        fields.put("category_id", categoryId);
        return createEvent(token, fields);
    }

    List<Map<String, Object>> list(String token, String query) {
        return as(token).get()
            .uri("/events?" + query)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_ARRAY)
            .returnResult()
            .getResponseBody();
    }

    static List<String> titles(List<Map<String, Object>> events) {
        return events.stream().map(event -> (String) event.get("title")).toList();
    }

    /**
     * The text of a mail, plain or the text part of a multipart one (a mail with an
     * attachment).
     */
    static String bodyOf(MimeMessage mail) {
        try {
            return mail.getContent() instanceof Multipart parts ? (String) part(parts, false).getContent()
                    : textOf(mail);
        }
        catch (IOException | MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** The attachment of a multipart mail, or null. */
    static Part attachmentOf(MimeMessage mail) {
        try {
            return mail.getContent() instanceof Multipart parts ? part(parts, true) : null;
        }
        catch (IOException | MessagingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static Part part(Multipart parts, boolean attachment) throws MessagingException, IOException {
        for (int i = 0; i < parts.getCount(); i++) {
            Part part = parts.getBodyPart(i);
            if (!attachment && part.getContent() instanceof Multipart nested) {
                return part(nested, false);
            }
            if (attachment == Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return part;
            }
        }
        return null;
    }

}
