package dev.kapi.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import dev.kapi.support.IntegrationTest;
import dev.kapi.support.Totp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in with a mailed link or code (issue 16), through a real SMTP server: the same
 * answer whether or not the address has an account, single use, 15 minutes, wrong codes
 * locking the account, rate limited, and the second step still asked of an account with a
 * factor.
 */
class MagicLinkIntegrationTests extends IntegrationTest {

    private static final Pattern CODE = Pattern.compile(": (\\d{6})\\b");

    @Autowired
    JdbcClient jdbc;

    @Test
    void requestThenTheSameAnswerForAnyAddressAndTheMailedLinkSignsInOnce() {
        // verified: a first proof of an unverified address also voids its password
        // (RecentAuthenticationIntegrationTests)
        TestUser user = newVerifiedUser();
        Map<String, Object> known = request(user.email());
        Map<String, Object> unknown = request(uniqueEmail());
        assertThat(known).isEqualTo(unknown);
        assertThat((String) known.get("message")).contains("giriş bağlantısı");

        MimeMessage mail = signInMail(user.email(), 1);
        assertThat(textOf(mail)).contains("/magic-link?token=").contains("15");
        String token = tokenIn(mail);

        Map<String, Object> tokens = confirm(Map.of("token", token), 200);
        assertThat(tokens).containsOnlyKeys("access_token", "token_type", "expires_in", "refresh_token");
        assertThat(get(new TestUser((String) tokens.get("access_token"), user.id(), user.email()), "/users/me", 200))
            .containsEntry("email_verified", true);
        assertThat(invalidFields(confirm(Map.of("token", token), 400))).containsExactly("token");
        assertThat(invalidFields(confirm(Map.of("email", user.email(), "code", codeIn(mail)), 400)))
            .containsExactly("code");
    }

    @Test
    void confirmWithEmailAndCodeThenSignedInAndTheCodeExpiresAfterFifteenMinutes() {
        TestUser user = newUser();
        request(user.email());
        MimeMessage first = signInMail(user.email(), 1);

        assertThat(confirm(Map.of("email", user.email().toUpperCase(), "code", codeIn(first)), 200))
            .containsKey("access_token");

        clock.advance(Duration.ofMinutes(2));
        request(user.email());
        MimeMessage second = signInMail(user.email(), 2);
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertThat(confirm(Map.of("email", user.email(), "code", codeIn(second)), 400)).containsEntry("type",
                "urn:kapi:problem:magic-code-invalid");
        assertThat(invalidFields(confirm(Map.of("token", tokenIn(second)), 400))).containsExactly("token");
        assertThat(invalidFields(confirm(Map.of("token", "x", "code", "123456"), 400))).containsExactly("code");
    }

    @Test
    void confirmWhenWrongCodesReachTheLimitThenLockedEvenForTheRightCode() {
        TestUser user = newUser();
        request(user.email());
        String code = codeIn(signInMail(user.email(), 1));
        String wrong = code.equals("000000") ? "000001" : "000000";
        for (int i = 0; i < 5; i++) {
            confirm(Map.of("email", user.email(), "code", wrong), 400);
        }

        assertThat(confirm(Map.of("email", user.email(), "code", code), 401)).containsEntry("type",
                "urn:kapi:problem:account-locked");
        assertThat(confirm(Map.of("email", uniqueEmail(), "code", code), 400)).containsEntry("type",
                "urn:kapi:problem:magic-code-invalid");
    }

    @Test
    void codeWhenStoredThenNoHashOfAnySixDigitCodeFindsItAndItStillSignsIn() {
        // a backup's magic-code row was SHA-256 of six digits: a million hashes gave the
        // code (issue 27)
        TestUser user = newUser();
        request(user.email());
        String code = codeIn(signInMail(user.email(), 1));
        // The mail may arrive a moment before the listener that sent it commits the
        // code's row.
        String stored = org.awaitility.Awaitility.await()
            .atMost(java.time.Duration.ofSeconds(10))
            .until(() -> jdbc.sql("""
                    SELECT token_hash FROM one_time_tokens
                    WHERE account_id = :id AND purpose = 'magic-code' AND used_at IS NULL
                    """).param("id", user.id()).query(String.class).optional().orElse(null),
                    java.util.Objects::nonNull);

        assertThat(stored).isNotEqualTo(sha256(code)).isNotEqualTo(sha256("magic-code:" + user.id() + ":" + code));
        List<String> found = new ArrayList<>();
        for (int candidate = 0; candidate < 1_000_000; candidate++) {
            String guess = "%06d".formatted(candidate);
            if (stored.equals(sha256(guess)) || stored.equals(sha256("magic-code:" + user.id() + ":" + guess))) {
                found.add(guess);
            }
        }
        assertThat(found).isEmpty();
        assertThat(confirm(Map.of("email", user.email(), "code", code), 200)).containsKey("access_token");
    }

    @Test
    void confirmWhenAccountHasASecondFactorThenMfaRequired() {
        // verified: factors set up before the address was proved go with its first mailed
        // sign-in
        TestUser user = newVerifiedUser();
        String secret = (String) post(user, "/users/me/mfa/totp", 200).get("secret");
        post(user, "/users/me/mfa/totp/confirm", Map.of("code", Totp.code(secret, clock.instant(), 0)), 200);
        request(user.email());

        assertThat(confirm(Map.of("token", tokenIn(signInMail(user.email(), 1))), 200))
            .containsEntry("mfa_required", true)
            .containsKey("mfa_token");
    }

    @Test
    void requestWhenMoreThanFiveAMinuteFromOneClientThenTooManyRequests() {
        RestTestClient client = client();
        for (int i = 0; i < 5; i++) {
            client.post()
                .uri("/auth/magic-link")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("email", uniqueEmail()))
                .exchange()
                .expectStatus()
                .isAccepted();
        }
        client.post()
            .uri("/auth/magic-link")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", uniqueEmail()))
            .exchange()
            .expectStatus()
            .isEqualTo(429);
    }

    private Map<String, Object> request(String email) {
        return client().post()
            .uri("/auth/magic-link")
            .contentType(MediaType.APPLICATION_JSON)
            .body(Map.of("email", email))
            .exchange()
            .expectStatus()
            .isAccepted()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    private Map<String, Object> confirm(Map<String, String> body, int status) {
        return client().post()
            .uri("/auth/magic-link/confirm")
            .contentType(MediaType.APPLICATION_JSON)
            .body(body)
            .exchange()
            .expectStatus()
            .isEqualTo(status)
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

    /**
     * The nth sign-in mail to the address (its verification mail may come before or
     * after).
     */
    private static MimeMessage signInMail(String address, int nth) {
        for (int mails = 1;; mails++) {
            awaitMailTo(address, mails);
            java.util.List<MimeMessage> signIns = mailsTo(address).stream()
                .filter(mail -> textOf(mail).contains("/magic-link?token="))
                .toList();
            if (signIns.size() >= nth) {
                return signIns.get(nth - 1);
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

    private static String codeIn(MimeMessage mail) {
        Matcher matcher = CODE.matcher(textOf(mail));
        assertThat(matcher.find()).as("a code in: %s", textOf(mail)).isTrue();
        return matcher.group(1);
    }

}
