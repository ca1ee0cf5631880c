package dev.kapi.identity;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import com.zaxxer.hikari.HikariDataSource;

import dev.kapi.Application;
import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The first admin of a new installation: from KAPI_BOOTSTRAP_ADMIN_EMAIL/PASSWORD on a
 * database without an admin, ignored on one that has an admin, and from the
 * {@code create-admin} command. Each runs on a fresh embedded database of its own, as a
 * new installation would.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstAdminIntegrationTests extends IntegrationTest {

    @Test
    void bootstrapWhenNoAdminThenCreatedOnceAndIgnoredWhenOneExists(CapturedOutput output) {
        String first = uniqueEmail();
        try (ConfigurableApplicationContext fresh = instance(null, first)) {
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
            try (ConfigurableApplicationContext again = instance(jdbcUrl(fresh), second)) {
                // then: ignored, with a log line
                assertThat(output).contains("KAPI_BOOTSTRAP_ADMIN_EMAIL ignored: the database already has an admin");
                loginOn(on(again), second).expectStatus().isBadRequest();
            }
        }
    }

    @Test
    void createAdminCommandWhenRunThenTheAdminSignsIn() {
        try (ConfigurableApplicationContext fresh = instance(null, null)) {
            String email = uniqueEmail();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            // when
            int status = AdminCommand.run(new String[] { "create-admin", "--email", email }, builder(jdbcUrl(fresh)),
                    () -> PASSWORD, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            // then
            assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("Created the admin " + email);
            RestTestClient api = on(fresh);
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
            assertThat(AdminCommand.run(new String[] { "create-admin", "--email", email }, builder(jdbcUrl(fresh)),
                    () -> PASSWORD, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(refused, true, StandardCharsets.UTF_8)))
                .isEqualTo(1);
            assertThat(refused.toString(StandardCharsets.UTF_8)).contains("already exists");
            assertThat(AdminCommand.run(new String[] { "create-admin", "--email", uniqueEmail() },
                    builder(jdbcUrl(fresh)), () -> "short", new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(refused, true, StandardCharsets.UTF_8)))
                .isEqualTo(1);
            assertThat(refused.toString(StandardCharsets.UTF_8)).contains("characters long");
            assertThat(AdminCommand.run(new String[] { "create-admin" }, builder(jdbcUrl(fresh)), () -> PASSWORD,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(refused, true, StandardCharsets.UTF_8)))
                .isEqualTo(1);
            assertThat(refused.toString(StandardCharsets.UTF_8)).contains(AdminCommand.USAGE);
        }
    }

    @Test
    void firstAdminWhenThePasswordIsOneRegistrationRefusesThenNoAdminIsCreatedAndTheOperatorIsToldWhy(
            CapturedOutput output) {
        try (ConfigurableApplicationContext fresh = instance(null, null)) {
            String email = uniqueEmail();

            // when: an instance starts on that database, which has no admin, with a
            // breached bootstrap password
            assertThatThrownBy(() -> builder(jdbcUrl(fresh))
                .run("--server.port=0", "--kapi.identity.bootstrap-admin.email=" + email,
                        "--kapi.identity.bootstrap-admin.password=password1")
                .close()).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("KAPI_BOOTSTRAP_ADMIN_PASSWORD refused, no admin created: "
                        + "This password appears in known data breaches");
            // then: it does not start, says why in its log, and there is no admin
            assertThat(output).contains("KAPI_BOOTSTRAP_ADMIN_PASSWORD refused, no admin created");
            assertThat(fresh.getBean(FirstAdmin.class).adminExists()).isFalse();

            // when: create-admin is given one
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = AdminCommand.run(new String[] { "create-admin", "--email", email }, builder(jdbcUrl(fresh)),
                    () -> "password1", new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));

            // then: refused with the reason and status 1, and still no admin
            assertThat(status).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("known data breaches");
            assertThat(fresh.getBean(FirstAdmin.class).adminExists()).isFalse();
            loginOn(on(fresh), email).expectStatus().isBadRequest();
        }
    }

    /** An instance on its own new embedded database (url null) or on the given one. */
    private ConfigurableApplicationContext instance(String url, String bootstrapEmail) {
        // As arguments: they outrank application.yml, which names these settings (default
        // properties do not).
        return bootstrapEmail == null ? builder(url).run("--server.port=0")
                : builder(url).run("--server.port=0", "--kapi.identity.bootstrap-admin.email=" + bootstrapEmail,
                        "--kapi.identity.bootstrap-admin.password=" + PASSWORD);
    }

    private SpringApplicationBuilder builder(String url) {
        Map<String, Object> properties = new HashMap<>(Map.of("spring.mail.host", "127.0.0.1", "spring.mail.port",
                Integer.toString(MAIL.getSmtp().getPort())));
        if (url != null) {
            properties.put("spring.datasource.url", url);
            properties.put("spring.datasource.username", "postgres");
        }
        return new SpringApplicationBuilder(Application.class).profiles("test").properties(properties);
    }

    private static String jdbcUrl(ConfigurableApplicationContext context) {
        return ((HikariDataSource) context.getBean(DataSource.class)).getJdbcUrl();
    }

    private static RestTestClient on(ConfigurableApplicationContext context) {
        return bindToServer()
            .baseUrl("http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort())
            .defaultHeader("X-Forwarded-For", randomIp())
            .build();
    }

    private static RestTestClient.ResponseSpec loginOn(RestTestClient api, String email) {
        return api.post()
            .uri("/auth/login")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("username", email, "password", PASSWORD))
            .exchange();
    }

}
