package dev.kapi.identity.password;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import dev.kapi.identity.IdentitySettings;
import dev.kapi.identity.TestSettings;

/**
 * Raw password-hash throughput of Kapı's own encoder on all cores, the ceiling for logins
 * per second. Not part of the test suite (its name does not end in Tests);
 * {@code bench/identity.sh} runs it.
 */
class PasswordHashingBenchmark {

    @Test
    void printHashesPerSecond() throws Exception {
        String algorithm = System.getProperty("bench.algorithm", "bcrypt");
        int cost = Integer.getInteger("bench.cost", 10);
        int cores = Runtime.getRuntime().availableProcessors();
        IdentitySettings defaults = TestSettings.identity(null, null);
        IdentitySettings settings = new IdentitySettings(null, null, defaults.accessTokenLifetime(), defaults.session(),
                defaults.lockout(), new IdentitySettings.Password(8, 256, algorithm, cost, cores, Duration.ofMinutes(1),
                        2, null, Duration.ofSeconds(2)),
                defaults.tokens(), defaults.housekeeping(), defaults.stepUp());
        PasswordHashing hashing = new PasswordHashing(settings);
        String hash = hashing.hash("benchmark-password");

        run(hashing, hash, cores, Duration.ofSeconds(2));
        long checks = run(hashing, hash, cores, Duration.ofSeconds(10));

        System.out.printf("BENCH hash algorithm=%s cost=%d threads=%d verifies_per_second=%.1f%n", algorithm, cost,
                cores, checks / 10.0);
    }

    private static long run(PasswordHashing hashing, String hash, int threads, Duration duration) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<Long>> counts = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int i = 0; i < threads; i++) {
                counts.add(pool.submit(() -> {
                    long done = 0;
                    while (running.get()) {
                        hashing.matches("benchmark-password", hash);
                        done++;
                    }
                    return done;
                }));
            }
            Thread.sleep(duration);
            running.set(false);
            long total = 0;
            for (Future<Long> count : counts) {
                total += count.get();
            }
            return total;
        }
    }

}
