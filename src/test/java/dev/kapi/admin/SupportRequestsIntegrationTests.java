package dev.kapi.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class SupportRequestsIntegrationTests extends IntegrationTest {

    @Test
    void sendWhenSignedInThenCreatedOpenAndListedAmongTheUsersOwnOnly() {
        // given
        String user = newUserToken();
        String other = newUserToken();

        // when
        Map<String, Object> created = send(user, "Kredi yüklenmedi", "Ödeme yaptım ama kredi görünmüyor.")
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        send(other, "Başka", "Başka birinin isteği").expectStatus().isCreated();

        // then
        Map<String, Object> data = data(created);
        assertThat(data).containsEntry("subject", "Kredi yüklenmedi")
            .containsEntry("status", "open")
            .containsEntry("answers", List.of())
            .containsKeys("id", "userId", "createdAt");
        as(user).get()
            .uri("/api/support/requests")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(true)
            .jsonPath("$.count")
            .isEqualTo(1)
            .jsonPath("$.data[0].id")
            .isEqualTo(data.get("id"))
            .jsonPath("$.nextCursor")
            .doesNotExist();
        as(user).get().uri("/api/support/requests/" + data.get("id")).exchange().expectStatus().isOk();
    }

    @Test
    void readWhenAnotherUsersRequestThenNotFound() {
        String owner = newUserToken();
        Object id = data(send(owner, "Gizli", "Sadece benim").expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).get("id");

        as(newUserToken()).get()
            .uri("/api/support/requests/" + id)
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("İstek bulunamadı");
        as(owner).get().uri("/api/support/requests/999999999").exchange().expectStatus().isNotFound();
    }

    @Test
    void sendWhenSubjectOrBodyMissingOrTooLongThenBadRequestNamingTheFields() {
        String user = newUserToken();

        as(user).post()
            .uri("/api/support/requests")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("subject", " "))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[*].field")
            .value(List.class, fields -> assertThat(fields).contains("subject", "body"));
        send(user, "x".repeat(201), "ok").expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("subject");
        client().post()
            .uri("/api/support/requests")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("subject", "a", "body", "b"))
            .exchange()
            .expectStatus()
            .isUnauthorized();
    }

    @Test
    void answerWhenAdminThenTheUserSeesTheAnswerAndIsMailedInTheLanguageOfTheRequest() throws MessagingException {
        // given
        String email = registerUser();
        String user = login(email);
        String admin = newAdminToken();
        Object id = data(as(user).post()
            .uri("/api/support/requests")
            .contentType(MediaType.APPLICATION_JSON)
            .header("Accept-Language", "en")
            .body(Map.of("subject", "Missing credits", "body", "Please check"))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).get("id");

        // when
        Map<String, Object> answered = as(admin).post()
            .uri("/api/admin/support/requests/" + id + "/answers")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("body", "Loaded 100 credits."))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        // then
        assertThat(data(answered)).containsEntry("status", "answered");
        as(user).get()
            .uri("/api/support/requests")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.data[0].status")
            .isEqualTo("answered")
            .jsonPath("$.data[0].answers[0].body")
            .isEqualTo("Loaded 100 credits.");
        MimeMessage mail = awaitMailTo(email, 2); // the first is the address verification
        assertThat(mail.getSubject()).isEqualTo("Your request was answered: Missing credits");
        assertThat(textOf(mail)).contains("Loaded 100 credits.", "Missing credits");
    }

    @Test
    void closeWhenAdminThenClosedAndNoMoreAnswersOrSecondClose() {
        String user = newUserToken();
        String admin = newAdminToken();
        Object id = idOf(send(user, "Kapat", "Lütfen"));

        as(admin).post()
            .uri("/api/admin/support/requests/" + id + "/close")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(true)
            .jsonPath("$.message")
            .isEqualTo("İstek kapatıldı");

        as(admin).get()
            .uri("/api/admin/support/requests/" + id)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.data.status")
            .isEqualTo("closed")
            .jsonPath("$.data.closedAt")
            .exists();
        answer(admin, id, "geç").expectStatus().isEqualTo(409);
        as(admin).post().uri("/api/admin/support/requests/" + id + "/close").exchange().expectStatus().isEqualTo(409);
        as(admin).post().uri("/api/admin/support/requests/999999999/close").exchange().expectStatus().isNotFound();
    }

    @Test
    void adminListWhenStatusFilterAndCursorThenPagesThroughThatStatusNewestFirst() {
        String user = newUserToken();
        String admin = newAdminToken();
        Object first = idOf(send(user, "Bir", "1"));
        Object second = idOf(send(user, "İki", "2"));
        Object third = idOf(send(user, "Üç", "3"));
        answer(admin, first, "cevap").expectStatus().isCreated();

        Map<String, Object> page = as(admin).get()
            .uri("/api/admin/support/requests?status=open&limit=1")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(page).containsEntry("success", true).containsEntry("count", 1);
        assertThat(((Map<?, ?>) ((List<?>) page.get("data")).getFirst()).get("id")).isEqualTo(third);
        String cursor = (String) page.get("nextCursor");
        assertThat(cursor).isNotNull();
        Map<String, Object> next = as(admin).get()
            .uri("/api/admin/support/requests?status=open&limit=1&cursor=" + cursor)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(((Map<?, ?>) ((List<?>) next.get("data")).getFirst()).get("id")).isEqualTo(second);

        as(admin).get()
            .uri("/api/admin/support/requests?status=answered&limit=500")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.data[*].id")
            .value(List.class, ids -> assertThat(ids).contains(first).doesNotContain(second, third));
        as(admin).get()
            .uri("/api/admin/support/requests?status=lost")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("status");
        as(admin).get()
            .uri("/api/admin/support/requests?cursor=abc")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("cursor");
    }

    @Test
    void adminRoutesWhenNotAdminThenForbidden() {
        String user = newUserToken();
        Object id = idOf(send(user, "Ben", "admin değilim"));

        as(user).get().uri("/api/admin/support/requests").exchange().expectStatus().isForbidden();
        as(user).get().uri("/api/admin/support/requests/" + id).exchange().expectStatus().isForbidden();
        answer(user, id, "kendime").expectStatus().isForbidden();
        as(user).post().uri("/api/admin/support/requests/" + id + "/close").exchange().expectStatus().isForbidden();
    }

    @Test
    void answerWhenBodyBlankThenBadRequestNamingBody() {
        String admin = newAdminToken();
        Object id = idOf(send(newUserToken(), "Boş", "cevap"));

        answer(admin, id, " ").expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("body");
    }

    @Test
    void deleteAccountWhenItHasRequestsThenTheyAreRemovedWithIt() {
        String admin = newAdminToken();
        Map<String, Object> created = data(send(newUserToken(), "Silinecek", "hesabımla birlikte").expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody());

        as(admin).method(HttpMethod.DELETE)
            .uri("/api/admin/users/" + created.get("userId"))
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("permanently", true))
            .exchange()
            .expectStatus()
            .isOk();

        // the request goes after the deletion committed, in the AccountDeleted listener
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 200;
        while (status != 404 && System.nanoTime() < deadline) {
            status = as(admin).get()
                .uri("/api/admin/support/requests/" + created.get("id"))
                .exchange()
                .returnResult(String.class)
                .getStatus()
                .value();
        }
        assertThat(status).isEqualTo(404);
    }

    private RestTestClient.ResponseSpec send(String token, String subject, String body) {
        return as(token).post()
            .uri("/api/support/requests")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("subject", subject, "body", body))
            .exchange();
    }

    private RestTestClient.ResponseSpec answer(String token, Object id, String body) {
        return as(token).post()
            .uri("/api/admin/support/requests/" + id + "/answers")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("body", body))
            .exchange();
    }

    private Object idOf(RestTestClient.ResponseSpec response) {
        return data(response.expectStatus().isCreated().expectBody(JSON_OBJECT).returnResult().getResponseBody())
            .get("id");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Map<String, Object> body) {
        return (Map<String, Object>) body.get("data");
    }

}
