package dev.kapi.identity.recovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;
import dev.kapi.support.StatementRecorder;

import static dev.kapi.shared.SqlTime.utc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The routes that name an email address do the same work in the request whether or not it
 * has an account (issue 27: a known address used to be answered 2–3 ms later, its audit
 * row and event written in the request); what they ask for is done after the answer, and
 * still done.
 */
class AddressRequestsIntegrationTests extends IntegrationTest {

    private static final List<String> ROUTES = List.of("/auth/forgot-password", "/auth/magic-link",
            "/auth/resend-verification");

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AddressRequests requests;

    @Test
    void forgotPasswordMagicLinkAndResendVerificationWhenKnownOrUnknownThenTheRequestRunsTheSameStatements() {
        for (String route : ROUTES) {
            String known = registerUser(); // active, its address not verified yet: every
                                           // route applies to it
            String forKnown = UUID.randomUUID().toString();
            String forUnknown = UUID.randomUUID().toString();

            Map<String, Object> knownAnswer = request(route, known, forKnown);
            Map<String, Object> unknownAnswer = request(route, uniqueEmail(), forUnknown);

            assertThat(knownAnswer).as(route).isEqualTo(unknownAnswer);
            assertThat(StatementRecorder.statementsOf(forKnown)).as(route)
                .isNotEmpty()
                .isEqualTo(StatementRecorder.statementsOf(forUnknown));
            assertThat(awaitMailTo(known, 2)).as(route + ": its mail after the verification mail").isNotNull();
        }
    }

    @Test
    void resendVerificationThenANewLinkThatVerifiesAndNoMoreOnceVerified() {
        String email = registerUser();
        long id = accountIdOf(login(email));
        awaitMailTo(email, 1);

        assertThat(resend(email).expectStatus().isAccepted().expectBody(JSON_OBJECT).returnResult().getResponseBody())
            .containsEntry("success", true);
        String token = tokenIn(awaitMailTo(email, 2));
        client().post()
            .uri("/auth/verify-email")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("token", token))
            .exchange()
            .expectStatus()
            .isOk();
        clock.advance(Duration.ofMinutes(2));
        resend(email).expectStatus().isAccepted();

        await().atMost(Duration.ofSeconds(10)).until(() -> queued() == 0);
        assertThat(as(newAdminToken()).get()
            .uri("/api/admin/audit?user={id}&type=verification-requested", id)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody()).containsEntry("count", 1);
        assertThat(mailsTo(email)).hasSize(2);
    }

    @Test
    void resendVerificationWhenMoreThanFiveAMinuteFromOneClientThenTooManyRequests() {
        RestTestClient client = client();
        for (int i = 0; i < 5; i++) {
            client.post()
                .uri("/auth/resend-verification")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", uniqueEmail()))
                .exchange()
                .expectStatus()
                .isAccepted();
        }
        client.post()
            .uri("/auth/resend-verification")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", uniqueEmail()))
            .exchange()
            .expectStatus()
            .isEqualTo(429);
    }

    @Test
    void requestAnsweredByAnInstanceKilledBeforeItsWorkerThenTheNextPollMailsIt() throws Exception {
        String email = registerUser();
        awaitMailTo(email, 1);
        // What a kill -9 right after the answer leaves behind: the committed row, no
        // worker to take it.
        jdbc.sql("INSERT INTO address_requests (kind, email, ip, requested_at) VALUES ('password-reset', :email, "
                + "'10.0.0.1', :now)")
            .param("email", email)
            .param("now", utc(clock.instant()))
            .update();

        requests.poll();

        assertThat(awaitMailTo(email, 2).getSubject()).isEqualTo("Şifre sıfırlama");
    }

    private Map<String, Object> request(String route, String email, String recordAs) {
        return client().post()
            .uri(route)
            .contentType(MediaType.APPLICATION_JSON)
            .header(StatementRecorder.HEADER, recordAs)
            .body(Map.of("email", email))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    private RestTestClient.ResponseSpec resend(String email) {
        return client().post()
            .uri("/auth/resend-verification")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email))
            .exchange();
    }

    private long queued() {
        return jdbc.sql("SELECT count(*) FROM address_requests").query(Long.class).single();
    }

}
