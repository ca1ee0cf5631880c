package dev.kapi.identity;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kapi.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whether the answer's timing tells who has an account, outside the normal build
 * ({@code mvn test -Dtest=AddressTimingBenchmark -Dsurefire.failIfNoSpecifiedTests=false}):
 * 200 alternating pairs per route, a registered address (a new one each pair, so no
 * once-a-minute rule skips the work) and an unknown one, which goes first alternating
 * from pair to pair; each call from its own client address, so that rate limits do not
 * answer instead, with a short pause after it for the work it left behind. Prints both
 * medians and in how many pairs the known address was answered later (half of them is
 * what chance gives).
 */
class AddressTimingBenchmark extends IntegrationTest {

    private static final int PAIRS = 200;

    private static final int WARM_UP = 40;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void knownAndUnknownAddressesAnsweredAlike() throws Exception {
        for (String route : List.of("/auth/magic-link", "/auth/forgot-password", "/auth/resend-verification")) {
            List<String> known = new ArrayList<>();
            for (int i = 0; i < WARM_UP + PAIRS; i++) {
                known.add(registerUser());
            }
            Thread.sleep(3_000); // the verification mails of the registrations go out
                                 // first
            long[] knownNanos = new long[PAIRS];
            long[] unknownNanos = new long[PAIRS];
            int knownSlower = 0;
            for (int i = 0; i < WARM_UP + PAIRS; i++) {
                long forKnown;
                long forUnknown;
                if (i % 2 == 0) {
                    forKnown = call(route, known.get(i));
                    forUnknown = call(route, uniqueEmail());
                }
                else {
                    forUnknown = call(route, uniqueEmail());
                    forKnown = call(route, known.get(i));
                }
                if (i >= WARM_UP) {
                    knownNanos[i - WARM_UP] = forKnown;
                    unknownNanos[i - WARM_UP] = forUnknown;
                    knownSlower += forKnown > forUnknown ? 1 : 0;
                }
            }
            System.out.printf(
                    "BENCH %-26s known median %.2f ms, unknown median %.2f ms, known slower in %d of %d" + " pairs%n",
                    route, median(knownNanos) / 1e6, median(unknownNanos) / 1e6, knownSlower, PAIRS);
        }
    }

    /**
     * One call's round trip in nanoseconds, then a pause for the work it left behind
     * (mails).
     */
    private long call(String route, String email) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + route))
            .header("Content-Type", "application/json")
            .header("X-Forwarded-For", randomIp())
            .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + email + "\"}"))
            .build();
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - start;
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Thread.sleep(50);
        return nanos;
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
    }

}
