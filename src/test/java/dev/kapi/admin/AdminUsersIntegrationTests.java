package dev.kapi.admin;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class AdminUsersIntegrationTests extends IntegrationTest {

    @Test
    void createWhenSeedExampleThenCreatedAndTheUserSignsInWithUsernameOrEmail() {
        String admin = newAdminToken();
        Map<String, Object> request = seedUser();

        Map<String, Object> body = create(admin, request).expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(body).containsEntry("success", true);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) body.get("data");
        assertThat(data).containsKeys("userId", "username", "name", "surname", "email", "isActive", "credit", "debit",
                "userType", "phoneNumber", "avatar");
        assertThat(data).containsEntry("username", request.get("username"))
            .containsEntry("name", "Yeni")
            .containsEntry("surname", "Kullanıcı")
            .containsEntry("isActive", true)
            .containsEntry("userType", Map.of("id", 2, "name", "editor"))
            .containsEntry("phoneNumber", "+90 555 123 4567");
        assertThat(login((String) request.get("username"), "secure-pass-42")).isNotBlank();
        assertThat(login((String) request.get("email"), "secure-pass-42")).isNotBlank();
    }

    @Test
    void createWhenUsernameOrEmailTakenThenBadRequestWithTheSeedsMessage() {
        String admin = newAdminToken();
        Map<String, Object> first = seedUser();
        create(admin, first).expectStatus().isCreated();

        Map<String, Object> sameUsername = seedUser();
        sameUsername.put("username", ((String) first.get("username")).toUpperCase());
        create(admin, sameUsername).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(false)
            .jsonPath("$.message")
            .isEqualTo("Bu kullanıcı adı zaten kullanılıyor");

        Map<String, Object> sameEmail = seedUser();
        sameEmail.put("email", first.get("email"));
        create(admin, sameEmail).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("email");

        as(admin).post()
            .uri("/api/admin/users")
            .contentType(MediaType.APPLICATION_JSON)
            .header("Accept-Language", "en")
            .body(sameUsername)
            .exchange()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("This username is already in use");
    }

    @Test
    void createWhenRequiredFieldsMissingOrTypeUnknownThenBadRequestNamingThem() {
        String admin = newAdminToken();

        as(admin).post()
            .uri("/api/admin/users")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", "x"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[*].field")
            .value(List.class, fields -> assertThat(fields).contains("username", "password", "name", "surname", "email",
                    "userTypeName"));
        Map<String, Object> wrongType = seedUser();
        wrongType.put("userTypeName", "wizard");
        create(admin, wrongType).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("userTypeName");
    }

    @Test
    void listWhenUserTypeFilterThenOnlyThatTypeAndEveryUserHasSeedFields() {
        String admin = newAdminToken();
        Map<String, Object> viewer = seedUser();
        viewer.put("userTypeName", "viewer");
        create(admin, viewer).expectStatus().isCreated();

        as(admin).get()
            .uri("/api/admin/users?userType=viewer&limit=500")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(true)
            .jsonPath("$.data[*].userType.name")
            .value(List.class, types -> assertThat(types).isNotEmpty().containsOnly("viewer"))
            .jsonPath("$.data[?(@.username == '" + viewer.get("username") + "')]")
            .exists();
    }

    @Test
    void listWhenSearchingThenCaseAndTurkishAccentsDoNotMatter() {
        String admin = newAdminToken();
        Map<String, Object> user = seedUser();
        String marker = "Şüğ" + System.nanoTime();
        user.put("surname", "İstanbullu" + marker);
        create(admin, user).expectStatus().isCreated();

        as(admin).get()
            .uri("/api/admin/users?search={q}",
                    "istanbullu" + marker.toLowerCase().replace("ş", "s").replace("ü", "u").replace("ğ", "g"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(1)
            .jsonPath("$.data[0].username")
            .isEqualTo(user.get("username"));
    }

    @Test
    void listWhenPagingWithCursorThenEveryUserOnceInOrder() {
        String admin = newAdminToken();
        for (int i = 0; i < 3; i++) {
            create(admin, seedUser()).expectStatus().isCreated();
        }

        Map<String, Object> first = as(admin).get()
            .uri("/api/admin/users?limit=2")
            .exchange()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        Map<String, Object> second = as(admin).get()
            .uri("/api/admin/users?limit=2&cursor={c}", first.get("nextCursor"))
            .exchange()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(first.get("count")).isEqualTo(2);
        List<?> ids = List.of(((List<?>) first.get("data")).get(1), ((List<?>) second.get("data")).get(0));
        assertThat(ids).doesNotHaveDuplicates();
        as(admin).get().uri("/api/admin/users?cursor=%%%").exchange().expectStatus().isBadRequest();
        as(admin).get().uri("/api/admin/users?limit=501").exchange().expectStatus().isBadRequest();
    }

    @Test
    void getWhenUnknownThenNotFoundWithTheSeedsMessage() {
        as(newAdminToken()).get()
            .uri("/api/admin/users/nosuchuser")
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(false)
            .jsonPath("$.message")
            .isEqualTo("Kullanıcı bulunamadı");
    }

    @Test
    void updateWhenPartialThenOnlyThoseFieldsChangeAndNewPasswordWorks() {
        String admin = newAdminToken();
        Map<String, Object> user = seedUser();
        String userId = userId(create(admin, user));

        as(admin).put()
            .uri("/api/admin/users/{id}", userId)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "Güncellenmiş", "userTypeName", "viewer", "password", "yenisifre"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.data.name")
            .isEqualTo("Güncellenmiş")
            .jsonPath("$.data.surname")
            .isEqualTo("Kullanıcı")
            .jsonPath("$.data.userType.name")
            .isEqualTo("viewer");
        assertThat(login((String) user.get("username"), "yenisifre")).isNotBlank();
        as(admin).put()
            .uri("/api/admin/users/nosuchuser")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "X"))
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Güncellenecek kullanıcı bulunamadı");
    }

    @Test
    void updateWhenDeactivatedThenTheUsersSessionsEndAtOnceAndLoginIsRefused() {
        String admin = newAdminToken();
        Map<String, Object> user = seedUser();
        String userId = userId(create(admin, user));
        String session = login((String) user.get("username"), "secure-pass-42");

        as(admin).put()
            .uri("/api/admin/users/{id}", userId)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("isActive", false))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.data.isActive")
            .isEqualTo(false);

        as(session).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", user.get("username"), "password", "secure-pass-42"))
            .exchange()
            .expectStatus()
            .isUnauthorized();
    }

    @Test
    void updateWhenRoleChangesThenItAppliesToTheNextRequestOfAnOpenSession() {
        String admin = newAdminToken();
        Map<String, Object> user = seedUser();
        String userId = userId(create(admin, user));
        String session = login((String) user.get("username"), "secure-pass-42");
        as(session).get().uri("/users").exchange().expectStatus().isForbidden();

        as(admin).put()
            .uri("/api/admin/users/{id}", userId)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("userTypeName", "admin"))
            .exchange()
            .expectStatus()
            .isOk();

        as(session).get().uri("/users").exchange().expectStatus().isOk();
    }

    @Test
    void deleteWhenNoBodyThenDeactivatedAndWhenPermanentlyThenGone() {
        String admin = newAdminToken();
        String userId = userId(create(admin, seedUser()));

        as(admin).delete()
            .uri("/api/admin/users/{id}", userId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(true)
            .jsonPath("$.message")
            .isEqualTo("Kullanıcı deaktif edildi");
        as(admin).get()
            .uri("/api/admin/users/{id}", userId)
            .exchange()
            .expectBody()
            .jsonPath("$.data.isActive")
            .isEqualTo(false);

        as(admin).method(org.springframework.http.HttpMethod.DELETE)
            .uri("/api/admin/users/{id}", userId)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("permanently", true))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Kullanıcı kalıcı olarak silindi");
        as(admin).get().uri("/api/admin/users/{id}", userId).exchange().expectStatus().isNotFound();
        as(admin).delete()
            .uri("/api/admin/users/{id}", userId)
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Silinecek kullanıcı bulunamadı");
    }

    @Test
    void deleteWhenOwnAccountThenForbidden() {
        String email = registerAdmin();
        String admin = login(email);
        String ownId = (String) ((List<?>) as(admin).get()
            .uri("/api/admin/users?search={q}", email)
            .exchange()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("data")).stream().map(Map.class::cast).map(user -> user.get("userId")).findFirst().orElseThrow();

        as(admin).delete()
            .uri("/api/admin/users/{id}", ownId)
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Kendi hesabınızı silemezsiniz");
    }

    @Test
    void everyRouteWhenNotAdminThenForbidden() {
        String user = newUserToken();

        as(user).get().uri("/api/admin/users").exchange().expectStatus().isForbidden();
        as(user).get().uri("/api/admin/users/abc").exchange().expectStatus().isForbidden();
        create(user, seedUser()).expectStatus().isForbidden();
        as(user).put()
            .uri("/api/admin/users/abc")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of())
            .exchange()
            .expectStatus()
            .isForbidden();
        as(user).delete().uri("/api/admin/users/abc").exchange().expectStatus().isForbidden();
        client().get().uri("/api/admin/users").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void createAndUpdateWhenCreditAndDebitGivenThenTheLedgerHoldsAdjustingEntries() {
        String admin = newAdminToken();
        Map<String, Object> user = seedUser();
        user.put("credit", 100);
        user.put("debit", 50);
        String userId = userId(create(admin, user));

        as(admin).put()
            .uri("/api/admin/users/{id}", userId)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("credit", 300, "debit", 100))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.data.credit")
            .isEqualTo(300)
            .jsonPath("$.data.debit")
            .isEqualTo(100);

        as(admin).get()
            .uri("/api/admin/users/{id}/credits", userId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(4)
            .jsonPath("$.data[*].reason")
            .value(List.class, reasons -> assertThat(reasons).containsOnly("adjustment"));
    }

    @Test
    void loadCreditsThenAnEntryAndTheNewTotal() {
        String admin = newAdminToken();
        String userId = userId(create(admin, seedUser()));

        as(admin).post()
            .uri("/api/admin/users/{id}/credits", userId)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("amount", 250, "note", "kampanya"))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody()
            .jsonPath("$.data.amount")
            .isEqualTo(250)
            .jsonPath("$.data.reason")
            .isEqualTo("load")
            .jsonPath("$.data.note")
            .isEqualTo("kampanya")
            .jsonPath("$.credit")
            .isEqualTo(250);
        as(admin).get()
            .uri("/api/admin/users/{id}", userId)
            .exchange()
            .expectBody()
            .jsonPath("$.data.credit")
            .isEqualTo(250);
        as(admin).post()
            .uri("/api/admin/users/{id}/credits", userId)
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("amount", -5))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("amount");
        as(newUserToken()).get().uri("/api/admin/users/{id}/credits", userId).exchange().expectStatus().isForbidden();
    }

    static Map<String, Object> seedUser() {
        String unique = Long.toString(System.nanoTime(), 36);
        Map<String, Object> user = new HashMap<>();
        user.put("username", "newuser" + unique);
        user.put("password", "secure-pass-42");
        user.put("name", "Yeni");
        user.put("surname", "Kullanıcı");
        user.put("email", "newuser" + unique + "@example.com");
        user.put("userTypeName", "editor");
        user.put("phoneNumber", "+90 555 123 4567");
        user.put("avatar", "https://example.com/avatars/default.png");
        return user;
    }

    private RestTestClient.ResponseSpec create(String token, Map<String, Object> user) {
        return as(token).post().uri("/api/admin/users").contentType(MediaType.APPLICATION_JSON).body(user).exchange();
    }

    @SuppressWarnings("unchecked")
    private static String userId(RestTestClient.ResponseSpec created) {
        return (String) ((Map<String, Object>) created.expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("data")).get("userId");
    }

}
