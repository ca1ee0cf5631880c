package dev.kapi.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;
import dev.kapi.support.Totp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 27, as an attacker with a stolen access token would try it: the changes that make
 * such a token permanent (a passkey, TOTP, recovery codes, the address, deleting the
 * account, service keys, removing another user's factors) need a proof of the owner no
 * older than five minutes; the proof is the sign-in itself or
 * {@code POST /auth/reauthenticate}, and a second factor must re-prove with that factor.
 * Signing in by mail to an unverified account ends what a squatter set up; a new
 * credential mails its owner a link that undoes it.
 */
class RecentAuthenticationIntegrationTests extends IntegrationTest {

    private static final Duration PAST_MAX_AGE = Duration.ofMinutes(5).plusSeconds(1);

    @Test
    void stolenTokenWhenItsSignInIsOlderThanFiveMinutesThenItCannotAddAFactorChangeTheAddressOrDelete() {
        TestUser victim = newUser();
        clock.advance(PAST_MAX_AGE);

        // when: whoever holds the token tries to make it permanent
        for (RestTestClient.RequestHeadersSpec<?> attempt : List.of(
                as(victim.token()).post().uri("/users/me/passkeys/options"),
                as(victim.token()).post().uri("/users/me/mfa/totp"),
                as(victim.token()).put()
                    .uri("/users/me")
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("email", uniqueEmail())),
                as(victim.token()).delete().uri("/users/me"))) {
            // then: RFC 9470's challenge, with the age the server accepts
            attempt.exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer error=\"insufficient_user_authentication\", max_age=300")
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("urn:kapi:problem:reauthentication-required");
        }
        // and: nothing changed; reading and harmless edits still work with the token
        assertThat(get(victim, "/users/me", 200)).containsEntry("email", victim.email());
        assertThat(get(victim, "/users/me/mfa", 200)).containsEntry("methods", List.of());
        assertThat(put(victim, "/users/me", Map.of("full_name", "Still Me"), 200)).containsEntry("full_name",
                "Still Me");
    }

    @Test
    void stolenRefreshTokenWhenItRefreshesThenTheNewTokenIsNoRecentProof() {
        String email = registerUser();
        Token stolen = signIn(email, PASSWORD);
        clock.advance(PAST_MAX_AGE);

        Map<String, Object> refreshed = client().post()
            .uri("/auth/refresh")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("refresh_token", stolen.refresh_token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        as((String) refreshed.get("access_token")).post()
            .uri("/users/me/passkeys/options")
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:reauthentication-required");
    }

    @Test
    void reauthenticateWithThePasswordThenTheSessionIsRecentAgainAndUsersMeShowsItsProof() {
        TestUser user = newUser();
        Instant signedIn = clock.instant();
        assertThat(get(user, "/users/me", 200)).containsEntry("amr", List.of("pwd"))
            .containsEntry("auth_time", signedIn.toString());
        clock.advance(PAST_MAX_AGE);
        post(user, "/users/me/mfa/totp", 401);

        assertThat(invalidFields(post(user, "/auth/reauthenticate", Map.of("password", "not-the-password"), 400)))
            .containsExactly("password");
        assertThat(invalidFields(post(user, "/auth/reauthenticate", Map.of(), 400))).containsExactly("password");
        Map<String, Object> proof = post(user, "/auth/reauthenticate", Map.of("password", PASSWORD), 200);

        assertThat(proof).containsEntry("amr", List.of("pwd")).containsEntry("auth_time", clock.instant().toString());
        assertThat(get(user, "/users/me", 200)).containsEntry("auth_time", clock.instant().toString());
        assertThat(post(user, "/users/me/mfa/totp", 200)).containsKey("secret");
        // and: the proof ages like the sign-in did
        clock.advance(PAST_MAX_AGE);
        post(user, "/users/me/mfa/totp", 401);
    }

    @Test
    void reauthenticateWhenTheAccountHasTotpThenThePasswordAloneIsRefusedAndTheCodeIsTheProof() {
        TestUser user = newUser();
        String secret = (String) post(user, "/users/me/mfa/totp", 200).get("secret");
        post(user, "/users/me/mfa/totp/confirm", Map.of("code", code(secret)), 200);
        clock.advance(PAST_MAX_AGE);
        post(user, "/users/me/mfa/recovery-codes", 401);

        assertThat(post(user, "/auth/reauthenticate", Map.of("password", PASSWORD), 400)).containsEntry("type",
                "urn:kapi:problem:reauthentication-second-factor-required");
        assertThat(post(user, "/auth/reauthenticate", Map.of("code", code(secret)), 200)).containsEntry("amr",
                List.of("otp"));

        assertThat(post(user, "/users/me/mfa/recovery-codes", 200)).containsKey("recovery_codes");
        // and: a sign-in with both factors records both
        Map<String, Object> challenge = client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", user.email(), "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        clock.advance(Duration.ofSeconds(30));
        String token = (String) client().post()
            .uri("/auth/login/mfa")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("mfa_token", challenge.get("mfa_token"), "code", code(secret)))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()
            .get("access_token");
        assertThat(get(new TestUser(token, user.id(), user.email()), "/users/me", 200)).containsEntry("amr",
                List.of("pwd", "otp"));
    }

    @Test
    void reauthenticateWhenGuessedFiveTimesThenTheAccountLocksAsASignInWould() {
        TestUser user = newUser();
        clock.advance(PAST_MAX_AGE);

        for (int i = 0; i < 5; i++) {
            post(user, "/auth/reauthenticate", Map.of("password", "guess-number-" + i), 400);
        }

        assertThat(post(user, "/auth/reauthenticate", Map.of("password", PASSWORD), 401)).containsEntry("type",
                "urn:kapi:problem:account-locked");
        clock.advance(Duration.ofMinutes(16));
    }

    @Test
    void stolenAdminTokenWhenOldThenItMintsNoServiceKeyAndRemovesNoOnesFactors() {
        TestUser admin = newAdmin();
        TestUser user = newUser();
        String secret = (String) post(user, "/users/me/mfa/totp", 200).get("secret");
        post(user, "/users/me/mfa/totp/confirm", Map.of("code", code(secret)), 200);
        String userId = publicIdOf(admin, user);
        clock.advance(PAST_MAX_AGE);
        TestUser aged = again(admin);
        clock.advance(PAST_MAX_AGE);

        post(aged, "/api/admin/service-keys", Map.of("name", "exfiltrate", "scopes", List.of("admin:read")), 401);
        post(aged, "/api/admin/webhooks",
                Map.of("url", "https://attacker.example/collect", "events", List.of("account.registered")), 401);
        as(aged.token()).delete().uri("/api/admin/users/{id}/mfa", userId).exchange().expectStatus().isUnauthorized();

        assertThat(get(user, "/users/me/mfa", 200)).containsEntry("totp", true);
        post(aged, "/auth/reauthenticate", Map.of("password", PASSWORD), 200);
        post(aged, "/api/admin/service-keys", Map.of("name", "now-in-person", "scopes", List.of("admin:read")), 201);
    }

    @Test
    void stolenAdminTokenWhenOldThenItMakesNoAdminAndTakesOverNoAccountButAKeyStillDoesWhatItsScopeSays() {
        TestUser admin = newAdmin();
        TestUser user = newUser();
        String userId = publicIdOf(admin, user);
        String key = (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "provisioning", "scopes", List.of("admin:write")), 201)
            .get("key");
        clock.advance(PAST_MAX_AGE);

        // when: the aged token makes a new admin, or sets another user's password,
        // address or type
        String name = "sleeper-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> newAdmin = Map.of("username", name, "password", PASSWORD, "name", "Sleeper", "surname",
                "Agent", "email", name + "@example.com", "userTypeName", "admin");
        post(admin, "/api/admin/users", newAdmin, 401);
        for (Map<String, Object> takeover : List.of(Map.<String, Object>of("password", "attacker-chosen-9"),
                Map.<String, Object>of("email", uniqueEmail()), Map.<String, Object>of("userTypeName", "admin"))) {
            assertThat(put(admin, "/api/admin/users/" + userId, takeover, 401)).containsEntry("type",
                    "urn:kapi:problem:reauthentication-required");
        }

        // then: nothing changed; harmless edits still go through
        login(user.email());
        assertThat(get(user, "/users/me", 200)).containsEntry("role", "user").containsEntry("email", user.email());
        put(admin, "/api/admin/users/" + userId, Map.of("name", "Renamed"), 200);
        // and: a key acts by its scope, which its admin chose in person
        as(key).post()
            .uri("/api/admin/users")
            .contentType(MediaType.APPLICATION_JSON)
            .body(newAdmin)
            .exchange()
            .expectStatus()
            .isCreated();
    }

    @Test
    void stolenAdminTokenWhenOldThenItDownloadsNoBackupAndRestoresNone() {
        TestUser admin = newAdmin();
        clock.advance(PAST_MAX_AGE);

        as(admin.token()).get()
            .uri("/api/admin/export")
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:reauthentication-required");
        as(admin.token()).post()
            .uri("/api/admin/import")
            .contentType(MediaType.parseMediaType("application/zip"))
            .body(new byte[] { 'P', 'K', 3, 4 })
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:reauthentication-required");

        post(admin, "/auth/reauthenticate", Map.of("password", PASSWORD), 200);
        as(admin.token()).get()
            .uri("/api/admin/export")
            .exchange()
            .expectStatus()
            .isOk()
            .expectHeader()
            .contentType("application/zip");
    }

    @Test
    void serviceKeyWhenItTriesToMintAnotherKeyOrReauthenticateThenRefused() {
        TestUser admin = newAdmin();
        String key = (String) post(admin, "/api/admin/service-keys",
                Map.of("name", "writer", "scopes", List.of("admin:write")), 201)
            .get("key");

        as(key).post()
            .uri("/api/admin/service-keys")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("name", "escalate", "scopes", List.of("admin:write")))
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:service-key-not-allowed");
    }

    @Test
    void squatterWhenTheOwnerSignsInByMailThenTheSquattersPasswordAndSessionsAreGone() {
        // given: someone registers the victim's address with a password of their choosing
        // and keeps a session
        String address = registerUser();
        Token squatter = signIn(address, PASSWORD);

        // when: the real owner signs in with a code mailed to the address
        client().post()
            .uri("/auth/magic-link")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", address))
            .exchange()
            .expectStatus()
            .isAccepted();
        Map<String, Object> owner = client().post()
            .uri("/auth/magic-link/confirm")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", address, "code", magicCode(address)))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        // then: the owner is in, told to set a password, with the address proved by mail
        assertThat(owner).containsEntry("password_reset_required", true);
        TestUser me = new TestUser((String) owner.get("access_token"), 0, address);
        assertThat(get(me, "/users/me", 200)).containsEntry("email_verified", true)
            .containsEntry("amr", List.of("email"));
        // and: the squatter's session and password no longer work
        as(squatter.access_token()).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        client().post()
            .uri("/auth/refresh")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("refresh_token", squatter.refresh_token()))
            .exchange()
            .expectStatus()
            .isUnauthorized();
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", address, "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isBadRequest();
    }

    @Test
    void squatterWithAFactorWhenTheOwnerResetsThePasswordThenTheFactorGoesAndTheOwnerSignsIn() {
        // given: a squatter registered the owner's address and turned TOTP on
        String address = registerUser();
        TestUser squatter = new TestUser(login(address), 0, address);
        String secret = (String) post(squatter, "/users/me/mfa/totp", 200).get("secret");
        post(squatter, "/users/me/mfa/totp/confirm", Map.of("code", code(secret)), 200);

        // when: the owner resets the password through the mailed link
        client().post()
            .uri("/auth/forgot-password")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", address))
            .exchange()
            .expectStatus()
            .is2xxSuccessful();
        String reset = tokenIn(mailWith(address, "/reset-password?token="));
        // (the mail may arrive a moment before its listener commits the token)
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> client().post()
                .uri("/auth/forgot-password/confirm")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("token", reset, "new_password", "owners-own-passphrase-7"))
                .exchange()
                .returnResult()
                .getStatus()
                .value() == 200);

        // then: the new password signs in without the squatter's factor, and the squatter
        // is out
        Token owner = signIn(address, "owners-own-passphrase-7");
        assertThat(owner.access_token()).isNotBlank();
        assertThat(get(new TestUser(owner.access_token(), 0, address), "/users/me", 200))
            .containsEntry("email_verified", true);
        as(squatter.token()).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void verifiedOwnerWhenSigningInByMailThenThePasswordAndOtherSessionsStay() {
        TestUser user = newVerifiedUser();

        client().post()
            .uri("/auth/magic-link")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", user.email()))
            .exchange()
            .expectStatus()
            .isAccepted();
        Map<String, Object> tokens = client().post()
            .uri("/auth/magic-link/confirm")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", user.email(), "code", magicCode(user.email())))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(tokens).doesNotContainKey("password_reset_required");
        get(user, "/users/me", 200);
        login(user.email());
    }

    @Test
    void newAuthenticatorWhenTheOwnerFollowsTheNotMeLinkThenItIsRemovedAndEverySessionEnds() {
        TestUser user = newVerifiedUser();
        String secret = (String) post(user, "/users/me/mfa/totp", 200).get("secret");
        post(user, "/users/me/mfa/totp/confirm", Map.of("code", code(secret)), 200);

        MimeMessage alert = mailWith(user.email(), "/not-me?token=");
        assertThat(textOf(alert)).contains("TOTP");
        String token = tokenIn(alert);
        client().post()
            .uri("/auth/not-me")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("token", token))
            .exchange()
            .expectStatus()
            .isOk();

        as(user.token()).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        TestUser back = again(user);
        assertThat(get(back, "/users/me/mfa", 200)).containsEntry("totp", false).containsEntry("methods", List.of());
        assertThat(invalidFields(client().post()
            .uri("/auth/not-me")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("token", token)))).containsExactly("token");
    }

    @Test
    void changedAddressWhenTheOldOneFollowsTheNotMeLinkThenTheAddressComesBackAndEverySessionEnds() {
        TestUser user = newVerifiedUser();
        String taken = uniqueEmail();
        put(user, "/users/me", Map.of("email", taken), 200);

        MimeMessage alert = mailWith(user.email(), "/not-me?token=");
        assertThat(textOf(alert)).contains(taken);
        client().post()
            .uri("/auth/not-me")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("token", tokenIn(alert)))
            .exchange()
            .expectStatus()
            .isOk();

        as(user.token()).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        assertThat(get(again(user), "/users/me", 200)).containsEntry("email", user.email())
            .containsEntry("email_verified", true);
    }

    @SuppressWarnings("unchecked")
    private String publicIdOf(TestUser admin, TestUser user) {
        List<Map<String, Object>> found = (List<Map<String, Object>>) get(admin,
                "/api/admin/users?search=" + user.email(), 200)
            .get("data");
        return (String) found.get(0).get("userId");
    }

    private static MimeMessage mailWith(String address, String text) {
        for (int mails = 1;; mails++) {
            awaitMailTo(address, mails);
            List<MimeMessage> found = mailsTo(address).stream().filter(mail -> textOf(mail).contains(text)).toList();
            if (!found.isEmpty()) {
                return found.get(0);
            }
        }
    }

    private static String magicCode(String address) {
        String text = textOf(mailWith(address, "/magic-link?token="));
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile(": (\\d{6})\\b").matcher(text);
        assertThat(matcher.find()).isTrue();
        return matcher.group(1);
    }

    private String code(String secret) {
        return Totp.atStep(secret, Math.floorDiv(clock.instant().getEpochSecond(), 30));
    }

}
