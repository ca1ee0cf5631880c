package dev.kapi.identity;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

class AccountRecoveryIntegrationTests extends IntegrationTest {

    @Test
    void registerThenVerificationMailWhoseLinkVerifiesTheEmailOnce() throws Exception {
        String email = registerUser();
        MimeMessage mail = awaitMailTo(email, 1);
        assertThat(mail.getSubject()).isEqualTo("Email adresinizi doğrulayın");
        String token = tokenIn(mail);

        verify(token).expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(true)
            .jsonPath("$.message")
            .isEqualTo("Email doğrulandı");

        as(login(email)).get().uri("/users/me").exchange().expectBody().jsonPath("$.email_verified").isEqualTo(true);
        verify(token).expectStatus().isBadRequest().expectBody().jsonPath("$.errors[0].field").isEqualTo("token");
    }

    @Test
    void registerInEnglishThenTheMailIsInEnglish() throws Exception {
        String email = uniqueEmail();
        client().post()
            .uri("/auth/register")
            .contentType(MediaType.APPLICATION_JSON)
            .header("Accept-Language", "en")
            .body(Map.of("email", email, "password", PASSWORD, "full_name", "Jane Doe"))
            .exchange()
            .expectStatus()
            .isCreated();

        MimeMessage mail = awaitMailTo(email, 1);

        assertThat(mail.getSubject()).isEqualTo("Verify your email address");
        assertThat(textOf(mail)).contains("Hello Jane Doe").contains("?token=");
    }

    @Test
    void verifyEmailWhenTokenExpiredThenRejected() {
        String email = registerUser();
        String token = tokenIn(awaitMailTo(email, 1));

        clock.advance(Duration.ofHours(24).plusMinutes(1));

        verify(token).expectStatus().isBadRequest();
    }

    @Test
    void changeEmailThenUnverifiedAndANewMailGoesToTheNewAddress() {
        String token = newUserToken();
        String newEmail = uniqueEmail();

        as(token).put()
            .uri("/users/me")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", newEmail))
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.email_verified")
            .isEqualTo(false);

        verify(tokenIn(awaitMailTo(newEmail, 1))).expectStatus().isOk();
    }

    @Test
    void changeEmailThenTheOldAddressIsToldWhereTheAccountWent() throws Exception {
        String oldEmail = registerUser();
        String token = login(oldEmail);
        String newEmail = uniqueEmail();

        as(token).put()
            .uri("/users/me")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", newEmail))
            .exchange()
            .expectStatus()
            .isOk();

        // two mails to the old address: its verification link at sign-up and the notice
        // (mails go out
        // asynchronously, so in either order)
        awaitMailTo(oldEmail, 2);
        List<MimeMessage> notices = mailsTo(oldEmail).stream().filter(mail -> {
            try {
                return "Email adresiniz değiştirildi".equals(mail.getSubject());
            }
            catch (jakarta.mail.MessagingException ex) {
                throw new IllegalStateException(ex);
            }
        }).toList();
        assertThat(notices).hasSize(1);
        MimeMessage notice = notices.getFirst();
        // the new address's verification link never goes to the old one (its own "this
        // was not me" link does)
        assertThat(textOf(notice)).contains(newEmail).contains("şifrenizi değiştirin").doesNotContain("verify-email");
    }

    @Test
    void forgotPasswordWhenEmailKnownOrUnknownThenTheSameAnswer() {
        String known = registerUser();

        String forKnown = new String(
                forgot(known).expectStatus().isAccepted().expectBody().returnResult().getResponseBody());
        String forUnknown = new String(
                forgot(uniqueEmail()).expectStatus().isAccepted().expectBody().returnResult().getResponseBody());

        assertThat(forKnown).isEqualTo(forUnknown).contains("\"success\":true");
        assertThat(awaitMailTo(known, 2)).isNotNull();
    }

    @Test
    void forgotPasswordWhenAskedAgainWithinAMinuteThenNoSecondMail() {
        String email = registerUser();
        awaitMailTo(email, 1);

        forgot(email).expectStatus().isAccepted();
        awaitMailTo(email, 2);
        forgot(email).expectStatus().isAccepted();
        forgot(email).expectStatus().isAccepted();
        clock.advance(java.time.Duration.ofSeconds(61));
        forgot(email).expectStatus().isAccepted();

        awaitMailTo(email, 3);
        assertThat(mailsTo(email)).hasSize(3);
    }

    @Test
    void resetPasswordWithTheMailedTokenThenNewPasswordWorksAndEverySessionEnds() throws Exception {
        String email = registerUser();
        String oldSession = login(email);
        forgot(email).expectStatus().isAccepted();
        MimeMessage mail = awaitMailTo(email, 2);
        assertThat(mail.getSubject()).isEqualTo("Şifre sıfırlama");

        confirm(tokenIn(mail), "a-whole-new-password").expectStatus()
            .isOk()
            .expectBody()
            .jsonPath("$.success")
            .isEqualTo(true);

        as(oldSession).get().uri("/users/me").exchange().expectStatus().isUnauthorized();
        assertThat(login(email, "a-whole-new-password")).isNotBlank();
        confirm(tokenIn(mail), "yet-another-password").expectStatus().isBadRequest();
    }

    @Test
    void resetPasswordThenALockoutIsCleared() {
        String email = registerUser();
        for (int i = 0; i < 5; i++) {
            client().post()
                .uri("/auth/login")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("username", email, "password", "wrong-password"))
                .exchange()
                .expectStatus()
                .isBadRequest();
        }
        forgot(email);

        confirm(tokenIn(awaitMailTo(email, 2)), "unlocked-password").expectStatus().isOk();

        assertThat(login(email, "unlocked-password")).isNotBlank();
    }

    @Test
    void resetPasswordWhenTokenOlderThanThirtyMinutesOrPasswordShortThenRejected() {
        String email = registerUser();
        forgot(email);
        String token = tokenIn(awaitMailTo(email, 2));

        confirm(token, "short").expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("new_password");
        clock.advance(Duration.ofMinutes(31));
        confirm(token, "long-enough-password").expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("token");
    }

    @Test
    void resetPasswordRouteOfSeed001ChangesThePasswordOfTheSignedInUser() {
        String email = registerUser();
        String token = login(email);

        as(token).post()
            .uri("/auth/reset-password")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("current_password", PASSWORD, "new_password", "seed-001-password", "confirm_password",
                    "seed-001-password"))
            .exchange()
            .expectStatus()
            .isNoContent();
        as(token).post()
            .uri("/auth/reset-password")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("current_password", "wrong", "new_password", "x-password-2", "confirm_password",
                    "x-password-2"))
            .exchange()
            .expectStatus()
            .isBadRequest();

        assertThat(login(email, "seed-001-password")).isNotBlank();
    }

    private RestTestClient.ResponseSpec verify(String token) {
        return client().post()
            .uri("/auth/verify-email")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("token", token))
            .exchange();
    }

    private RestTestClient.ResponseSpec forgot(String email) {
        return client().post()
            .uri("/auth/forgot-password")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email))
            .exchange();
    }

    private RestTestClient.ResponseSpec confirm(String token, String password) {
        return client().post()
            .uri("/auth/forgot-password/confirm")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("token", token, "new_password", password))
            .exchange();
    }

}
