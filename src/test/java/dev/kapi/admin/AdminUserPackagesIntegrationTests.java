package dev.kapi.admin;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class AdminUserPackagesIntegrationTests extends IntegrationTest {

    @Test
    @SuppressWarnings("unchecked")
    void assignThenListedWithItsContentsAndTheUserIsEntitled() {
        String admin = newAdminToken();
        String email = registerUser();
        String user = login(email);
        String userId = userIdOf(admin, email);
        long packageId = createPackage(admin, 30);

        Map<String, Object> created = assign(admin, userId, Map.of("packageId", packageId)).expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        Map<String, Object> listed = as(admin).get()
            .uri("/api/admin/users/{id}/packages", userId)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        Map<String, Object> data = (Map<String, Object>) created.get("data");
        assertThat(created).containsEntry("success", true);
        assertThat(data).containsOnlyKeys("id", "packageId", "packageName", "startsAt", "endsAt", "active", "contents",
                "createdAt");
        assertThat(data).containsEntry("packageId", (int) packageId)
            .containsEntry("active", true)
            .containsEntry("contents",
                    List.of(Map.of("id", ((List<Map<String, Object>>) data.get("contents")).getFirst().get("id"),
                            "name", "moe_gatherer", "contentValue", "moe_gatherer")));
        assertThat(Instant.parse((String) data.get("startsAt")).plus(30, ChronoUnit.DAYS))
            .isEqualTo(Instant.parse((String) data.get("endsAt")));
        assertThat(listed).containsEntry("success", true)
            .containsEntry("count", 1)
            .containsEntry("data", List.of(data));
        as(user).get().uri("/users/me").exchange().expectBody().jsonPath("$.entitlements[0]").isEqualTo("moe_gatherer");
    }

    @Test
    void assignWhenStartsAtLaterThenListedLatestStartFirstAndNotActiveYet() {
        String admin = newAdminToken();
        String userId = userIdOf(admin, registerUser());
        long packageId = createPackage(admin, 10);
        Instant later = clock.instant().plus(20, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        assign(admin, userId, Map.of("packageId", packageId)).expectStatus().isCreated();

        assign(admin, userId, Map.of("packageId", packageId, "startsAt", later.toString())).expectStatus()
            .isCreated()
            .expectBody()
            .jsonPath("$.data.active")
            .isEqualTo(false);

        as(admin).get()
            .uri("/api/admin/users/{id}/packages", userId)
            .exchange()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(2)
            .jsonPath("$.data[0].startsAt")
            .isEqualTo(later.toString())
            .jsonPath("$.data[1].active")
            .isEqualTo(true);
    }

    @Test
    void removeThenGoneAndTheEntitlementWithIt() {
        String admin = newAdminToken();
        String email = registerUser();
        String user = login(email);
        String userId = userIdOf(admin, email);
        long assigned = assignedId(assign(admin, userId, Map.of("packageId", createPackage(admin, 10))));

        as(admin).delete()
            .uri("/api/admin/users/{id}/packages/{p}", userId, assigned)
            .exchange()
            .expectStatus()
            .isNoContent();

        as(admin).get()
            .uri("/api/admin/users/{id}/packages", userId)
            .exchange()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(0);
        as(user).get().uri("/users/me").exchange().expectBody().jsonPath("$.entitlements").isEmpty();
        as(admin).delete()
            .uri("/api/admin/users/{id}/packages/{p}", userId, assigned)
            .exchange()
            .expectStatus()
            .isNotFound();
    }

    @Test
    void removeWhenThePackageIsAnotherUsersThenNotFoundAndItStays() {
        String admin = newAdminToken();
        String ownerId = userIdOf(admin, registerUser());
        String otherId = userIdOf(admin, registerUser());
        long assigned = assignedId(assign(admin, ownerId, Map.of("packageId", createPackage(admin, 10))));

        as(admin).delete()
            .uri("/api/admin/users/{id}/packages/{p}", otherId, assigned)
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:user-package-not-found");

        as(admin).get()
            .uri("/api/admin/users/{id}/packages", ownerId)
            .exchange()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(1);
    }

    @Test
    void everyRouteWhenInputInvalidThenBadRequestAndWhenUserOrPackageUnknownThenNotFound() {
        String admin = newAdminToken();
        String userId = userIdOf(admin, registerUser());

        assign(admin, userId, Map.of()).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("packageId");
        assign(admin, userId, Map.of("packageId", 1, "days", 3)).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("days");
        assign(admin, userId, Map.of("packageId", 1, "startsAt", "yesterday")).expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("startsAt");
        as(admin).delete()
            .uri("/api/admin/users/{id}/packages/abc", userId)
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("id");
        assign(admin, userId, Map.of("packageId", Long.MAX_VALUE)).expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:package-not-found");
        as(admin).get()
            .uri("/api/admin/users/nosuchuser/packages")
            .exchange()
            .expectStatus()
            .isNotFound()
            .expectBody()
            .jsonPath("$.message")
            .isEqualTo("Kullanıcı bulunamadı");
        assign(admin, "nosuchuser", Map.of("packageId", 1)).expectStatus().isNotFound();
        as(admin).delete().uri("/api/admin/users/nosuchuser/packages/1").exchange().expectStatus().isNotFound();
    }

    @Test
    @SuppressWarnings("unchecked")
    void packagesWhenListedThenEveryPackageWithItsDaysAndContents() {
        String admin = newAdminToken();
        long packageId = createPackage(admin, 45);

        Map<String, Object> answer = as(admin).get()
            .uri("/api/admin/packages")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        List<Map<String, Object>> packages = (List<Map<String, Object>>) answer.get("data");
        Map<String, Object> created = packages.stream()
            .filter(pkg -> ((Number) pkg.get("id")).longValue() == packageId)
            .findFirst()
            .orElseThrow();
        assertThat(created).containsOnlyKeys("id", "name", "detail", "days", "contents")
            .containsEntry("days", 45)
            .containsEntry("detail", "ayrıntı");
        List<Map<String, Object>> contents = (List<Map<String, Object>>) created.get("contents");
        assertThat(contents).singleElement()
            .satisfies(content -> assertThat(content).containsEntry("name", "moe_gatherer")
                .containsEntry("contentValue", "moe_gatherer"));
        assertThat(answer).containsEntry("count", packages.size());
        as(newUserToken()).get().uri("/api/admin/packages").exchange().expectStatus().isForbidden();
    }

    @Test
    void everyRouteWhenNotAdminThenForbiddenAndWithoutTokenUnauthorized() {
        String user = newUserToken();

        as(user).get().uri("/api/admin/users/abc/packages").exchange().expectStatus().isForbidden();
        assign(user, "abc", Map.of("packageId", 1)).expectStatus().isForbidden();
        as(user).delete().uri("/api/admin/users/abc/packages/1").exchange().expectStatus().isForbidden();
        client().get().uri("/api/admin/users/abc/packages").exchange().expectStatus().isUnauthorized();
    }

    private long createPackage(String admin, int days) {
        Map<String, Object> body = as(admin).post()
            .uri("/api/v1/admin/register/1")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "console-" + System.nanoTime(), "detail", "ayrıntı", "days", days, "package_contents",
                    List.of(Map.of("name", "moe_gatherer", "content_value", "moe_gatherer"))))
            .exchange()
            .expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        return ((Number) ((Map<?, ?>) body.get("package")).get("id")).longValue();
    }

    private RestTestClient.ResponseSpec assign(String token, String userId, Map<String, Object> body) {
        return as(token).post()
            .uri("/api/admin/users/{id}/packages", userId)
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange();
    }

    private static long assignedId(RestTestClient.ResponseSpec created) {
        Map<String, Object> body = created.expectStatus()
            .isCreated()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        return ((Number) ((Map<?, ?>) body.get("data")).get("id")).longValue();
    }

    @SuppressWarnings("unchecked")
    private String userIdOf(String admin, String email) {
        Map<String, Object> found = as(admin).get()
            .uri("/api/admin/users?search={q}", email)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        return (String) ((List<Map<String, Object>>) found.get("data")).getFirst().get("userId");
    }

}
