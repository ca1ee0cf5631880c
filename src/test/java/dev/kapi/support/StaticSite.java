package dev.kapi.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A web site on another origin than Kapı's: the files of one folder served as they are
 * from loopback ({@code http://127.0.0.1:<port>}), plus files a test writes in memory (a
 * {@code config.json}). It stands in for the static host of a single-page app.
 */
public final class StaticSite {

    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js",
            "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "json", "application/json");

    private final Path root;

    private final HttpServer server;

    private final Map<String, String> written = new ConcurrentHashMap<>();

    private StaticSite(Path root, HttpServer server) {
        this.root = root.toAbsolutePath().normalize();
        this.server = server;
    }

    /** Serves {@code root} on a free loopback port until the JVM ends. */
    public static StaticSite serve(Path root) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            StaticSite site = new StaticSite(root, server);
            server.createContext("/", site::answer);
            server.start();
            return site;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The site's origin, as a browser sends it in {@code Origin}. */
    public String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Serves {@code text} at {@code /name} instead of a file. */
    public void write(String name, String text) {
        written.put("/" + name, text);
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (path.endsWith("/")) {
                path += "index.html";
            }
            byte[] body;
            if (written.containsKey(path)) {
                body = written.get(path).getBytes(StandardCharsets.UTF_8);
            }
            else {
                Path file = root.resolve(path.substring(1)).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                body = Files.readAllBytes(file);
            }
            String extension = path.substring(path.lastIndexOf('.') + 1);
            exchange.getResponseHeaders()
                .set("Content-Type", TYPES.getOrDefault(extension, "application/octet-stream"));
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

}
