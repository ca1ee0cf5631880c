package dev.kapi.events;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class EventsIntegrationTests extends EventsTestSupport {

    @Autowired
    private DataSource dataSource;

    @Test
    @SuppressWarnings("unchecked")
    void createWhenSeedExampleByEditorThenCreatedWithEveryDocumentedField() {
        // given
        String editor = editorToken();
        int category = createCategory(editor, "Çalıştaylar " + System.nanoTime());
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("title", "Spring Boot Atölyesi");
        request.put("description", "Uygulamalı bir gün");
        request.put("content", "# Program\n09:00 Açılış");
        request.put("image_url", "https://example.com/atolye.png");
        request.put("location", "İstanbul");
        request.put("start_time", "2030-03-15T14:30:00Z");
        request.put("end_time", "2030-03-15T18:00:00+03:00");
        request.put("category_id", category);

        // when
        EntityExchangeResult<Map<String, Object>> result = as(editor).post()
            .uri("/events")
            .contentType(MediaType.APPLICATION_JSON)
            .body(request)
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult();

        // then
        Map<String, Object> event = result.getResponseBody();
        assertThat(event).containsOnlyKeys("id", "title", "slug", "description", "content", "image_url", "location",
                "start_time", "end_time", "category", "created_by", "is_active", "created_at", "updated_at");
        assertThat(event).containsEntry("title", "Spring Boot Atölyesi")
            .containsEntry("slug", "spring-boot-atolyesi")
            .containsEntry("description", "Uygulamalı bir gün")
            .containsEntry("content", "# Program\n09:00 Açılış")
            .containsEntry("image_url", "https://example.com/atolye.png")
            .containsEntry("location", "İstanbul")
            .containsEntry("start_time", "2030-03-15T14:30:00Z")
            .containsEntry("end_time", "2030-03-15T15:00:00Z")
            .containsEntry("is_active", true);
        assertThat(event.get("category")).isEqualTo(Map.of("id", category, "name", categoryName(editor, category)));
        assertThat((Map<String, Object>) event.get("created_by")).containsEntry("full_name", "Test User")
            .containsKey("id");
        assertThat(result.getResponseHeaders().getLocation()).hasPath("/events/" + id(event));
        assertThat(result.getResponseHeaders().getETag()).isNotBlank();
    }

    @Test
    void createWhenFieldsInvalidThenBadRequestNamingEachField() {
        String editor = editorToken();

        assertThat(invalidEventFields(editor, Map.of("description", "no title, no times"))).contains("title",
                "start_time", "end_time");
        assertThat(invalidEventFields(editor,
                Map.of("title", " ", "start_time", "2030-01-01T10:00:00Z", "end_time", "2030-01-01T11:00:00Z")))
            .containsExactly("title");
        assertThat(invalidEventFields(editor,
                Map.of("title", "Ters", "start_time", "2030-01-01T10:00:00Z", "end_time", "2030-01-01T10:00:00Z")))
            .containsExactly("end_time");
        assertThat(invalidEventFields(editor,
                Map.of("title", "Bölgesiz", "start_time", "2030-01-01T10:00:00", "end_time", "2030-01-01T11:00:00Z")))
            .containsExactly("start_time");
        assertThat(
                invalidEventFields(editor,
                        Map.of("title", "Kötü adres", "start_time", "2030-01-01T10:00:00Z", "end_time",
                                "2030-01-01T11:00:00Z", "image_url", "javascript:alert(1)")))
            .containsExactly("image_url");
        assertThat(invalidEventFields(editor, Map.of("title", "Kategorisiz", "start_time", "2030-01-01T10:00:00Z",
                "end_time", "2030-01-01T11:00:00Z", "category_id", 987654321)))
            .containsExactly("category_id");
        assertThat(invalidEventFields(editor, Map.of("title", "Fazlalık", "start_time", "2030-01-01T10:00:00Z",
                "end_time", "2030-01-01T11:00:00Z", "is_active", false)))
            .containsExactly("is_active");
    }

    @Test
    void createWhenTurkishTitleThenTransliteratedSlugWithSuffixOnCollision() {
        String editor = editorToken();
        int category = freshCategory(editor);

        Map<String, Object> first = createEvent(editor, category, "Çalıştay Ğüşiöç", Duration.ofDays(3),
                Duration.ofHours(2));
        Map<String, Object> second = createEvent(editor, category, "ÇALIŞTAY ğüşİÖÇ!", Duration.ofDays(4),
                Duration.ofHours(2));
        Map<String, Object> third = createEvent(editor, category, "Çalıştay Ğüşiöç", Duration.ofDays(5),
                Duration.ofHours(2));

        assertThat(first.get("slug")).isEqualTo("calistay-gusioc");
        assertThat(second.get("slug")).isEqualTo("calistay-gusioc-2");
        assertThat(third.get("slug")).isEqualTo("calistay-gusioc-3");
    }

    @Test
    void readWhenSignedInAsAnyUserThenByIdAndBySlug() {
        String editor = editorToken();
        String user = newUserToken();
        Map<String, Object> event = createEvent(editor, freshCategory(editor), "Okuma Günü", Duration.ofDays(1),
                Duration.ofHours(1));

        as(user).get()
            .uri("/events/{id}", id(event))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.title")
            .isEqualTo("Okuma Günü");
        as(tokenOf("viewer")).get()
            .uri("/events/by-slug/{slug}", event.get("slug"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.id")
            .isEqualTo(id(event));
        client().get().uri("/events/{id}", id(event)).exchange().expectStatus().isUnauthorized();
        client().get().uri("/events").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void readWhenUnknownThenNotFound() {
        String user = newUserToken();

        as(user).get()
            .uri("/events/{id}", Long.MAX_VALUE)
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Etkinlik bulunamadı");
        as(user).get().uri("/events/by-slug/yok-boyle-bir-etkinlik").exchange().expectStatus().isNotFound();
    }

    @Test
    void routesWhenCategoriesLiteralThenNeverTakenForAnEventId() {
        String editor = editorToken();

        as(editor).get()
            .uri("/events/categories")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$")
            .isArray();
        as(editor).put()
            .uri("/events/categories")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("title", "x"))
            .exchange()
            .expectStatus()
            .isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        as(editor).delete()
            .uri("/events/categories")
            .exchange()
            .expectStatus()
            .isEqualTo(HttpStatus.METHOD_NOT_ALLOWED);
        as(editor).delete().uri("/events/categories/hard").exchange().expectStatus().isNotFound();
        as(editor).get().uri("/events/not-a-number").exchange().expectStatus().isNotFound();
    }

    @Test
    void writesWhenUserOrViewerThenForbidden() {
        String editor = editorToken();
        int category = freshCategory(editor);
        long event = id(createEvent(editor, category, "Yetki", Duration.ofDays(1), Duration.ofHours(1)));
        Map<String, Object> body = Map.of("title", "X", "start_time", "2030-01-01T10:00:00Z", "end_time",
                "2030-01-01T11:00:00Z");

        for (String token : new String[] { newUserToken(), tokenOf("viewer") }) {
            as(token).post()
                .uri("/events")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body)
                .exchange()
                .expectStatus()
                .isForbidden();
            as(token).put()
                .uri("/events/{id}", event)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("title", "Y"))
                .exchange()
                .expectStatus()
                .isForbidden();
            as(token).delete().uri("/events/{id}", event).exchange().expectStatus().isForbidden();
            as(token).delete().uri("/events/{id}/hard", event).exchange().expectStatus().isForbidden();
            as(token).post().uri("/events/{id}/restore", event).exchange().expectStatus().isForbidden();
            as(token).post()
                .uri("/events/categories")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "Yasak"))
                .exchange()
                .expectStatus()
                .isForbidden();
            as(token).put()
                .uri("/events/categories/{id}", category)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("name", "Yasak"))
                .exchange()
                .expectStatus()
                .isForbidden();
            as(token).delete().uri("/events/categories/{id}", category).exchange().expectStatus().isForbidden();
        }
        as(editor).get()
            .uri("/events/{id}", event)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.title")
            .isEqualTo("Yetki");
    }

    @Test
    void adminOnlyRoutesWhenEditorThenForbidden() {
        String editor = editorToken();
        long event = id(createEvent(editor, freshCategory(editor), "Editör", Duration.ofDays(1), Duration.ofHours(1)));

        as(editor).delete().uri("/events/{id}/hard", event).exchange().expectStatus().isForbidden();
        as(editor).post().uri("/events/{id}/restore", event).exchange().expectStatus().isForbidden();
        as(editor).get()
            .uri("/events?include_deleted=true")
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Silinmiş etkinlikleri yalnızca adminler listeleyebilir");
    }

    @Test
    void updateWhenPartialThenOnlyGivenFieldsChangeAndSlugIsKept() {
        // given
        String editor = editorToken();
        int category = freshCategory(editor);
        int other = freshCategory(editor);
        Map<String, Object> event = createEvent(editor, category, "Eski Başlık", Duration.ofDays(2),
                Duration.ofHours(2));
        clock.advance(Duration.ofMinutes(1));

        // when
        Map<String, Object> changed = as(newAdminToken()).put()
            .uri("/events/{id}", id(event))
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("title", "Yeni Başlık", "location", "Ankara", "category_id", other))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        // then
        assertThat(changed).containsEntry("title", "Yeni Başlık")
            .containsEntry("location", "Ankara")
            .containsEntry("slug", "eski-baslik")
            .containsEntry("description", event.get("description"))
            .containsEntry("start_time", event.get("start_time"))
            .containsEntry("end_time", event.get("end_time"))
            .containsEntry("created_by", event.get("created_by"))
            .containsEntry("created_at", event.get("created_at"));
        assertThat(((Map<?, ?>) changed.get("category")).get("id")).isEqualTo(other);
        assertThat((String) changed.get("updated_at")).isGreaterThan((String) event.get("updated_at"));
        as(editor).get()
            .uri("/events/by-slug/eski-baslik")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.title")
            .isEqualTo("Yeni Başlık");
    }

    @Test
    void updateWhenInvalidThenBadRequestNamingTheFieldAndNothingChanged() {
        String editor = editorToken();
        Map<String, Object> event = createEvent(editor, freshCategory(editor), "Sağlam", Duration.ofDays(2),
                Duration.ofHours(2));

        // The new end is before the stored start.
        as(editor).put()
            .uri("/events/{id}", id(event))
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("end_time", "2000-01-01T00:00:00Z"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("end_time");
        as(editor).put()
            .uri("/events/{id}", id(event))
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("title", ""))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("title");
        as(editor).put()
            .uri("/events/{id}", id(event))
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("category_id", 987654321))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("category_id");
        as(editor).put()
            .uri("/events/{id}", Long.MAX_VALUE)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("title", "Yok"))
            .exchange()
            .expectStatus()
            .isNotFound();
        as(editor).get()
            .uri("/events/{id}", id(event))
            .exchange()
            .expectBody()
            .jsonPath("$.title")
            .isEqualTo("Sağlam")
            .jsonPath("$.end_time")
            .isEqualTo(event.get("end_time"));
    }

    @Test
    void getWhenIfNoneMatchesCurrentEtagThenNotModifiedUntilTheEventChanges() {
        String editor = editorToken();
        Map<String, Object> event = createEvent(editor, freshCategory(editor), "Önbellek", Duration.ofDays(2),
                Duration.ofHours(2));
        String etag = as(editor).get()
            .uri("/events/{id}", id(event))
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult()
            .getResponseHeaders()
            .getETag();

        as(editor).get()
            .uri("/events/{id}", id(event))
            .header(HttpHeaders.IF_NONE_MATCH, etag)
            .exchange()
            .expectStatus()
            .isNotModified();
        as(editor).get()
            .uri("/events/by-slug/{slug}", event.get("slug"))
            .header(HttpHeaders.IF_NONE_MATCH, etag)
            .exchange()
            .expectStatus()
            .isNotModified();

        as(editor).put()
            .uri("/events/{id}", id(event))
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("location", "İzmir"))
            .exchange()
            .expectStatus()
            .isOk();

        String changed = as(editor).get()
            .uri("/events/{id}", id(event))
            .header(HttpHeaders.IF_NONE_MATCH, etag)
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult()
            .getResponseHeaders()
            .getETag();
        assertThat(changed).isNotEqualTo(etag);
    }

    @Test
    void updateWhenIfMatchIsStaleThenPreconditionFailedAndWhenCurrentThenChanged() {
        String editor = editorToken();
        Map<String, Object> event = createEvent(editor, freshCategory(editor), "Yarış", Duration.ofDays(2),
                Duration.ofHours(2));
        String etag = as(editor).get()
            .uri("/events/{id}", id(event))
            .exchange()
            .returnResult()
            .getResponseHeaders()
            .getETag();

        String next = as(editor).put()
            .uri("/events/{id}", id(event))
            .header(HttpHeaders.IF_MATCH, etag)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("location", "Bursa"))
            .exchange()
            .expectStatus()
            .isOk()
            .returnResult()
            .getResponseHeaders()
            .getETag();
        as(editor).put()
            .uri("/events/{id}", id(event))
            .header(HttpHeaders.IF_MATCH, etag)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("location", "Konya"))
            .exchange()
            .expectStatus()
            .isEqualTo(HttpStatus.PRECONDITION_FAILED)
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:event-changed");
        as(editor).put()
            .uri("/events/{id}", id(event))
            .header(HttpHeaders.IF_MATCH, "*")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("location", "Konya"))
            .exchange()
            .expectStatus()
            .isOk();

        assertThat(next).isNotEqualTo(etag);
        as(editor).get()
            .uri("/events/{id}", id(event))
            .exchange()
            .expectBody()
            .jsonPath("$.location")
            .isEqualTo("Konya");
    }

    @Test
    void softDeleteThenGoneForEveryoneButAdminsWhoCanListAndRestoreIt() {
        // given
        String editor = editorToken();
        String admin = newAdminToken();
        String user = newUserToken();
        int category = freshCategory(editor);
        Map<String, Object> event = createEvent(editor, category, "Silinecek", Duration.ofDays(2), Duration.ofHours(2));

        // when
        as(editor).delete().uri("/events/{id}", id(event)).exchange().expectStatus().isNoContent();

        // then
        for (String token : new String[] { user, editor }) {
            as(token).get().uri("/events/{id}", id(event)).exchange().expectStatus().isNotFound();
            as(token).get().uri("/events/by-slug/{slug}", event.get("slug")).exchange().expectStatus().isNotFound();
            assertThat(list(token, "category_id=" + category)).isEmpty();
        }
        as(editor).put()
            .uri("/events/{id}", id(event))
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("title", "Geri"))
            .exchange()
            .expectStatus()
            .isNotFound();
        as(editor).delete().uri("/events/{id}", id(event)).exchange().expectStatus().isNotFound();
        assertThat(list(admin, "category_id=" + category)).isEmpty();
        Map<String, Object> deleted = as(admin).get()
            .uri("/events/{id}", id(event))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(deleted).containsEntry("is_active", false).containsKeys("deleted_at", "deleted_by");
        as(admin).get().uri("/events/by-slug/{slug}", event.get("slug")).exchange().expectStatus().isOk();
        assertThat(titles(list(admin, "include_deleted=true&category_id=" + category))).containsExactly("Silinecek");
        as(admin).delete().uri("/events/{id}", id(event)).exchange().expectStatus().isNoContent();

        as(admin).post()
            .uri("/events/{id}/restore", id(event))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.is_active")
            .isEqualTo(true)
            .jsonPath("$.slug")
            .isEqualTo(event.get("slug"))
            .jsonPath("$.deleted_at")
            .doesNotExist();
        assertThat(titles(list(user, "category_id=" + category))).containsExactly("Silinecek");
    }

    @Test
    void restoreWhenALiveEventTookTheSlugMeanwhileThenANewSlug() {
        String editor = editorToken();
        String admin = newAdminToken();
        int category = freshCategory(editor);
        Map<String, Object> first = createEvent(editor, category, "Tek Slug", Duration.ofDays(2), Duration.ofHours(2));
        as(editor).delete().uri("/events/{id}", id(first)).exchange().expectStatus().isNoContent();
        Map<String, Object> second = createEvent(editor, category, "Tek Slug", Duration.ofDays(3), Duration.ofHours(2));

        assertThat(second.get("slug")).isEqualTo(first.get("slug"));
        as(admin).post()
            .uri("/events/{id}/restore", id(first))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.slug")
            .isEqualTo(first.get("slug") + "-2");
        as(admin).post().uri("/events/{id}/restore", Long.MAX_VALUE).exchange().expectStatus().isNotFound();
    }

    @Test
    void restoreWhenAnotherWriterTakesTheSlugDuringTheRestoreThenANewSlugNotAnError() throws Exception {
        // given: two deleted events that both had one slug
        String editor = editorToken();
        String admin = newAdminToken();
        int category = freshCategory(editor);
        String title = "Yarış " + System.nanoTime();
        Map<String, Object> first = createEvent(editor, category, title, Duration.ofDays(2), Duration.ofHours(2));
        as(editor).delete().uri("/events/{id}", id(first)).exchange().expectStatus().isNoContent();
        Map<String, Object> second = createEvent(editor, category, title, Duration.ofDays(3), Duration.ofHours(2));
        as(editor).delete().uri("/events/{id}", id(second)).exchange().expectStatus().isNoContent();
        assertThat(second.get("slug")).isEqualTo(first.get("slug"));

        // when: another writer brings the second back under the slug and has not
        // committed yet...
        try (Connection other = dataSource.getConnection();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            other.setAutoCommit(false);
            try (PreparedStatement revive = other
                .prepareStatement("UPDATE events SET deleted_at = NULL WHERE id = ?")) {
                revive.setLong(1, id(second));
                revive.executeUpdate();
            }
            Future<Map<String, Object>> restore = pool.submit(() -> as(admin).post()
                .uri("/events/{id}/restore", id(first))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON_OBJECT)
                .returnResult()
                .getResponseBody());
            // ...while the restore, which saw the slug free, waits for that writer on the
            // slug's unique index
            await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc
                    .sql("""
                            SELECT count(*) FROM pg_stat_activity
                            WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE events SET deleted_at = NULL, deleted_by%'""")
                    .query(Long.class)
                    .single() == 1);
            other.commit();

            // then
            assertThat(restore.get().get("slug")).isEqualTo(first.get("slug") + "-2");
        }
    }

    @Test
    void hardDeleteWhenAdminThenGoneForGood() {
        String editor = editorToken();
        String admin = newAdminToken();
        Map<String, Object> event = createEvent(editor, freshCategory(editor), "Kalıcı", Duration.ofDays(2),
                Duration.ofHours(2));

        as(admin).delete().uri("/events/{id}/hard", id(event)).exchange().expectStatus().isNoContent();

        as(admin).get().uri("/events/{id}", id(event)).exchange().expectStatus().isNotFound();
        as(admin).delete().uri("/events/{id}/hard", id(event)).exchange().expectStatus().isNotFound();
        as(admin).post().uri("/events/{id}/restore", id(event)).exchange().expectStatus().isNotFound();
    }

    @Test
    void createWhenEditorFrozeTheAccountThenForbiddenUntilUnfrozen() {
        String editor = editorToken();
        int category = freshCategory(editor);
        as(editor).post().uri("/users/me/freeze").exchange().expectStatus().isOk();

        as(editor).post()
            .uri("/events")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("title", "Donuk", "start_time", "2031-01-01T10:00:00Z", "end_time", "2031-01-01T12:00:00Z",
                    "category_id", category))
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:account-frozen");
        as(editor).get().uri("/events/categories").exchange().expectStatus().isOk();

        as(editor).post().uri("/users/me/unfreeze").exchange().expectStatus().isOk();
        createEvent(editor, category, "Çözüldü", Duration.ofDays(3), Duration.ofHours(1));
    }

    @Test
    void authorWhenAccountDeletedThenEventStaysWithoutAuthor() {
        String editor = editorToken();
        String admin = newAdminToken();
        Map<String, Object> event = createEvent(editor, freshCategory(editor), "Yazarsız", Duration.ofDays(2),
                Duration.ofHours(2));

        as(editor).delete().uri("/users/me").exchange().expectStatus().isNoContent();

        // The events module hears of the deletion after it committed, on a thread of its
        // own.
        await().atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> as(admin).get()
                .uri("/events/{id}", id(event))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.created_by")
                .isEmpty());
    }

    private List<String> invalidEventFields(String token, Map<String, Object> body) {
        return invalidFields(as(token).post().uri("/events").contentType(MediaType.APPLICATION_JSON).body(body));
    }

    private String categoryName(String token, int id) {
        return as(token).get()
            .uri("/events/categories")
            .exchange()
            .expectBody(JSON_ARRAY)
            .returnResult()
            .getResponseBody()
            .stream()
            .filter(category -> ((Number) category.get("id")).intValue() == id)
            .map(category -> (String) category.get("name"))
            .findFirst()
            .orElseThrow();
    }

}
