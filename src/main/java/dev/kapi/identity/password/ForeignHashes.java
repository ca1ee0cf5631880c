package dev.kapi.identity.password;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The password hashes other systems made that Kapı accepts at import, checked and turned
 * into the stored form {@link PasswordHashing} verifies: bcrypt, argon2 (PHC), Keycloak's
 * PBKDF2 and Firebase's scrypt. Each cost is bounded here, so that an imported hash
 * cannot make a sign-in a CPU or memory bomb; the next successful sign-in replaces it
 * with Kapı's own algorithm.
 */
public final class ForeignHashes {

    /** The algorithms a line may name. */
    public static final List<String> ALGORITHMS = List.of("bcrypt", "argon2", "pbkdf2-sha256", "pbkdf2-sha512",
            "scrypt-firebase");

    public static final int MAX_BCRYPT_COST = 14;

    /** Argon2's memory in KiB (64 MiB). */
    public static final int MAX_ARGON2_MEMORY = 65_536;

    public static final int MAX_ARGON2_ITERATIONS = 10;

    public static final int MAX_ARGON2_PARALLELISM = 4;

    public static final int MAX_PBKDF2_ITERATIONS = 1_000_000;

    public static final int MAX_SCRYPT_ROUNDS = 16;

    public static final int MAX_SCRYPT_MEM_COST = 15;

    private static final int MAX_BYTES = 128;

    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    private static final Pattern ARGON2 = Pattern
        .compile("\\$argon2(?:i|d|id)\\$v=(?:16|19)\\$m=(\\d{1,9}),t=(\\d{1,9}),p=(\\d{1,9})"
                + "\\$([A-Za-z0-9+/]{11,86})\\$([A-Za-z0-9+/]{16,86})");

    private ForeignHashes() {
    }

    /** A hash as an export holds it. */
    public sealed interface ForeignHash permits Bcrypt, Argon2, Pbkdf2, Scrypt {

    }

    /** A {@code $2a$}, {@code $2b$} or {@code $2y$} string. */
    public record Bcrypt(String hash) implements ForeignHash {
    }

    /** A PHC string: {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}. */
    public record Argon2(String hash) implements ForeignHash {
    }

    /** Keycloak's secret and credential data (base64 value and salt). */
    public record Pbkdf2(boolean sha512, String value, String salt, Integer iterations) implements ForeignHash {
    }

    /**
     * Firebase's export (base64 value and salt) and its project's hash parameters (base64
     * signer key and salt separator, rounds, mem_cost).
     */
    public record Scrypt(String value, String salt, String signerKey, String saltSeparator, Integer rounds,
            Integer memCost) implements ForeignHash {
    }

    /**
     * What is wrong with a hash: the field (under {@code password_hash}, or
     * {@code password_hash} itself), a stable code and a sentence naming the bound.
     */
    public record Problem(String field, String code, String message) {
    }

    /** The stored form, or the first problem of the hash. */
    public record Checked(String stored, Problem problem) {

        static Checked ok(String stored) {
            return new Checked(stored, null);
        }

        static Checked bad(String field, String code, String message) {
            return new Checked(null, new Problem(field, code, message));
        }
    }

    /** Checks a hash and answers what {@link PasswordHashing} stores for it. */
    public static Checked check(ForeignHash hash) {
        return switch (hash) {
            case Bcrypt bcrypt -> bcrypt(bcrypt.hash());
            case Argon2 argon2 -> argon2(argon2.hash());
            case Pbkdf2 pbkdf2 -> pbkdf2(pbkdf2);
            case Scrypt scrypt -> scrypt(scrypt);
        };
    }

    private static Checked bcrypt(String hash) {
        Matcher matcher = hash == null ? null : BCRYPT.matcher(hash);
        if (matcher == null || !matcher.matches()) {
            return Checked.bad("password_hash", "hash-invalid", "not a $2a$/$2b$/$2y$ bcrypt string");
        }
        int cost = Integer.parseInt(matcher.group(1));
        if (cost < 4 || cost > MAX_BCRYPT_COST) {
            return Checked.bad("password_hash", "hash-too-costly", "bcrypt cost must be 4 to " + MAX_BCRYPT_COST);
        }
        return Checked.ok("{bcrypt}" + hash);
    }

