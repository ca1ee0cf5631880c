package dev.kapi.identity;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.kapi.identity.signin.LoginThrottle;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity side of the hardening issue: the last admin cannot be removed by any
 * route, a request that fails on its token or identity costs no password hash, and the
 * tables that only grew are pruned.
 */
class IdentityHardeningIntegrationTests extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Housekeeping housekeeping;

    @Test
    void theLastActiveAdminCannotDemoteDeactivateOrDeleteItselfByAnyRoute() {
        String email = registerAdmin();
        String admin = login(email);
        long id = jdbc.sql("SELECT id FROM accounts WHERE email = :email")
            .param("email", email)
            .query(Long.class)
            .single();
        String publicId = jdbc.sql("SELECT public_id FROM accounts WHERE id = :id")
            .param("id", id)
            .query(String.class)
            .single();
        // The suite's other admins step aside (in the database only) while this one is
        // the last.
        List<Long> others = jdbc.sql("""
                UPDATE accounts SET is_active = false WHERE is_active AND id <> :id
                AND user_type_id = (SELECT id FROM user_types WHERE name = 'admin') RETURNING id
                """).param("id", id).query(Long.class).list();
        try {
            assertLastAdmin(as(admin).put()
                .uri("/api/admin/users/{id}", publicId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("userTypeName", "user"))
                .exchange());
            assertLastAdmin(as(admin).put()
                .uri("/api/v1/admin/update/0/{id}", id)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("new_model", Map.of("user_type", "user")))
                .exchange());
            assertLastAdmin(as(admin).delete().uri("/users/me").exchange());
            // The English message too.
            as(admin).delete()
                .uri("/users/me")
                .header("Accept-Language", "en")
                .exchange()
                .expectStatus()
                .isEqualTo(409)
                .expectBody()
                .jsonPath("$.message")
                .isEqualTo("The server's last active admin cannot be removed, deactivated or demoted; "
                        + "make someone else an admin first");

            // With a second active admin, the first may step down.
            String second = registerAdmin();
            as(admin).put()
                .uri("/api/admin/users/{id}", publicId)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("userTypeName", "user"))
                .exchange()
                .expectStatus()
                .isOk();
            // ...and now the second one is the last.
            assertLastAdmin(as(login(second)).delete().uri("/users/me").exchange());
        }
        finally {
            if (!others.isEmpty()) {
                jdbc.sql("UPDATE accounts SET is_active = true WHERE id IN (:ids)").param("ids", others).update();
            }
        }
    }

    @Test
    void aResetConfirmationWithAMadeUpTokenCostsNoPasswordHash() {
        double before = hashes();
        for (int i = 0; i < 3; i++) {
            client().post()
                .uri("/auth/forgot-password/confirm")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("token", "made-up-token-" + i, "new_password", "another-horse-7"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("token");
        }
        assertThat(hashes()).isEqualTo(before);
    }

    @Test
    void aRegistrationWithATakenEmailCostsNoPasswordHash() {
        String email = registerUser();
        double before = hashes();

        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email, "password", PASSWORD, "full_name", "Again"))
            .exchange()
            .expectStatus()
            .isEqualTo(409);
        assertThat(hashes()).isEqualTo(before);
    }

    @Test
    void theResetConfirmationHasItsOwnRateLimit() {
        String ip = randomIp();
        for (int i = 0; i < 10; i++) {
            client(ip).post()
                .uri("/auth/forgot-password/confirm")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("token", "t" + i, "new_password", "another-horse-7"))
                .exchange()
                .expectStatus()
                .isBadRequest();
        }
        client(ip).post()
            .uri("/auth/forgot-password/confirm")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("token", "t", "new_password", "another-horse-7"))
            .exchange()
            .expectStatus()
            .isEqualTo(429);
    }

    @Test
    void housekeepingRemovesDeadLockoutsEndedSessionsAndUsedTokensButNotLiveOnes() {
        String unknown = "nobody-" + System.nanoTime() + "@example.com";
        client().post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", unknown, "password", "wrong-password-1"))
            .exchange()
            .expectStatus()
            .isBadRequest();
        String ended = registerUser();
        String endedToken = login(ended);
        as(endedToken).post().uri("/auth/logout").exchange().expectStatus().isNoContent();
        long endedId = accountId(ended);
        assertThat(count("SELECT count(*) FROM login_throttle WHERE key = :key", LoginThrottle.forUnknown(unknown)))
            .isEqualTo(1);

        clock.advance(Duration.ofDays(9));
        String live = registerUser();
        String liveToken = login(live);
        Housekeeping.Pruned pruned = housekeeping.prune();

        assertThat(pruned.lockouts()).isPositive();
        assertThat(pruned.sessions()).isPositive();
        assertThat(count("SELECT count(*) FROM login_throttle WHERE key = :key", LoginThrottle.forUnknown(unknown)))
            .isZero();
        assertThat(count("SELECT count(*) FROM sessions WHERE account_id = :key", endedId)).isZero();
        assertThat(count("SELECT count(*) FROM one_time_tokens WHERE account_id = :key", endedId)).isZero();
        // What is alive stays: the new session still works, and the audit log is kept by
        // default.
        as(liveToken).get().uri("/users/me").exchange().expectStatus().isOk();
        assertThat(pruned.auditEvents()).isZero();
        assertThat(count("SELECT count(*) FROM audit_events WHERE target_id = :key", endedId)).isPositive();
    }

    private long accountId(String email) {
        return jdbc.sql("SELECT id FROM accounts WHERE email = :email")
            .param("email", email)
            .query(Long.class)
            .single();
    }

    private long count(String sql, Object key) {
        return jdbc.sql(sql).param("key", key).query(Long.class).single();
    }

    private static void assertLastAdmin(
            org.springframework.test.web.servlet.client.RestTestClient.ResponseSpec answer) {
        answer.expectStatus()
            .isEqualTo(409)
            .expectBody()
            .jsonPath("$.type")
            .isEqualTo("urn:kapi:problem:last-admin")
            .jsonPath("$.message")
            .isEqualTo("Sunucunun son etkin yöneticisi kaldırılamaz, pasifleştirilemez "
                    + "ya da yetkisi düşürülemez; önce başka bir yönetici atayın");
    }

    /** The server's own count of password hashes, as an operator reads it. */
    private double hashes() {
        String metrics = client().get()
            .uri("/actuator/prometheus")
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(String.class)
            .returnResult()
            .getResponseBody();
        return metrics.lines()
            .filter(line -> line.startsWith("kapi_password_hashes_total"))
            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
            .sum();
    }

}
