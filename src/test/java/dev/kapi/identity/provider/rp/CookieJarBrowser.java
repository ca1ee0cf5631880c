package dev.kapi.identity.provider.rp;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A browser without JavaScript for the authorization code flow: real HTTP with a cookie
 * jar, redirects not followed (each one is asserted), the hidden fields of the last page
 * sent back with a form, and a client-side address of its own for the rate limits.
 */
public final class CookieJarBrowser {

    private static final Pattern HIDDEN = Pattern
        .compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String base;

    private final String ip;

    private final HttpClient http;

    private HttpResponse<String> last;

    public CookieJarBrowser(String base, String ip) {
        this.base = base;
        this.ip = ip;
        this.http = HttpClient.newBuilder()
            .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    }

    /** A GET of a path (or an absolute address) on Kapı. */
    public HttpResponse<String> get(String pathOrUrl) {
        return send(HttpRequest.newBuilder(resolve(pathOrUrl)).GET());
    }

    /** Posts a form: the last page's hidden fields, then {@code fields} over them. */
    public HttpResponse<String> submit(String path, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(hidden());
        form.putAll(fields);
        return send(HttpRequest.newBuilder(resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    /**
     * Posts a form as a browser sends one: the last page's hidden fields, then
     * {@code more}, a name as often as it is given (checkboxes of one name).
     */
    public HttpResponse<String> submitAll(String path, java.util.List<Map.Entry<String, String>> more) {
        java.util.List<Map.Entry<String, String>> pairs = new java.util.ArrayList<>(hidden().entrySet());
        pairs.addAll(more);
        String body = pairs.stream()
            .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(resolve(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The hidden fields of the last page. */
    public Map<String, String> hidden() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (last != null) {
            Matcher matcher = HIDDEN.matcher(last.body());
            while (matcher.find()) {
                fields.put(matcher.group(1), HtmlUtils.htmlUnescape(matcher.group(2)));
            }
        }
        return fields;
    }

    /** Where a redirect points, or fails when the answer is no redirect. */
    public static String location(HttpResponse<String> response) {
        return response.headers()
            .firstValue("Location")
            .orElseThrow(() -> new AssertionError(
                    "no redirect but " + response.statusCode() + ": " + abbreviate(response.body())));
    }

    /** One query parameter of an address, decoded. */
    public static String parameter(String url, String name) {
        String value = UriComponentsBuilder.fromUriString(url).build().getQueryParams().getFirst(name);
        return value == null ? null : java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
    }

    public static String form(Map<String, String> fields) {
        return fields.entrySet()
            .stream()
            .filter(entry -> entry.getValue() != null)
            .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    }

    /** 32 random bytes, base64url: a PKCE verifier, a state or a nonce. */
    public static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The S256 challenge of a PKCE verifier. */
    public static String challenge(String verifier) {
        try {
            return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private URI resolve(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            last = http.send(request.header("X-Forwarded-For", ip).header("Accept-Language", "en").build(),
                    HttpResponse.BodyHandlers.ofString());
            return last;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 500 ? text.substring(0, 500) + "…" : text;
    }

}
