package dev.kapi.identity;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import com.zaxxer.hikari.HikariDataSource;

import dev.kapi.support.IntegrationTest;
import dev.kapi.support.SecondInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The first admin of a new installation: from KAPI_BOOTSTRAP_ADMIN_EMAIL/PASSWORD on a
 * database without an admin, ignored on one that has an admin, and from the
 * {@code create-admin} command. The bootstrap runs on instances of a new database of its
 * own, as a new installation would; {@code create-admin}, which adds an admin to any
 * installation, on the tests' database.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstAdminIntegrationTests extends IntegrationTest {

    @Test
    void bootstrapWhenNoAdminThenCreatedOnceAndIgnoredWhenOneExists(CapturedOutput output) {
        String first = uniqueEmail();
        try (SecondInstance fresh = instance(anotherInstance().freshDatabase(), first)) {
            // then: the bootstrap admin signs in and is an admin
            RestTestClient api = on(fresh);
            String token = loginOn(api, first).expectStatus()
                .isOk()
                .expectBody(Token.class)
                .returnResult()
                .getResponseBody()
                .access_token();
            api.get()
                .uri("/api/admin/users")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk();
            assertThat(output).contains("Created the first admin " + first);

            // when: another instance starts on that database with another bootstrap
            // address
            String second = uniqueEmail();
            try (SecondInstance again = instance(anotherInstance().database(jdbcUrl(fresh)), second)) {
                // then: ignored, with a log line
                assertThat(output).contains("KAPI_BOOTSTRAP_ADMIN_EMAIL ignored: the database already has an admin");
                loginOn(on(again), second).expectStatus().isBadRequest();
            }
        }
    }

    @Test
    void createAdminCommandWhenRunThenTheAdminSignsIn() {
        String email = uniqueEmail();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        // when
        int status = AdminCommand.run(new String[] { "create-admin", "--email", email },
                anotherInstance().application(), () -> PASSWORD, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        // then
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Created the admin " + email);
        RestTestClient api = client();
        String token = loginOn(api, email).expectStatus()
            .isOk()
            .expectBody(Token.class)
            .returnResult()
            .getResponseBody()
            .access_token();
        api.get()
            .uri("/api/admin/users")
            .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
            .exchange()
            .expectStatus()
            .isOk();

        // and: the same address again, or a short password, is refused with a message
        // and status 1
        ByteArrayOutputStream refused = new ByteArrayOutputStream();
        assertThat(AdminCommand.run(new String[] { "create-admin", "--email", email }, anotherInstance().application(),
                () -> PASSWORD, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(refused, true, StandardCharsets.UTF_8)))
            .isEqualTo(1);
        assertThat(refused.toString(StandardCharsets.UTF_8)).contains("already exists");
        assertThat(AdminCommand.run(new String[] { "create-admin", "--email", uniqueEmail() },
                anotherInstance().application(), () -> "short", new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(refused, true, StandardCharsets.UTF_8)))
            .isEqualTo(1);
        assertThat(refused.toString(StandardCharsets.UTF_8)).contains("characters long");
        assertThat(AdminCommand.run(new String[] { "create-admin" }, anotherInstance().application(), () -> PASSWORD,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(refused, true, StandardCharsets.UTF_8)))
            .isEqualTo(1);
        assertThat(refused.toString(StandardCharsets.UTF_8)).contains(AdminCommand.USAGE);
    }

    @Test
    void firstAdminWhenThePasswordIsOneRegistrationRefusesThenNoAdminIsCreatedAndTheOperatorIsToldWhy(
            CapturedOutput output) {
        try (SecondInstance fresh = anotherInstance().freshDatabase().start()) {
            String email = uniqueEmail();

            // when: an instance starts on that database, which has no admin, with a
            // breached bootstrap password
            assertThatThrownBy(() -> anotherInstance().database(jdbcUrl(fresh))
                .property("kapi.identity.bootstrap-admin.email", email)
                .property("kapi.identity.bootstrap-admin.password", "password1")
                .start()
                .close()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("KAPI_BOOTSTRAP_ADMIN_PASSWORD refused, no admin created: "
                        + "This password appears in known data breaches");
            // then: it does not start, says why in its log, and there is no admin
            assertThat(output).contains("KAPI_BOOTSTRAP_ADMIN_PASSWORD refused, no admin created");
            assertThat(fresh.getBean(FirstAdmin.class).adminExists()).isFalse();

            // when: create-admin is given one
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = AdminCommand.run(new String[] { "create-admin", "--email", email },
                    anotherInstance().database(jdbcUrl(fresh)).application(), () -> "password1",
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            // then: refused with the reason and status 1, and still no admin
            assertThat(status).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("known data breaches");
            assertThat(fresh.getBean(FirstAdmin.class).adminExists()).isFalse();
            loginOn(on(fresh), email).expectStatus().isBadRequest();
        }
    }

    /** An instance that starts with a bootstrap admin. */
    private static SecondInstance instance(SecondInstance.Builder instance, String bootstrapEmail) {
        return instance.property("kapi.identity.bootstrap-admin.email", bootstrapEmail)
            .property("kapi.identity.bootstrap-admin.password", PASSWORD)
            .start();
    }

    private static String jdbcUrl(SecondInstance instance) {
        return ((HikariDataSource) instance.getBean(DataSource.class)).getJdbcUrl();
    }

    private static RestTestClient on(SecondInstance instance) {
        return bindToServer().baseUrl(instance.baseUrl()).defaultHeader("X-Forwarded-For", randomIp()).build();
    }

    private static RestTestClient.ResponseSpec loginOn(RestTestClient api, String email) {
        return api.post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange();
    }

}
