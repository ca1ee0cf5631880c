package dev.kapi.identity.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import jakarta.annotation.PreDestroy;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

import dev.kapi.identity.IdentitySettings;
import dev.kapi.shared.ApiException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Password hashing: Spring Security's delegating encoder, so stored hashes name their
 * algorithm and old ones are upgraded on the next login. Bcrypt hashes a SHA-256 digest
 * of the password, so no byte past bcrypt's 72 is ever ignored. At most
 * {@code hash-concurrency} hashes run at once; a request that cannot get a slot in time
 * is refused quickly instead of queueing without bound. Hashes imported from other
 * systems ({@link ForeignHashes}) verify too, and need an upgrade.
 */
@Component
public class PasswordHashing implements MeterBinder {

    private final IdentitySettings.Password settings;

    private final PasswordEncoder encoder;

    private final Semaphore slots;

    private final ExecutorService hashers;

    private final String dummyHash;

    private final LongAdder computed = new LongAdder();

    PasswordHashing(IdentitySettings settings) {
        this.settings = settings.password();
        String idForEncode = switch (this.settings.algorithm()) {
            case "bcrypt" -> "bcrypt-sha256";
            case "argon2" -> "argon2";
            default -> throw new IllegalStateException(
                    "kapi.identity.password.algorithm must be bcrypt or argon2, not " + this.settings.algorithm());
        };
        BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(this.settings.bcryptCost());
        // Plain bcrypt, PBKDF2 and Firebase's scrypt are only verified: hashes imported
        // from other systems ({@link ForeignHashes}), replaced at their next sign-in.
        this.encoder = new DelegatingPasswordEncoder(idForEncode,
                Map.of("bcrypt-sha256", new Sha256Prehashed(bcrypt), "bcrypt", bcrypt, "argon2", owaspArgon2id(),
                        "pbkdf2-sha256", new KeycloakPbkdf2(false), "pbkdf2-sha512", new KeycloakPbkdf2(true),
                        "scrypt-firebase", new FirebaseScrypt()));
        int concurrency = this.settings.hashConcurrency() > 0 ? this.settings.hashConcurrency()
                : Runtime.getRuntime().availableProcessors();
        this.slots = new Semaphore(concurrency, true);
        // Hashes run on platform threads of their own: a virtual thread busy hashing
        // would hold one of the
        // few carrier threads for the whole hash, and every other request would wait
        // behind it.
        this.hashers = Executors.newFixedThreadPool(concurrency,
                Thread.ofPlatform().name("password-hash-", 0).daemon().factory());
        this.dummyHash = encoder.encode(UUID.randomUUID().toString());
    }

    /**
     * Argon2id as OWASP's Password Storage Cheat Sheet sets its minimum: 19 MiB of
     * memory, 2 iterations, one lane (Spring's own defaults use 16 MiB). Hashes keep
     * their parameters, so older ones still verify.
     */
    static Argon2PasswordEncoder owaspArgon2id() {
        return new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    }

    /**
     * Checks a password against an account's hash, or against a dummy hash when there is
     * no account.
     */
    public boolean matches(String password, String hash) {
        return withSlot(() -> {
            try {
                return encoder.matches(password, hash == null ? dummyHash : hash) && hash != null;
            }
            catch (IllegalArgumentException ex) {
                return false;
            }
        });
    }

    public String hash(String password) {
        return withSlot(() -> encoder.encode(password));
    }

    /**
     * The hashes computed so far (each new hash and each verification), published as
     * {@code kapi.password.hashes}: the figure that says what requests cost the slowest
     * resource.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("kapi.password.hashes", computed, LongAdder::sum)
            .description("Password hashes computed, new or verified")
            .register(registry);
    }

    public boolean needsUpgrade(String hash) {
        return encoder.upgradeEncoding(hash);
    }

    private <T> T withSlot(java.util.function.Supplier<T> work) {
        boolean acquired;
        try {
            acquired = slots.tryAcquire(settings.hashWait().toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw ApiException.busy("busy", 1);
        }
        try {
            computed.increment();
            return CompletableFuture.supplyAsync(work, hashers).join();
        }
        catch (CompletionException ex) {
            throw ex.getCause() instanceof RuntimeException runtime ? runtime : ex;
        }
        finally {
            slots.release();
        }
    }

    @PreDestroy
    void stop() {
        hashers.shutdown();
    }

    /**
     * Bcrypt over the hex SHA-256 of the password (64 bytes, under bcrypt's 72-byte
     * limit).
     */
    private record Sha256Prehashed(BCryptPasswordEncoder bcrypt) implements PasswordEncoder {

        @Override
        public String encode(CharSequence raw) {
            return bcrypt.encode(digest(raw));
        }

        @Override
        public boolean matches(CharSequence raw, String encoded) {
            return bcrypt.matches(digest(raw), encoded);
        }

        @Override
        public boolean upgradeEncoding(String encoded) {
            return bcrypt.upgradeEncoding(encoded);
        }

        private static String digest(CharSequence raw) {
            try {
                byte[] bytes = MessageDigest.getInstance("SHA-256")
                    .digest(raw.toString().getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(bytes);
            }
            catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

}
