package dev.kapi.admin;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class GenericAdminIntegrationTests extends IntegrationTest {

    @Test
    void registerUserThenSuccessWithIdAndTheUserSignsIn() {
        String admin = newAdminToken();
        Map<String, Object> user = user();

        post(admin, "/api/v1/admin/register/0", user).expectStatus()
            .isCreated()
            .expectBody()
            .jsonPath("$.status")
            .isEqualTo("success")
            .jsonPath("$.message")
            .isEqualTo("user_created")
            .jsonPath("$.user.id")
            .isNumber()
            .jsonPath("$.user.username")
            .isEqualTo(user.get("username"))
            .jsonPath("$.user.user_type")
            .isEqualTo("user")
            .jsonPath("$.user.created_at")
            .isNotEmpty();
        assertThat(login((String) user.get("username"), "seed-zero-pass")).isNotBlank();
    }

    @Test
    void registerUserWithFullNameLikeEveryUserAnswerCarriesThenTheNameIsSplitAndShown() {
        String admin = newAdminToken();
        String unique = Long.toString(System.nanoTime(), 36);
        Map<String, Object> user = Map.of("username", "full" + unique, "email", "full" + unique + "@example.com",
                "password", "seed-zero-pass", "full_name", "Ayşe Nur Yılmaz");

        post(admin, "/api/v1/admin/register/0", user).expectStatus()
            .isCreated()
            .expectBody()
            .jsonPath("$.user.full_name")
            .isEqualTo("Ayşe Nur Yılmaz")
            .jsonPath("$.user.name")
            .isEqualTo("Ayşe Nur")
            .jsonPath("$.user.surname")
            .isEqualTo("Yılmaz");
        post(admin, "/api/v1/admin/register/0",
                Map.of("username", "noname" + unique, "email", "noname" + unique + "@example.com", "password",
                        "seed-zero-pass"))
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("full_name");
    }

    @Test
    void registerPackageThenContentsComeBackAndUnknownContentValueIsRefused() {
        String admin = newAdminToken();

        post(admin, "/api/v1/admin/register/1", pkg("gold-" + System.nanoTime(), "moe_gatherer")).expectStatus()
            .isCreated()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("package_created")
            .jsonPath("$.package.id")
            .isNumber()
            .jsonPath("$.package.days")
            .isEqualTo(10)
            .jsonPath("$.package.package_contents[0].content_value")
            .isEqualTo("moe_gatherer");
        post(admin, "/api/v1/admin/register/1", pkg("bad-" + System.nanoTime(), "no_such_value")).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .value(String.class, field -> assertThat(field).contains("content_value"));
    }

    @Test
    void userPackageThenTheUserIsEntitledWhileItRunsAndTheAdminSeesItNested() {
        String admin = newAdminToken();
        String email = registerUser();
        String token = login(email);
        long userId = accountIdOf(token);
        long packageId = id(post(admin, "/api/v1/admin/register/1", pkg("silver-" + System.nanoTime(), "bulk_sender")),
                "package");

        post(admin, "/api/v1/admin/register/3", Map.of("user_id", userId, "package_id", packageId)).expectStatus()
            .isCreated()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("u_package_created")
            .jsonPath("$.u_package.active")
            .isEqualTo(true);

        as(token).get()
            .uri("/users/me")
            .exchange()
            .expectBody()
            .jsonPath("$.entitlements")
            .value(List.class, values -> assertThat(values).containsExactly("bulk_sender"));
        as(admin).get()
            .uri("/api/v1/admin/0/{id}", userId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.user.packages[0].package_contents[0].content_value")
            .isEqualTo("bulk_sender")
            .jsonPath("$.user.sessions.length()")
            .isEqualTo(1);

        clock.advance(Duration.ofDays(11));
        as(login(email)).get()
            .uri("/users/me")
            .exchange()
            .expectBody()
            .jsonPath("$.entitlements.length()")
            .isEqualTo(0);
    }

    @Test
    void entitlementsWhenTheHeldPackagesContentsChangeThenTheProfileShowsItAtOnce() {
        String admin = newAdminToken();
        String token = newUserToken();
        long userId = accountIdOf(token);
        long packageId = id(post(admin, "/api/v1/admin/register/1", pkg("copper-" + System.nanoTime(), "moe_gatherer")),
                "package");
        post(admin, "/api/v1/admin/register/3", Map.of("user_id", userId, "package_id", packageId)).expectStatus()
            .isCreated();
        as(token).get()
            .uri("/users/me")
            .exchange()
            .expectBody()
            .jsonPath("$.entitlements")
            .value(List.class, values -> assertThat(values).containsExactly("moe_gatherer"));

        put(admin, "/api/v1/admin/update/1/" + packageId,
                Map.of("new_model",
                        Map.of("package_contents",
                                List.of(Map.of("name", "report", "content_value", "report_export")))))
            .expectStatus()
            .isOk();

        as(token).get()
            .uri("/users/me")
            .exchange()
            .expectBody()
            .jsonPath("$.entitlements")
            .value(List.class, values -> assertThat(values).containsExactly("report_export"));
    }

    @Test
    void lookupByNameThenUserByUsernameAndPackageByName() {
        String admin = newAdminToken();
        Map<String, Object> user = user();
        post(admin, "/api/v1/admin/register/0", user).expectStatus().isCreated();
        String name = "bronze-" + System.nanoTime();
        post(admin, "/api/v1/admin/register/1", pkg(name, "moe_gatherer")).expectStatus().isCreated();

        as(admin).get()
            .uri("/api/v1/admin/0/name/{n}", user.get("username"))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.user.email")
            .isEqualTo(user.get("email"));
        as(admin).get()
            .uri("/api/v1/admin/1/name/{n}", name.toUpperCase())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.package.name")
            .isEqualTo(name);
        as(admin).get()
            .uri("/api/v1/admin/1/name/{n}", "nothing-" + System.nanoTime())
            .exchange()
            .expectStatus()
            .isNotFound();
    }

    @Test
    void updateUserWhenWhitelistedFieldsThenChangedAndUnknownOrHashFieldsAreRefusedByName() {
        String admin = newAdminToken();
        Map<String, Object> user = user();
        long id = id(post(admin, "/api/v1/admin/register/0", user), "user");

        put(admin, "/api/v1/admin/update/0/" + id,
                Map.of("new_model", Map.of("password", "changed-by-admin", "user_type", "editor", "credit", 200)))
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("user_updated")
            .jsonPath("$.user.user_type")
            .isEqualTo("editor")
            .jsonPath("$.user.credit")
            .isEqualTo(200);
        assertThat(login((String) user.get("username"), "changed-by-admin")).isNotBlank();

        put(admin, "/api/v1/admin/update/0/" + id, Map.of("new_model", Map.of("password_hash", "$2b$12$abc")))
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("password_hash")
            .jsonPath("$.message")
            .value(String.class, message -> assertThat(message).contains("password"));
        put(admin, "/api/v1/admin/update/0/" + id, Map.of("new_model", Map.of("role", "admin"))).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("role");
    }

    @Test
    void updatePackageWhenSeedExampleThenContentsReplacedAndUnknownKeyRefused() {
        String admin = newAdminToken();
        long id = id(post(admin, "/api/v1/admin/register/1", pkg("plain-" + System.nanoTime(), "moe_gatherer")),
                "package");
        String newName = "adada-" + System.nanoTime();

        put(admin, "/api/v1/admin/update/1/" + id,
                Map.of("new_model",
                        Map.of("name", newName, "detail", "1dadad", "days", 10, "package_contents",
                                List.of(Map.of("name", "moe_gatherer", "content_value", "moe_gatherer"),
                                        Map.of("name", "report", "content_value", "report_export")))))
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.package.name")
            .isEqualTo(newName)
            .jsonPath("$.package.package_contents.length()")
            .isEqualTo(2);
        put(admin, "/api/v1/admin/update/1/" + id, Map.of("new_model", Map.of("colour", "red"))).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("colour");
    }

    @Test
    void deleteUserThenItsSessionsEndAndDeleteSessionEndsOnlyThatOne() {
        String admin = newAdminToken();
        Map<String, Object> user = user();
        long id = id(post(admin, "/api/v1/admin/register/0", user), "user");
        String first = login((String) user.get("username"), "seed-zero-pass");
        String second = login((String) user.get("username"), "seed-zero-pass");
        String sessionId = (String) ((List<?>) as(first).get()
            .uri("/users/me/sessions")
            .exchange()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("sessions")).stream()
            .map(Map.class::cast)
            .filter(s -> Boolean.TRUE.equals(s.get("current")))
            .map(s -> s.get("id"))
            .findFirst()
            .orElseThrow();

        as(admin).get()
            .uri("/api/v1/admin/4/{id}", sessionId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.u_session.user_id")
            .isEqualTo(id);
        as(admin).delete()
            .uri("/api/v1/admin/delete/4/{id}", sessionId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("u_session_deleted");
        as(first).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        as(second).get().uri("/users/me").exchange().expectStatus().isOk();

        as(admin).delete()
            .uri("/api/v1/admin/delete/0/{id}", id)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("user_deleted");
        as(second).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        as(admin).get().uri("/api/v1/admin/0/{id}", id).exchange().expectStatus().isNotFound();
    }

    @Test
    void routesWhenModelTypeOrIdIsWrongThenClearBadRequests() {
        String admin = newAdminToken();

        as(admin).get()
            .uri("/api/v1/admin/9/1")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("m_type");
        as(admin).get()
            .uri("/api/v1/admin/0/abc")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("m_id");
        post(admin, "/api/v1/admin/register/4", Map.of()).expectStatus().isBadRequest();
        post(admin, "/api/v1/admin/register/0", Map.of("username", "x")).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[*].field")
            .value(List.class, fields -> assertThat(fields).contains("username", "password", "email"));
        as(newUserToken()).get().uri("/api/v1/admin/0/1").exchange().expectStatus().isForbidden();
    }

    @Test
    void reportThenUsersWithPackagesAsJsonAndAsCsv() {
        String admin = newAdminToken();
        Map<String, Object> user = user();
        long id = id(post(admin, "/api/v1/admin/register/0", user), "user");
        String packageName = "report-" + System.nanoTime();
        long packageId = id(post(admin, "/api/v1/admin/register/1", pkg(packageName, "report_export")), "package");
        post(admin, "/api/v1/admin/register/3", Map.of("user_id", id, "package_id", packageId)).expectStatus()
            .isCreated();

        as(admin).get()
            .uri("/api/v1/admin/report?package={p}", packageName)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(1)
            .jsonPath("$.users[0].username")
            .isEqualTo(user.get("username"))
            .jsonPath("$.users[0].packages[0].package_name")
            .isEqualTo(packageName);
        String csv = as(admin).get()
            .uri("/api/v1/admin/report?username={u}", user.get("username"))
            .header("Accept", "text/csv")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentTypeCompatibleWith("text/csv")
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        assertThat(csv.lines().toList()).hasSize(2);
        assertThat(csv.lines().toList().get(1)).contains((String) user.get("username"), packageName, "report_export");
    }

    private Map<String, Object> user() {
        String unique = Long.toString(System.nanoTime(), 36);
        return Map.of("username", "zero" + unique, "password", "seed-zero-pass", "name", "Sıfır", "surname", "Model",
                "email", "zero" + unique + "@example.com");
    }

    private static Map<String, Object> pkg(String name, String contentValue) {
        return Map.of("name", name, "detail", "ayrıntı", "days", 10, "package_contents",
                List.of(Map.of("name", contentValue, "content_value", contentValue)));
    }

    private RestTestClient.ResponseSpec post(String token, String uri, Object body) {
        return as(token).post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).exchange();
    }

    private RestTestClient.ResponseSpec put(String token, String uri, Object body) {
        return as(token).put().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).exchange();
    }

    @SuppressWarnings("unchecked")
    private static long id(RestTestClient.ResponseSpec created, String type) {
        return ((Number) ((Map<String, Object>) created.expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get(type)).get("id")).longValue();
    }

}
