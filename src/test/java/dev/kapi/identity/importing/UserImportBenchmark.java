package dev.kapi.identity.importing;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Not part of {@code mvn verify}: {@code mvn test -Dtest=UserImportBenchmark} imports
 * 100,000 bcrypt users in one {@code POST /api/admin/users/import} over HTTP and prints
 * users per second; then times the first sign-in of imported pbkdf2-sha256 users
 * (Keycloak 26's 600,000 iterations: the PBKDF2 check and the new bcrypt hash) against
 * their second one.
 */
class UserImportBenchmark extends IntegrationTest {

    private static final int USERS = 100_000;

    private static final int PBKDF2_USERS = 10;

    private static final int ITERATIONS = 600_000;

    @Test
    void usersImportedPerSecondAndFirstSignInOfAnImportedPbkdf2User() throws Exception {
        TestUser admin = newAdmin();
        String hash = new BCryptPasswordEncoder(10).encode("benchmark-password");
        String run = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder file = new StringBuilder(USERS * 140);
        for (int i = 0; i < USERS; i++) {
            file.append("{\"email\":\"bench-")
                .append(run)
                .append('-')
                .append(i)
                .append("@example.com\",\"name\":\"Ayşe\",\"surname\":\"Yılmaz\",")
                .append("\"password_hash_algorithm\":\"bcrypt\",\"password_hash\":\"")
                .append(hash)
                .append("\"}\n");
        }
        long start = System.nanoTime();
        Map<String, Object> answer = importFile(admin.token(), file.toString());
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(answer).containsEntry("imported", USERS);

        List<String> emails = new ArrayList<>();
        StringBuilder pbkdf2 = new StringBuilder();
        for (int i = 0; i < PBKDF2_USERS; i++) {
            byte[] salt = UUID.randomUUID().toString().substring(0, 16).getBytes();
            byte[] value = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec("keycloak-password".toCharArray(), salt, ITERATIONS, 512))
                .getEncoded();
            String email = "kc-" + run + "-" + i + "@example.com";
            emails.add(email);
            pbkdf2.append("{\"email\":\"")
                .append(email)
                .append("\",\"password_hash_algorithm\":\"pbkdf2-sha256\",\"password_hash\":{\"value\":\"")
                .append(Base64.getEncoder().encodeToString(value))
                .append("\",\"salt\":\"")
                .append(Base64.getEncoder().encodeToString(salt))
                .append("\",\"iterations\":")
                .append(ITERATIONS)
                .append("}}\n");
        }
        importFile(admin.token(), pbkdf2.toString());
        List<Double> first = new ArrayList<>();
        List<Double> second = new ArrayList<>();
        for (String email : emails) {
            first.add(timedLogin(email));
            second.add(timedLogin(email));
        }

        System.out.printf("BENCH import users=%d seconds=%.1f users_per_second=%.0f%n", USERS, seconds,
                USERS / seconds);
        System.out.printf(
                "BENCH pbkdf2-sha256 iterations=%d first_sign_in_median_ms=%.1f second_sign_in_median_ms=%.1f%n",
                ITERATIONS, median(first), median(second));
    }

    private double timedLogin(String email) {
        long start = System.nanoTime();
        assertThat(login(email, "keycloak-password")).isNotBlank();
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private Map<String, Object> importFile(String token, String body) {
        return as(token).post()
            .uri("/api/admin/users/import")
            .contentType(MediaType.parseMediaType("application/x-ndjson"))
            .body(body)
            .exchange()
            .expectStatus()
            .isOk()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
    }

}
