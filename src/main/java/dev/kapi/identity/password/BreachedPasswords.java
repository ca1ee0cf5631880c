package dev.kapi.identity.password;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

import dev.kapi.identity.IdentitySettings;

/**
 * Passwords known from breaches. Offline: the sorted first 8 bytes of the SHA-1 of about
 * 81,000 passwords from breach corpora ({@code identity/breached-passwords.sha1}, built
 * by {@code src/build/breached-passwords.py}); no plain password ships with Kapı. Online,
 * when {@code KAPI_HIBP_URL} is set: Have I Been Pwned's range API, which is sent only
 * the first five hex digits of the hash (k-anonymity); if it cannot be reached in time,
 * the offline list alone answers.
 */
@Component
class BreachedPasswords {

    private static final Logger log = LoggerFactory.getLogger(BreachedPasswords.class);

    private static final String LIST = "identity/breached-passwords.sha1";

    private final long[] prefixes;

    private final RestClient hibp;

    BreachedPasswords(IdentitySettings settings) {
        this.prefixes = load();
        IdentitySettings.Password password = settings.password();
        if (StringUtils.hasText(password.hibpUrl())) {
            JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                    HttpClient.newBuilder().connectTimeout(password.hibpTimeout()).build());
            requests.setReadTimeout(password.hibpTimeout());
            this.hibp = RestClient.builder()
                .baseUrl(password.hibpUrl())
                .requestFactory(requests)
                .defaultHeader("Add-Padding", "true")
                .defaultHeader("User-Agent", "Kapi")
                .build();
        }
        else {
            this.hibp = null;
        }
    }

    /**
     * Whether the password, as typed or in lower case, is in the shipped list or, if
     * configured, in HIBP's.
     */
    boolean contains(String password) {
        byte[] hash = sha1(password);
        return offline(hash) || offline(sha1(password.toLowerCase(Locale.ROOT))) || online(hash);
    }

    int size() {
        return prefixes.length;
    }

    private boolean offline(byte[] hash) {
        long key = ByteBuffer.wrap(hash, 0, 8).getLong();
        int low = 0;
        int high = prefixes.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = Long.compareUnsigned(prefixes[middle], key);
            if (order == 0) {
                return true;
            }
            if (order < 0) {
                low = middle + 1;
            }
            else {
                high = middle - 1;
            }
        }
        return false;
    }

    private boolean online(byte[] hash) {
        if (hibp == null) {
            return false;
        }
        String hex = HexFormat.of().withUpperCase().formatHex(hash);
        try {
            String body = hibp.get().uri("/range/{prefix}", hex.substring(0, 5)).retrieve().body(String.class);
            if (body == null) {
                return false;
            }
            String suffix = hex.substring(5);
            return body.lines()
                .map(String::trim)
                .filter(line -> line.regionMatches(true, 0, suffix, 0, 35))
                .anyMatch(line -> line.length() > 36 && !line.substring(36).trim().equals("0"));
        }
        catch (RuntimeException ex) {
            log.warn("The breached-password service did not answer ({}); the offline list answered alone",
                    ex.getClass().getSimpleName());
            return false;
        }
    }

    private static long[] load() {
        try (InputStream in = new ClassPathResource(LIST).getInputStream();
                DataInputStream data = new DataInputStream(in)) {
            byte[] bytes = data.readAllBytes();
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            long[] loaded = new long[bytes.length / 8];
            for (int i = 0; i < loaded.length; i++) {
                loaded[i] = buffer.getLong();
            }
            return loaded;
        }
        catch (IOException ex) {
            throw new IllegalStateException("The breached password list " + LIST + " is missing", ex);
        }
    }

    private static byte[] sha1(String text) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
