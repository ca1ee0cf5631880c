package dev.kapi.shared;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import dev.kapi.support.IntegrationTest;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks of the hardening issue, each tried as an anonymous or ordinary client
 * would, over real HTTP: every one gets a clear 4xx that names the limit or the field,
 * and the server reads no more than its cap.
 */
class HostileInputIntegrationTests extends IntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final long MB = 1024 * 1024;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aBodyDeclaredOverTheCapIsRefusedUnreadWith413NamingTheCap() throws IOException {
        // 300 MB announced to the anonymous webhook; not one byte of it is sent.
        String answer = rawExchange("POST /api/messaging/webhooks/whatsapp HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + 300 * MB + "\r\n\r\n", null);

        assertThat(answer).startsWith("HTTP/1.1 413");
        assertThat(answer).contains("urn:kapi:problem:payload-too-large").contains("1 MB");
    }

    @Test
    void aHeaderOverTomcatsLimitIs400WithKapisSecurityHeadersAndNoTomcatPage() throws IOException {
        // 20 KB of header, over Tomcat's 8 KB: refused before any of Kapi's filters run.
        String answer = rawExchange(
                "GET /users/me HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + "a".repeat(20 * 1024) + "\r\n\r\n", null);

        assertThat(answer).startsWith("HTTP/1.1 400");
        String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(java.util.Locale.ROOT);
        String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
        assertThat(head).contains("content-security-policy: default-src 'none'; frame-ancestors 'none'")
            .contains("x-frame-options: deny")
            .contains("x-content-type-options: nosniff")
            .contains("content-type: application/problem+json");
        assertThat(body).contains("\"urn:kapi:problem:malformed-request\"").contains("\"status\":400");
        assertThat(answer).doesNotContainIgnoringCase("tomcat")
            .doesNotContainIgnoringCase("<html")
            .doesNotContain("Exception")
            .doesNotContain("\tat ")
            .doesNotContain("aaaaaaaa");
    }

    @Test
    void aChunkedBodyWithoutLengthStopsBeingReadAtTheCap() throws Exception {
        // Chunks until the server answers; it stops reading at the 1 MB cap, so the
        // client cannot push 64 MB.
        ChunkedOutcome outcome = sendChunked("/api/messaging/webhooks/whatsapp", 64 * MB);

        assertThat(outcome.answer()).startsWith("HTTP/1.1 413").contains("payload-too-large");
        assertThat(outcome.bytesSent()).isLessThan(16 * MB);
    }

    @Test
    void aChunkedJsonBodyOverTheCapIs413NotMalformedJson() throws Exception {
        // Jackson reads this one: the cap must still answer 413, whatever wraps the
        // stream's failure.
        ChunkedOutcome outcome = sendChunked("/auth/login", 64 * MB);

        assertThat(outcome.answer()).startsWith("HTTP/1.1 413").contains("payload-too-large");
        assertThat(outcome.bytesSent()).isLessThan(16 * MB);
    }

    @Test
    void theCustomerImportHasItsOwnLargerCapAndALineCap() throws IOException {
        String token = newUserToken();
        String tooLarge = rawExchange("POST /api/messaging/customers/import HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + token + "\r\nX-Forwarded-For: " + randomIp() + "\r\n"
                + "Content-Type: text/csv\r\nContent-Length: " + 30 * MB + "\r\n\r\n", null);
        assertThat(tooLarge).startsWith("HTTP/1.1 413").contains("20 MB");

        // A 2 MB line is under the body cap but over the line cap: refused by line, not
        // read whole.
        String oneLongLine = "phone,name\n+905551112233," + "a".repeat(2 * (int) MB) + "\n";
        Map<String, Object> problem = as(token).post()
            .uri("/api/messaging/customers/import")
            .contentType(MediaType.parseMediaType("text/csv"))
            .body(oneLongLine)
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();
        assertThat(problem).containsEntry("type", "urn:kapi:problem:import-line-too-long");
        assertThat((String) problem.get("detail")).startsWith("CSV satırı 2:").contains("65.536");
    }

    @Test
    void aCsvCellWithNulIsRefusedNamingItsLine() {
        String token = newUserToken();
        Map<String, Object> problem = as(token).post()
            .uri("/api/messaging/customers/import")
            .contentType(MediaType.parseMediaType("text/csv"))
            .body("phone,name\n+905551112233,Ay\u0000la\n")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody(JSON_OBJECT)
            .returnResult()
            .getResponseBody();

        assertThat(problem).containsEntry("type", "urn:kapi:problem:import-text-invalid");
        assertThat((String) problem.get("detail")).startsWith("CSV satırı 2:");
    }

    @Test
    void nulAndUnpairedSurrogatesInJsonAre400NamingTheFieldOnLoginAndRegistration() throws Exception {
        HttpResponse<String> login = postJson("/auth/login", null,
                "{\"username\":\"a\\u0000b\",\"password\":\"whatever-123\"}");
        assertThat(login.statusCode()).isEqualTo(400);
        assertThat(fields(login)).containsExactly("username");
        assertThat(login.body()).contains("U+0000");

        HttpResponse<String> register = postJson("/auth/register", null,
                "{\"email\":\"" + uniqueEmail() + "\",\"password\":\"" + PASSWORD + "\",\"full_name\":\"A\\ud800b\"}");
        assertThat(register.statusCode()).isEqualTo(400);
        assertThat(fields(register)).containsExactly("full_name");

        // Deep inside a map, the path names where.
        HttpResponse<String> nested = postJson("/api/trading/bots", newUserToken(),
                "{\"name\":\"n\",\"symbol\":\"BTCUSDT\",\"quote_amount\":10,\"strategy\":\"simple\","
                        + "\"params\":{\"buy_below\":\"x\\u0000\"}}");
        assertThat(nested.statusCode()).isEqualTo(400);
        assertThat(fields(nested)).containsExactly("params.buy_below");
    }

    @Test
    void nulInAQueryParameterIs400NamingTheParameter() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + "/events?search=a%00b"))
            .header("Authorization", "Bearer " + newUserToken())
            .header("X-Forwarded-For", randomIp())
            .GET()
            .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(fields(answer)).containsExactly("search");
    }

    @Test
    void hugeAndTinyExponentsAre400InMillisecondsNotMinutesOfArithmetic() throws Exception {
        String token = newUserToken();
        // As numbers and as strings, which Jackson would otherwise turn into numbers
        // without a look.
        for (String number : List.of("1e-20000000", "1e400000", "-1e30", "\"1e400000\"", "\"1e-20000000\"")) {
            HttpResponse<String> generated = postJson("/api/trading/backtests", token,
                    "{\"strategy\":\"simple\",\"params\":{\"buy_below\":1,\"sell_above\":2},"
                            + "\"generate\":{\"seed\":1,\"count\":10,\"start_price\":" + number + "}}");
            assertThat(generated.statusCode()).as(number).isEqualTo(400);
            assertThat(fields(generated)).containsExactly("generate.start_price");
            assertThat(generated.body()).contains("1e-18").contains("1e20");
        }
        HttpResponse<String> farFuture = postJson("/api/trading/backtests", token,
                "{\"strategy\":\"simple\",\"params\":{\"buy_below\":1,\"sell_above\":2},"
                        + "\"generate\":{\"seed\":1,\"count\":10,\"start\":\"+999999999-12-31T23:59:59Z\"}}");
        assertThat(farFuture.statusCode()).isEqualTo(400);
        assertThat(fields(farFuture)).containsExactly("generate.start");
        // The 90-byte attack of the issue: a candle close far below any price, inside the
        // kline CSV.
        HttpResponse<String> candles = postJson("/api/trading/backtests", token,
                "{\"strategy\":\"simple\",\"params\":{\"buy_below\":1,\"sell_above\":2},"
                        + "\"candles\":\"1704067200000,1,1,1,1e-20000000,1\\n\"}");
        assertThat(candles.statusCode()).isEqualTo(400);
        assertThat(fields(candles)).containsExactly("candles");
    }

    @Test
    void duplicateKeysAndDeepNestingAreMalformedJson() throws Exception {
        HttpResponse<String> duplicate = postJson("/auth/login", null,
                "{\"username\":\"a@example.com\",\"username\":\"b@example.com\",\"password\":\"x-123456\"}");
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(duplicate.body()).contains("urn:kapi:problem:malformed-json");

        HttpResponse<String> deep = postJson("/api/trading/bots", newUserToken(),
                "{\"params\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(deep.body()).containsAnyOf("urn:kapi:problem:malformed-json", "urn:kapi:problem:validation");
    }

    @Test
    void anEncodedLoginPathIsStillCountedPerClientAddressNotPerBearerToken() throws Exception {
        // Ten logins a minute per address; each try carries another account's token,
        // which must not matter.
        String ip = randomIp();
        int limited = 0;
        for (int i = 0; i < 11; i++) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base() + "/auth/%6Cogin"))
                .header("Authorization", "Bearer " + newUserToken())
                .header("X-Forwarded-For", ip)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers
                    .ofString("{\"username\":\"nobody-" + i + "@example.com\",\"password\":\"wrong-password-1\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 429) {
                limited++;
            }
            else {
                // Seed 003's answer to a wrong login.
                assertThat(answer.statusCode()).isEqualTo(400);
            }
        }
        assertThat(limited).isEqualTo(1);
    }

    @Test
    void anOffsetPastItsBoundIs400NotAnOverflow() {
        String token = newUserToken();
        as(token).get()
            .uri("/events?skip=2147483640")
            .exchange()
            .expectStatus()
            .isBadRequest()
            .expectBody()
            .jsonPath("$.errors[0].field")
            .isEqualTo("skip");
        as(token).get().uri("/events?skip=100000").exchange().expectStatus().isOk();
    }

    // --- helpers ---

    private String base() {
        return "http://localhost:" + port;
    }

    private HttpResponse<String> postJson(String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
            .header("Content-Type", "application/json")
            .header("X-Forwarded-For", randomIp())
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SuppressWarnings("unchecked")
    private static List<String> fields(HttpResponse<String> problem) {
        Map<String, Object> body = JSON.readValue(problem.body(), Map.class);
        return ((List<Map<String, Object>>) body.getOrDefault("errors", List.of())).stream()
            .map(error -> (String) error.get("field"))
            .toList();
    }

    /**
     * Sends a request head (and optional body) on a fresh socket and reads what the
     * server answers.
     */
    private String rawExchange(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return readAnswer(socket.getInputStream());
        }
    }

    private record ChunkedOutcome(String answer, long bytesSent) {
    }

    /**
     * Streams 64 KB chunks until the server answers (or stops the connection) or
     * {@code max} is sent.
     */
    private ChunkedOutcome sendChunked(String path, long max) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return readAnswer(socket.getInputStream());
                }
                catch (IOException ex) {
                    return "read failed: " + ex;
                }
            });
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Hub-Signature-256: sha256=00\r\nTransfer-Encoding: chunked\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            long sent = 0;
            try {
                while (sent < max && !answer.isDone()) {
                    out.write(size);
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    sent += chunk.length;
                }
            }
            catch (IOException closedByServer) {
                // The server stopped reading and closed: what matters is how much got
                // through.
            }
            return new ChunkedOutcome(answer.get(10, TimeUnit.SECONDS), sent);
        }
    }

    /**
     * The status line, headers and as much of the body as arrives before the server
     * closes or goes quiet.
     */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.UTF_8);
                int headEnd = text.indexOf("\r\n\r\n");
                if (headEnd > 0 && text.substring(headEnd).contains("}")) {
                    break;
                }
            }
        }
        catch (IOException ex) {
            if (answer.size() == 0) {
                throw ex;
            }
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

}
