package dev.kapi.identity.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import com.github.tomakehurst.wiremock.client.WireMock;

import dev.kapi.support.IntegrationTest;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * No breached or trivial passwords (issue 16): registration, change, reset and admin-set
 * refuse a password from the shipped breach list, from Have I Been Pwned (a local stub)
 * or too guessable, and say which and why; a password that became known-breached later
 * still signs in but is flagged and audited.
 */
class PasswordScreeningIntegrationTests extends IntegrationTest {

    @Test
    void registerWhenPasswordIsInTheShippedBreachListThenBadRequestSaysSoInTurkishAndEnglish() {
        Map<String, Object> turkish = register("password1", null);
        assertThat(turkish).containsEntry("type", "urn:kapi:problem:validation");
        assertThat(invalidFields(turkish)).containsExactly("password");
        assertThat((String) turkish.get("message")).contains("veri sızıntılarında");

        Map<String, Object> english = register("Iloveyou123", "en");
        assertThat((String) english.get("message")).contains("appears in known data breaches");
    }

    @Test
    void registerWhenPasswordIsTooGuessableThenBadRequestNamesTheStrength() {
        Map<String, Object> english = register("securepassword", "en");

        assertThat(invalidFields(english)).containsExactly("password");
        assertThat((String) english.get("message")).contains("too easy to guess")
            .contains("strength 1/4")
            .doesNotContain("breach");
        assertThat((String) register("securepassword", null).get("message")).contains("kolay tahmin edilir");
    }

    @Test
    void registerWhenHaveIBeenPwnedKnowsThePasswordThenRefusedAndOnlyTheHashPrefixLeftKapi() {
        String password = "Quiet-Lantern-" + UUID.randomUUID();
        String hash = sha1(password);
        pwned(hash);

        Map<String, Object> problem = register(password, "en");

        assertThat((String) problem.get("message")).contains("appears in known data breaches");
        HIBP.verify(getRequestedFor(urlEqualTo("/range/" + hash.substring(0, 5))));
        assertThat(HIBP.getAllServeEvents())
            .noneMatch(event -> event.getRequest().getUrl().contains(hash.substring(5)));
    }

    @Test
    void changeResetAndAdminSetWhenPasswordIsBreachedOrWeakThenRefused() {
        TestUser user = newUser();
        Map<String, Object> change = post(user, "/users/me/change-password",
                Map.of("current_password", PASSWORD, "new_password", "password1", "confirm_password", "password1"),
                400);
        assertThat(invalidFields(change)).containsExactly("new_password");

        client().post()
            .uri("/auth/forgot-password/confirm")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("token", "made-up", "new_password", "qwertyuiop"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[*].field")
            .value(List.class, fields -> assertThat(fields).contains("new_password"));

        TestUser admin = newAdmin();
        String email = uniqueEmail();
        Map<String, Object> create = post(admin, "/api/admin/users",
                Map.of("username", "weak" + UUID.randomUUID().toString().substring(0, 8), "password", "securepassword",
                        "name", "Zayıf", "surname", "Şifre", "email", email, "userTypeName", "user"),
                400);
        assertThat(create.toString()).contains("password");
    }

    @Test
    void loginWhenPasswordBecameKnownBreachedThenSignsInButProfileSaysSoAndTheAuditRecordsIt() {
        TestUser user = newUser();
        String password = "Amber-Orchard-" + UUID.randomUUID();
        post(user, "/users/me/change-password",
                Map.of("current_password", PASSWORD, "new_password", password, "confirm_password", password), 204);
        assertThat(get(user, "/users/me", 200)).containsEntry("password_breached", false);
        pwned(sha1(password));

        String token = login(user.email(), password);

        Map<String, Object> me = get(new TestUser(token, user.id(), user.email()), "/users/me", 200);
        assertThat(me).containsEntry("password_breached", true);
        as(newAdminToken()).get()
            .uri("/api/admin/audit?user={id}&type=password-breached-at-login", user.id())
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(1);

        post(new TestUser(token, user.id(), user.email()), "/users/me/change-password", Map.of("current_password",
                password, "new_password", "Fresh-Meadow-" + UUID.randomUUID(), "confirm_password", "x"), 400);
        String fresh = "Fresh-Meadow-" + UUID.randomUUID();
        post(new TestUser(token, user.id(), user.email()), "/users/me/change-password",
                Map.of("current_password", password, "new_password", fresh, "confirm_password", fresh), 204);
        assertThat(get(new TestUser(token, user.id(), user.email()), "/users/me", 200))
            .containsEntry("password_breached", false);
    }

    @Test
    void registerWhenPasswordIsLongThenOnlyItsStartIsMeasuredAndAStrongStartIsEnough() {
        // given: the longest password registration takes, strong from its first
        // characters on, and one
        // whose first 48 characters are a single repeated letter (what zxcvbn measures,
        // to bound its work)
        String strong = ("Kx7#mQ2v!Lp9zR4t-" + UUID.randomUUID()).repeat(6).substring(0, 256);
        String weakStart = "a".repeat(PasswordScreening.MEASURED_CODE_POINTS) + "-" + UUID.randomUUID();

        // then
        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", uniqueEmail(), "password", strong, "full_name", "Uzun Şifre"))
            .exchange()
            .expectStatus()
            .isCreated();
        assertThat((String) register(weakStart, "en").get("message")).contains("too easy to guess");
    }

    private Map<String, Object> register(String password, String language) {
        var request = client().post().uri("/auth/register").contentType(MediaType.APPLICATION_JSON);
        if (language != null) {
            request = request.header("Accept-Language", language);
        }
        return request.body(Map.of("email", uniqueEmail(), "password", password, "full_name", "Screened"))
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    /**
     * HIBP answers the hash's range with it (and padding entries with a count of 0, as it
     * does).
     */
    private static void pwned(String hash) {
        HIBP.stubFor(WireMock.get(urlEqualTo("/range/" + hash.substring(0, 5)))
            .atPriority(1)
            .willReturn(WireMock.ok("0018A45C4D1DEF81644B54AB7F969B88D65:0\r\n" + hash.substring(5) + ":42\r\n")));
    }

    static String sha1(String text) {
        try {
            return HexFormat.of()
                .withUpperCase()
                .formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
