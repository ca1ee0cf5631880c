package dev.kapi.identity.provider.client;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * How client secrets are kept and checked: {@code {sha256}} and the hex SHA-256 of the
 * secret, compared in constant time. A secret is 256 random bits Kapı made, so a slow
 * hash would add nothing but cost: {@code client_credentials} checks one on every token.
 * It is the only {@link PasswordEncoder} bean, which Spring Authorization Server's client
 * authentication picks up; account passwords never go through it
 * ({@code password/PasswordHashing} keeps its own encoder, and Kapı has no
 * {@code UserDetailsService} that Spring Security would hand a bean to).
 */
@Component
public final class ClientSecretEncoder implements PasswordEncoder {

    private static final String PREFIX = "{sha256}";

    @Override
    public String encode(CharSequence secret) {
        return PREFIX + HexFormat.of().formatHex(digest(secret));
    }

    @Override
    public boolean matches(CharSequence secret, String encoded) {
        if (secret == null || encoded == null || !encoded.startsWith(PREFIX)) {
            return false;
        }
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(encoded, PREFIX.length(), encoded.length());
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
        return MessageDigest.isEqual(expected, digest(secret));
    }

    private static byte[] digest(CharSequence secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.toString().getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