    private static Checked argon2(String hash) {
        Matcher matcher = hash == null ? null : ARGON2.matcher(hash);
        if (matcher == null || !matcher.matches()) {
            return Checked.bad("password_hash", "hash-invalid",
                    "not an argon2 PHC string ($argon2id$v=19$m=..,t=..,p=..$salt$hash)");
        }
        long memory = Long.parseLong(matcher.group(1));
        long iterations = Long.parseLong(matcher.group(2));
        long parallelism = Long.parseLong(matcher.group(3));
        if (memory > MAX_ARGON2_MEMORY || iterations > MAX_ARGON2_ITERATIONS || parallelism > MAX_ARGON2_PARALLELISM
                || iterations < 1 || parallelism < 1 || memory < 8 * parallelism) {
            return Checked.bad("password_hash", "hash-too-costly", "argon2 needs m at most " + MAX_ARGON2_MEMORY
                    + " KiB, t 1 to " + MAX_ARGON2_ITERATIONS + " and p 1 to " + MAX_ARGON2_PARALLELISM);
        }
        return Checked.ok("{argon2}" + hash);
    }

    private static Checked pbkdf2(Pbkdf2 hash) {
        Optional<byte[]> value = bytes(hash.value(), 16);
        if (value.isEmpty()) {
            return Checked.bad("password_hash.value", "hash-invalid", "base64 of 16 to " + MAX_BYTES + " bytes");
        }
        Optional<byte[]> salt = bytes(hash.salt(), 1);
        if (salt.isEmpty()) {
            return Checked.bad("password_hash.salt", "hash-invalid", "base64 of 1 to " + MAX_BYTES + " bytes");
        }
        if (hash.iterations() == null || hash.iterations() < 1 || hash.iterations() > MAX_PBKDF2_ITERATIONS) {
            return Checked.bad("password_hash.iterations", "hash-too-costly",
                    "iterations must be 1 to " + MAX_PBKDF2_ITERATIONS);
        }
        String id = hash.sha512() ? "{pbkdf2-sha512}" : "{pbkdf2-sha256}";
        return Checked.ok(id + KeycloakPbkdf2.stored(hash.iterations(), salt.get(), value.get()));
    }

    private static Checked scrypt(Scrypt hash) {
        Optional<byte[]> signerKey = bytes(hash.signerKey(), 1);
        if (signerKey.isEmpty()) {
            return Checked.bad("password_hash.signer_key", "hash-invalid", "base64 of 1 to " + MAX_BYTES + " bytes");
        }
        Optional<byte[]> value = bytes(hash.value(), 1).filter(bytes -> bytes.length == signerKey.get().length);
        if (value.isEmpty()) {
            return Checked.bad("password_hash.value", "hash-invalid", "base64 as long as the signer key");
        }
        Optional<byte[]> salt = bytes(hash.salt(), 1);
        if (salt.isEmpty()) {
            return Checked.bad("password_hash.salt", "hash-invalid", "base64 of 1 to " + MAX_BYTES + " bytes");
        }
        Optional<byte[]> separator = hash.saltSeparator() == null ? Optional.of(new byte[0])
                : bytes(hash.saltSeparator(), 0);
        if (separator.isEmpty()) {
            return Checked.bad("password_hash.salt_separator", "hash-invalid",
                    "base64 of at most " + MAX_BYTES + " bytes");
        }
        if (hash.rounds() == null || hash.rounds() < 1 || hash.rounds() > MAX_SCRYPT_ROUNDS) {
            return Checked.bad("password_hash.rounds", "hash-too-costly", "rounds must be 1 to " + MAX_SCRYPT_ROUNDS);
        }
        if (hash.memCost() == null || hash.memCost() < 1 || hash.memCost() > MAX_SCRYPT_MEM_COST) {
            return Checked.bad("password_hash.mem_cost", "hash-too-costly",
                    "mem_cost must be 1 to " + MAX_SCRYPT_MEM_COST);
        }
        return Checked.ok("{scrypt-firebase}" + FirebaseScrypt.stored(hash.rounds(), hash.memCost(), salt.get(),
                separator.get(), signerKey.get(), value.get()));
    }

    private static Optional<byte[]> bytes(String base64, int min) {
        if (base64 == null || base64.length() > 4 * MAX_BYTES) {
            return Optional.empty();
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(base64.strip());
            return bytes.length < min || bytes.length > MAX_BYTES ? Optional.empty() : Optional.of(bytes);
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

}
