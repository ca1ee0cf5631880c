package dev.kapi.identity.hosted;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A browser without JavaScript for the hosted pages: real HTTP, a cookie jar, no
 * redirects followed, every {@code Set-Cookie} it was sent kept for assertions, and the
 * hidden fields of the last page it saw.
 */
public final class HostedBrowser {

    private static final Pattern HIDDEN = Pattern
        .compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private final String base;

    private final String ip;

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

    private final HttpClient http;

    private final List<String> setCookies = new ArrayList<>();

    private String language = "tr-TR";

    private HttpResponse<String> last;

    public HostedBrowser(int port, String ip) {
        this.base = "http://localhost:" + port;
        this.ip = ip;
        this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public HostedBrowser speaking(String acceptLanguage) {
        this.language = acceptLanguage;
        return this;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** Posts a form: the last page's hidden fields, then {@code fields} over them. */
    public HttpResponse<String> submit(String path, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(hidden());
        form.putAll(fields);
        return post(path, form);
    }

    /**
     * Posts the last page's hidden fields, then one field per value of {@code name} (a
     * form's checkboxes).
     */
    public HttpResponse<String> submitEach(String path, String name, List<String> values) {
        Map<String, String> form = new LinkedHashMap<>(hidden());
        form.remove(name);
        String body = encoded(form) + values.stream()
            .map(value -> "&" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(value, StandardCharsets.UTF_8))
            .collect(Collectors.joining());
        return send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String encoded(Map<String, String> form) {
        return form.entrySet()
            .stream()
            .filter(entry -> entry.getValue() != null)
            .map(entry -> URLEncoder.encode(entry.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    }

    /** Posts exactly {@code form}. */
    public HttpResponse<String> post(String path, Map<String, String> form) {
        String body = encoded(form);
        return send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The hidden fields of the last page. */
    public Map<String, String> hidden() {
        Map<String, String> fields = new LinkedHashMap<>();
        if (last != null) {
            Matcher matcher = HIDDEN.matcher(last.body());
            while (matcher.find()) {
                fields.put(matcher.group(1), org.springframework.web.util.HtmlUtils.htmlUnescape(matcher.group(2)));
            }
        }
        return fields;
    }

    public Optional<HttpCookie> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name)).findFirst();
    }

    public void forget(String name) {
        cookies.getCookieStore()
            .getCookies()
            .stream()
            .filter(c -> c.getName().equals(name))
            .toList()
            .forEach(c -> cookies.getCookieStore().getURIs().forEach(uri -> cookies.getCookieStore().remove(uri, c)));
    }

    /** Every Set-Cookie header this browser was ever sent. */
    public List<String> setCookies() {
        return setCookies;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            last = http.send(request.header("X-Forwarded-For", ip).header("Accept-Language", language).build(),
                    HttpResponse.BodyHandlers.ofString());
            setCookies.addAll(last.headers().allValues("Set-Cookie"));
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

}
