package dev.kapi.shared.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Secrets that Kapı generates for itself when it runs on its embedded default and none is
 * configured (the JWT signing key, the master key). They are kept in files readable only
 * by the owner, beside the embedded database, so tokens and ciphertexts stay valid across
 * restarts. Exists only in embedded mode.
 */
public final class LocalSecrets {

    private final SecureRandom random = new SecureRandom();

    private final Path dir;

    private final Map<String, byte[]> inMemory = new ConcurrentHashMap<>();

    LocalSecrets(Path dir) {
        this.dir = dir;
    }

    /** The named secret, generated with {@code length} random bytes on first use. */
    public synchronized byte[] secret(String name, int length) {
        if (dir == null) {
            return inMemory.computeIfAbsent(name, key -> randomBytes(length)).clone();
        }
        try {
            Path file = dir.resolve(name);
            if (Files.exists(file)) {
                return Files.readAllBytes(file);
            }
            if (!Files.exists(dir)) {
                Files.createDirectories(dir,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            byte[] secret = randomBytes(length);
            Path temp = Files.createTempFile(dir, name, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(temp, secret);
            Files.move(temp, file);
            return secret;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot keep the local secret " + name + " under " + dir, ex);
        }
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

}
