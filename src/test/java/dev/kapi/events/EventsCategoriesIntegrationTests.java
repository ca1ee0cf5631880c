package dev.kapi.events;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

class EventsCategoriesIntegrationTests extends EventsTestSupport {

    @Test
    void categoriesWhenEditorCreatesRenamesAndDeletesThenEveryoneSeesTheCatalogue() {
        // given
        String editor = editorToken();
        String user = newUserToken();
        String name = "Müzik " + UUID.randomUUID();

        // when
        Map<String, Object> created = as(editor).post()
            .uri("/events/categories")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "  " + name + " "))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        int id = ((Number) created.get("id")).intValue();

        // then
        assertThat(created).containsOnlyKeys("id", "name").containsEntry("name", name);
        assertThat(as(user).get()
            .uri("/events/categories")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_ARRAY)
            .returnResult()
            .getResponseBody()).contains(Map.of("id", id, "name", name));
        as(editor).put()
            .uri("/events/categories/{id}", id)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", name + " ve Dans"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.name")
            .isEqualTo(name + " ve Dans");
        as(editor).delete().uri("/events/categories/{id}", id).exchange().expectStatus().isNoContent();
        assertThat(as(user).get()
            .uri("/events/categories")
            .exchange()
            .expectBody(JSON_ARRAY)
            .returnResult()
            .getResponseBody()).noneMatch(category -> ((Number) category.get("id")).intValue() == id);
    }

    @Test
    void createWhenNameTakenIgnoringCaseAndTurkishLettersThenConflict() {
        String editor = editorToken();
        String suffix = UUID.randomUUID().toString();
        createCategory(editor, "Işık Gösterisi " + suffix);

        as(editor).post()
            .uri("/events/categories")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "IŞIK GÖSTERİSİ " + suffix.toUpperCase()))
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Bu adda bir kategori zaten var");
        as(editor).post()
            .uri("/events/categories")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "ışık gösterisi " + suffix))
            .exchange()
            .expectStatus()
            .isEqualTo(409);
    }

    @Test
    void renameWhenNameTakenThenConflictAndWhenUnknownThenNotFound() {
        String editor = editorToken();
        String taken = "Tiyatro " + UUID.randomUUID();
        createCategory(editor, taken);
        int other = freshCategory(editor);

        as(editor).put()
            .uri("/events/categories/{id}", other)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", taken.toLowerCase()))
            .exchange()
            .expectStatus()
            .isEqualTo(409);
        as(editor).put()
            .uri("/events/categories/{id}", 987654321)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "Yok"))
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Kategori bulunamadı");
        as(editor).delete().uri("/events/categories/{id}", 987654321).exchange().expectStatus().isNotFound();
    }

    @Test
    void createWhenNameBlankOrUnknownFieldThenBadRequestNamingIt() {
        String editor = editorToken();

        as(editor).post()
            .uri("/events/categories")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "   "))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("name");
        as(editor).post()
            .uri("/events/categories")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "Ad", "color", "red"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("color");
    }

    @Test
    void deleteWhenLiveEventsUseItThenConflictUntilTheyAreDeleted() {
        // given
        String editor = editorToken();
        String admin = newAdminToken();
        int category = freshCategory(editor);
        Map<String, Object> event = createEvent(editor, category, "Kategorili", Duration.ofDays(1),
                Duration.ofHours(1));

        // when / then
        as(editor).delete()
            .uri("/events/categories/{id}", category)
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Kategori silinemez: hâlâ bu kategoride etkinlikler var");

        as(editor).delete().uri("/events/{id}", id(event)).exchange().expectStatus().isNoContent();
        as(editor).delete().uri("/events/categories/{id}", category).exchange().expectStatus().isNoContent();
        as(admin).get()
            .uri("/events/{id}", id(event))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.category")
            .isEmpty();
    }

}
