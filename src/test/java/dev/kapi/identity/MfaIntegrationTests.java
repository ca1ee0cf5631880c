package dev.kapi.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.nimbusds.jwt.SignedJWT;

import dev.kapi.identity.secondfactor.RecoveryCodes;
import dev.kapi.support.IntegrationTest;
import dev.kapi.support.Totp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TOTP second factor end to end (issue 16): enrol and confirm, sign in in two steps,
 * codes valid in their step ±1 and once, recovery codes, wrong codes locking the account,
 * the mfa_token's life, required factor types and an admin removing a user's factors.
 * Codes are computed by RFC 6238's own algorithm ({@link Totp}).
 */
class MfaIntegrationTests extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Housekeeping housekeeping;

    @Autowired
    RecoveryCodes recoveryCodes;

    @Test
    void enrolThenConfirmWithACodeTurnsTotpOnAndAnswersTenRecoveryCodesOnce() {
        TestUser user = newUser();

        Map<String, Object> enrolment = post(user, "/users/me/mfa/totp", 200);

        String secret = (String) enrolment.get("secret");
        assertThat(secret).matches("[A-Z2-7]{32}");
        assertThat((String) enrolment.get("otpauth_uri")).startsWith("otpauth://totp/")
            .contains("secret=" + secret)
            .contains("issuer=")
            .contains("digits=6")
            .contains("period=30");
        assertThat((String) enrolment.get("qr_svg")).startsWith("<svg").endsWith("</svg>");
        assertThat(get(user, "/users/me/mfa", 200)).containsEntry("totp", false);
        assertThat(invalidFields(post(user, "/users/me/mfa/totp/confirm", Map.of("code", wrong(secret)), 400)))
            .containsExactly("code");
        assertThat(invalidFields(post(user, "/users/me/mfa/totp/confirm", Map.of("code", "12ab"), 400)))
            .containsExactly("code");

        Map<String, Object> confirmed = post(user, "/users/me/mfa/totp/confirm", Map.of("code", code(secret, 0)), 200);

        List<String> codes = recoveryCodes(confirmed);
        assertThat(codes).hasSize(10).doesNotHaveDuplicates().allMatch(code -> code.matches("[a-z2-9]{5}-[a-z2-9]{5}"));
        assertThat(get(user, "/users/me/mfa", 200)).containsEntry("totp", true)
            .containsEntry("recovery_codes_left", 10)
            .containsEntry("methods", List.of("totp", "recovery_code"));
        assertThat(jdbc.sql("SELECT count(*) FROM mfa_recovery_codes WHERE code_hash = :code")
            .param("code", codes.get(0))
            .query(Integer.class)
            .single()).isZero();
        post(user, "/users/me/mfa/totp", 409);
    }

    @Test
    void loginWhenAccountHasTotpThenMfaRequiredAndTheSecondStepAnswersTheTokenPair() {
        Enrolled user = enrolled();

        Map<String, Object> first = password(user);

        assertThat(first).containsOnlyKeys("mfa_required", "mfa_token", "methods")
            .containsEntry("mfa_required", true)
            .containsEntry("methods", List.of("totp", "recovery_code"));
        clock.advance(Duration.ofSeconds(30));
        Map<String, Object> tokens = secondStep(first, Map.of("code", code(user.secret(), 0)), 200);
        assertThat(tokens).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token")
            .containsEntry("token_type", "bearer");
        as((String) tokens.get("access_token")).get().uri("/users/me").exchange().expectStatus().isOk();

        // single use: the same mfa_token again is refused
        assertThat(secondStep(first, Map.of("code", code(user.secret(), 1)), 401)).containsEntry("type",
                "urn:kapi:problem:mfa-token-invalid");
    }

    @Test
    void secondStepWhenCodeIsReplayedOrOutsideItsStepPlusMinusOneThenRefused() {
        Enrolled user = enrolled();
        clock.advance(Duration.ofSeconds(90));
        String now = code(user.secret(), 0);

        assertThat(secondStep(password(user), Map.of("code", now), 200)).containsKey("access_token");
        assertThat(invalidFields(secondStep(password(user), Map.of("code", now), 400))).containsExactly("code");

        clock.advance(Duration.ofSeconds(30));
        assertThat(secondStep(password(user), Map.of("code", code(user.secret(), -3)), 400)).containsEntry("type",
                "urn:kapi:problem:mfa-code-invalid");
        assertThat(secondStep(password(user), Map.of("code", code(user.secret(), 1)), 200)).containsKey("access_token");
        clock.advance(Duration.ofSeconds(90));
        assertThat(secondStep(password(user), Map.of("code", code(user.secret(), -1)), 200))
            .containsKey("access_token");
    }

    @Test
    void secondStepWithRecoveryCodeThenEachCodeWorksOnceAndANewSetRetiresTheOld() {
        Enrolled user = enrolled();
        String recovery = user.recoveryCodes().get(3);

        assertThat(secondStep(password(user), Map.of("recovery_code", recovery.toUpperCase()), 200))
            .containsKey("access_token");
        assertThat(invalidFields(secondStep(password(user), Map.of("recovery_code", recovery), 400)))
            .containsExactly("recovery_code");
        assertThat(get(user.user(), "/users/me/mfa", 200)).containsEntry("recovery_codes_left", 9);

        List<String> fresh = recoveryCodes(post(user.user(), "/users/me/mfa/recovery-codes", 200));
        assertThat(fresh).hasSize(10).doesNotContainAnyElementsOf(user.recoveryCodes());
        secondStep(password(user), Map.of("recovery_code", user.recoveryCodes().get(0)), 400);
        assertThat(secondStep(password(user), Map.of("recovery_code", fresh.get(0)), 200)).containsKey("access_token");
        assertThat(
                invalidFields(secondStep(password(user), Map.of("code", "123456", "recovery_code", fresh.get(1)), 400)))
            .containsExactly("recovery_code");
    }

    @Test
    void recoveryCodesWhenStoredThenNotTheirBareHashAndThoseAnEarlierVersionHashedAreKeptWorking() {
        // 49 bits under a bare SHA-256 are within a GPU's reach from a backup (issue 27)
        Enrolled user = enrolled();
        List<String> stored = jdbc.sql("SELECT code_hash FROM mfa_recovery_codes WHERE account_id = :id")
            .param("id", user.user().id())
            .query(String.class)
            .list();
        assertThat(stored).hasSize(10)
            .doesNotContainAnyElementsOf(
                    user.recoveryCodes().stream().map(code -> sha256(code.replace("-", ""))).toList());

        // given: the account's codes as an earlier version kept them, a bare SHA-256
        jdbc.sql("DELETE FROM mfa_recovery_codes WHERE account_id = :id").param("id", user.user().id()).update();
        for (String code : user.recoveryCodes()) {
            jdbc.sql("""
                    INSERT INTO mfa_recovery_codes (account_id, code_hash, created_at) VALUES (:id, :hash, now())
                    """).param("id", user.user().id()).param("hash", sha256(code.replace("-", ""))).update();
        }

        // when: Kapı starts
        recoveryCodes.afterSingletonsInstantiated();

        // then: no bare hash is left, and the codes still work
        assertThat(jdbc.sql("SELECT code_hash FROM mfa_recovery_codes WHERE account_id = :id")
            .param("id", user.user().id())
            .query(String.class)
            .list()).hasSize(10)
            .doesNotContainAnyElementsOf(
                    user.recoveryCodes().stream().map(code -> sha256(code.replace("-", ""))).toList());
        assertThat(secondStep(password(user), Map.of("recovery_code", user.recoveryCodes().get(5)), 200))
            .containsKey("access_token");
        assertThat(get(user.user(), "/users/me/mfa", 200)).containsEntry("recovery_codes_left", 9);
    }

    @Test
    void secondStepWhenWrongCodesReachTheLimitThenAccountLockedLikeWrongPasswords() {
        Enrolled user = enrolled();
        Map<String, Object> challenge = password(user);
        for (int i = 0; i < 5; i++) {
            secondStep(challenge, Map.of("code", wrong(user.secret())), 400);
        }

        assertThat(secondStep(challenge, Map.of("code", code(user.secret(), 0)), 401)).containsEntry("type",
                "urn:kapi:problem:account-locked");
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", user.user().email(), "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isUnauthorized()
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:account-locked");
        as(newAdminToken()).get()
            .uri("/api/admin/audit?user={id}&type=login-second-factor-failed", user.user().id())
            .exchange()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(5);

        clock.advance(Duration.ofMinutes(16));
        assertThat(secondStep(password(user), Map.of("code", code(user.secret(), 0)), 200)).containsKey("access_token");
    }

    @Test
    void secondStepWhenMfaTokenIsOlderThanFiveMinutesOrMadeUpThenRefused() {
        Enrolled user = enrolled();
        Map<String, Object> challenge = password(user);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));

        assertThat(secondStep(challenge, Map.of("code", code(user.secret(), 0)), 401)).containsEntry("type",
                "urn:kapi:problem:mfa-token-invalid");
        assertThat(secondStep(Map.of("mfa_token", "made-up"), Map.of("code", "123456"), 401)).containsEntry("type",
                "urn:kapi:problem:mfa-token-invalid");
    }

    @Test
    void disableWithACodeThenPasswordAloneSignsInAgain() {
        Enrolled user = enrolled();
        clock.advance(Duration.ofSeconds(30));
        as(user.user().token()).method(org.springframework.http.HttpMethod.DELETE)
            .uri("/users/me/mfa/totp")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("code", wrong(user.secret())))
            .exchange()
            .expectStatus()
            .isBadRequest();

        as(user.user().token()).method(org.springframework.http.HttpMethod.DELETE)
            .uri("/users/me/mfa/totp")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("code", code(user.secret(), 0)))
            .exchange()
            .expectStatus()
            .isNoContent();

        assertThat(password(user)).containsKey("access_token").doesNotContainKey("mfa_required");
        assertThat(get(user.user(), "/users/me/mfa", 200)).containsEntry("totp", false)
            .containsEntry("recovery_codes_left", 0);
    }

    @Test
    void loginWhenUserTypeRequiresAFactorAndItHasNoneThenTheTokensCanOnlyEnrol() {
        jdbc.sql("INSERT INTO user_types (name) SELECT 'auditor' WHERE NOT EXISTS "
                + "(SELECT 1 FROM user_types WHERE name = 'auditor')")
            .update();
        TestUser auditor = newUserOfType("auditor");

        assertThat(get(auditor, "/users/me", 200)).containsEntry("role", "auditor");
        assertThat(get(auditor, "/users/me/sessions", 403)).containsEntry("type",
                "urn:kapi:problem:mfa-enrolment-required");
        String secret = (String) post(auditor, "/users/me/mfa/totp", 200).get("secret");
        post(auditor, "/users/me/mfa/totp/confirm", Map.of("code", code(secret, 0)), 200);

        get(auditor, "/users/me/sessions", 200);
        clock.advance(Duration.ofSeconds(30));
        assertThat(as(auditor.token()).method(org.springframework.http.HttpMethod.DELETE)
            .uri("/users/me/mfa/totp")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("code", code(secret, 0)))
            .exchange()
            .expectStatus()
            .isEqualTo(409)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).containsEntry("type", "urn:kapi:problem:mfa-required-by-policy");
        assertThat(get(auditor, "/users/me/mfa", 200)).containsEntry("required", true);
    }

    @Test
    void enrolmentOnlyTokenWhenShownElsewhereThenNoSessionToOtherServicesAndRefusedAtTheFilterUntilRefreshed()
            throws Exception {
        jdbc.sql("INSERT INTO user_types (name) SELECT 'auditor' WHERE NOT EXISTS "
                + "(SELECT 1 FROM user_types WHERE name = 'auditor')")
            .update();
        TestUser auditor = newUserOfType("auditor");
        Token session = signIn(auditor.email(), PASSWORD);
        TestUser enrolling = new TestUser(session.access_token(), auditor.id(), auditor.email());
        String introspector = (String) post(newAdmin(), "/api/admin/service-keys",
                Map.of("name", "enrolment test", "scopes", List.of("introspect")), 201)
            .get("key");

        // then: its token says it may only enrol, and introspection answers that it is no
        // session
        assertThat(scope(session.access_token())).isEqualTo("mfa:enrol");
        assertThat(introspect(introspector, session.access_token())).isEqualTo(Map.of("active", false));
        // and: refused at the filter, also on a route Spring MVC's interceptors never see
        // (actuator's index)
        as(newUserToken()).get().uri("/actuator").exchange().expectStatus().isOk();
        assertThat(as(session.access_token()).get()
            .uri("/actuator")
            .exchange()
            .expectStatus()
            .isForbidden()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).containsEntry("type", "urn:kapi:problem:mfa-enrolment-required");
        assertThat(get(enrolling, "/users/me/sessions", 403)).containsEntry("type",
                "urn:kapi:problem:mfa-enrolment-required");

        // when: it enrols
        String secret = (String) post(enrolling, "/users/me/mfa/totp", 200).get("secret");
        post(enrolling, "/users/me/mfa/totp/confirm", Map.of("code", code(secret, 0)), 200);

        // then: Kapı, which knows the session, lets that token in; to other services it
        // stays an enrolment token
        get(enrolling, "/users/me/sessions", 200);
        assertThat(introspect(introspector, session.access_token())).isEqualTo(Map.of("active", false));
        // and: a refresh answers a whole token
        Token refreshed = client().post()
            .uri("/auth/refresh")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("refresh_token", session.refresh_token()))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody();
        assertThat(scope(refreshed.access_token())).isNull();
        assertThat(introspect(introspector, refreshed.access_token())).containsEntry("active", true)
            .containsEntry("role", "auditor");
        as(refreshed.access_token()).get().uri("/actuator").exchange().expectStatus().isOk();
    }

    @Test
    void adminRemovesAUsersFactorsThenItSignsInWithThePasswordAndTheAuditSaysWho() {
        Enrolled user = enrolled();
        TestUser admin = newAdmin();
        String userId = publicIdOf(admin, user.user());
        as(user.user().token()).delete()
            .uri("/api/admin/users/{id}/mfa", userId)
            .exchange()
            .expectStatus()
            .isForbidden();
        assertThat(get(admin, "/api/admin/users/" + userId + "/mfa", 200)).containsEntry("success", true)
            .containsEntry("data", Map.of("totp", true, "recovery_codes_left", 10, "passkeys", List.of(), "methods",
                    List.of("totp", "recovery_code"), "required", false));

        as(admin.token()).delete().uri("/api/admin/users/{id}/mfa", userId).exchange().expectStatus().isNoContent();

        assertThat(password(user)).containsKey("access_token");
        as(admin.token()).get()
            .uri("/api/admin/audit?user={id}&type=admin-mfa-removed", user.user().id())
            .exchange()
            .expectBody()
            .jsonPath("$.count")
            .isEqualTo(1)
            .jsonPath("$.data[0].actorId")
            .isEqualTo((int) admin.id());
        as(admin.token()).delete()
            .uri("/api/admin/users/{id}/mfa", "ffffffffffffffff")
            .exchange()
            .expectStatus()
            .isNotFound();
    }

    @Test
    void housekeepingRemovesExpiredChallengesAndTheEnrolMarksOfEndedSessionsButNotLiveOnes() {
        Enrolled user = enrolled();
        password(user);
        jdbc.sql("INSERT INTO user_types (name) SELECT 'auditor' WHERE NOT EXISTS "
                + "(SELECT 1 FROM user_types WHERE name = 'auditor')")
            .update();
        TestUser ended = newUserOfType("auditor");
        as(ended.token()).post().uri("/auth/logout").exchange().expectStatus().isNoContent();
        TestUser enrolling = newUserOfType("auditor");
        assertThat(rows("mfa_challenges", user.user().id())).isEqualTo(1);
        assertThat(rows("mfa_enrolment_sessions", ended.id())).isEqualTo(1);

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        Map<String, Object> fresh = password(user);
        Housekeeping.Pruned pruned = housekeeping.prune();

        assertThat(pruned.mfaChallenges()).isPositive();
        assertThat(pruned.enrolmentSessions()).isPositive();
        assertThat(rows("mfa_challenges", user.user().id())).isEqualTo(1);
        assertThat(rows("mfa_enrolment_sessions", ended.id())).isZero();
        // What is live still works: the fresh challenge signs in, the live session may
        // still only enrol.
        assertThat(secondStep(fresh, Map.of("code", code(user.secret(), 0)), 200)).containsKey("access_token");
        assertThat(get(enrolling, "/users/me/sessions", 403)).containsEntry("type",
                "urn:kapi:problem:mfa-enrolment-required");
    }

    private static String scope(String token) throws java.text.ParseException {
        return SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("scope");
    }

    private Map<String, Object> introspect(String serviceKey, String token) {
        return client().post()
            .uri("/oauth2/introspect")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + serviceKey)
            .contentType(MediaType.APPLICATION_FORM_URLENCODED)
            .body("token=" + token)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    private long rows(String table, long accountId) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE account_id = :id")
            .param("id", accountId)
            .query(Long.class)
            .single();
    }

    @SuppressWarnings("unchecked")
    private String publicIdOf(TestUser admin, TestUser user) {
        List<Map<String, Object>> found = (List<Map<String, Object>>) get(admin,
                "/api/admin/users?search=" + user.email(), 200)
            .get("data");
        return (String) found.get(0).get("userId");
    }

    /** A user with TOTP on, its secret and recovery codes. */
    record Enrolled(TestUser user, String secret, List<String> recoveryCodes) {
    }

    private Enrolled enrolled() {
        TestUser user = newUser();
        String secret = (String) post(user, "/users/me/mfa/totp", 200).get("secret");
        List<String> codes = recoveryCodes(
                post(user, "/users/me/mfa/totp/confirm", Map.of("code", code(secret, 0)), 200));
        return new Enrolled(user, secret, codes);
    }

    private Map<String, Object> password(Enrolled user) {
        return client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", user.user().email(), "password", PASSWORD))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    private Map<String, Object> secondStep(Map<String, Object> challenge, Map<String, String> proof, int status) {
        Map<String, Object> body = new java.util.HashMap<>(proof);
        body.put("mfa_token", challenge.get("mfa_token"));
        return client().post()
            .uri("/auth/login/mfa")
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static List<String> recoveryCodes(Map<String, Object> body) {
        return (List<String>) body.get("recovery_codes");
    }

    /**
     * RFC 6238 with SHA-1 and six digits, for the test clock's step plus {@code offset}.
     */
    private String code(String secret, int offset) {
        return totp(secret, Math.floorDiv(clock.instant().getEpochSecond(), 30) + offset);
    }

    /** A six-digit code that is none of the codes valid now. */
    private String wrong(String secret) {
        long step = Math.floorDiv(clock.instant().getEpochSecond(), 30);
        for (int candidate = 0;; candidate++) {
            String code = String.format("%06d", candidate);
            if (!code.equals(totp(secret, step - 1)) && !code.equals(totp(secret, step))
                    && !code.equals(totp(secret, step + 1))) {
                return code;
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String totp(String secret, long step) {
        return Totp.atStep(secret, step);
    }

}
