package dev.kapi.shared;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.json.JsonMapper;

import dev.kapi.support.FuzzAnswers;
import dev.kapi.support.IntegrationTest;

import static dev.kapi.support.FuzzAnswers.excerpt;
import static dev.kapi.support.FuzzAnswers.jwt;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An OpenAPI-driven fuzz test: every operation that {@code /v3/api-docs} describes is
 * called as an anonymous client, as a user and as an admin with malformed path ids, query
 * values, headers and bodies — wrong types, NUL, unpaired surrogates, huge and tiny
 * exponents, deep nesting, duplicate keys, very long strings — on top of a valid request
 * built from the operation's schema. It proves that none of them makes the server answer
 * 5xx, take longer than {@link #REQUEST_TIMEOUT}, drop the connection, or name SQL, a
 * Java class or a stack frame in an answer.
 * <p>
 * Error answers are checked for all three; success answers only for stack frames, because
 * they carry stored data that the other test classes (which share the database) may have
 * filled with any words.
 * <p>
 * Bounded in time: the cases are generated deterministically (fixed order, fixed seed)
 * and run cheapest first — the valid request, ids, query values and tokens of every
 * operation; then headers and raw bodies; then every property of the valid body replaced
 * by hostile values — until {@link #BUDGET} is spent. The summary line says how many ran.
 * Each role runs in {@link #WORKERS_PER_ROLE} workers, each with its own account, which
 * is replaced by a new one after {@link #REQUESTS_PER_IDENTITY} requests, on a 429 or
 * 401, and after an operation that ends it (logout, freeze, deletion). A role whose valid
 * request is refused (401, or 403 for want of a role) skips that operation's mutated
 * bodies, which the roles that may call it send. The only routes left out are the
 * operational ones, and for signed-in roles the session event stream (it never ends);
 * {@code POST /api/admin/import} only ever gets hostile archives, never a valid one.
 * Writes with a valid-looking body name ids no other test's rows have.
 */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class ApiFuzzIntegrationTests extends IntegrationTest {

    /** 90 s in the suite; {@code -Dfuzz.seconds=600} runs the whole plan once. */
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("fuzz.seconds", 90));

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private static final int WORKERS_PER_ROLE = 2;

    /**
     * Under the default limit of 300 requests a minute per account, so that an account
     * rarely meets a 429.
     */
    private static final int REQUESTS_PER_IDENTITY = 250;

    private static final long SEED = 20_261_125L;

    private static final int TIERS = 4;

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    private static final List<String> SKIPPED_PREFIXES = List.of("/actuator", "/v3/api-docs", "/swagger-ui",
            "/webjars");

    /**
     * Operations after which the caller's account or session is gone, frozen or ended.
     */
    private static final Set<String> ENDS_IDENTITY = Set.of("DELETE /users/me", "POST /auth/logout",
            "POST /users/me/freeze");

    private static final Pattern PATH_VARIABLE = Pattern.compile("\\{([^}/]+)}");

    /**
     * An id that no write of this test can hit (ids of valid-looking writes stay away
     * from other tests' rows).
     */
    private static final String UNUSED_ID = "987654321";

    private static final String HEX_ID = "5f2c9a1b0d3e4f67";

    private static final String UUID_ID = "00000000-0000-4000-8000-000000000000";

    private static final String SLOT = "__kapi_fuzz_slot__";

    private static final Object OMIT = new Object();

    private static final Pattern DATE_LIKE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private static final Pattern TIME_LIKE = Pattern.compile("\\d{2}:\\d{2}");

    // Hostile JSON values, as raw JSON text.
    private static final String LONG_STRING = "\"" + "x".repeat(100_000) + "\"";

    private static final String DEEP_ARRAY = "[".repeat(5_000) + "]".repeat(5_000);

    private static final String DEEP_OBJECT = "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);

    private static final String HUGE_ARRAY = "[" + "1,".repeat(69_999) + "1]";

    /** What every property of a valid body is replaced with, one at a time. */
    private static final List<Mutation> VALUES = List.of(new Mutation("null", "null"),
            new Mutation("an object", "{\"a\":1}"), new Mutation("an array", "[1,\"a\"]"),
            new Mutation("a boolean", "true"), new Mutation("a string", "\"text\""), new Mutation("a number", "12345"),
            new Mutation("an empty string", "\"\""), new Mutation("a string with NUL", "\"a\\u0000b\""),
            new Mutation("an unpaired high surrogate", "\"\\ud800x\""),
            new Mutation("an unpaired low surrogate", "\"\\udfff\""), new Mutation("1e-20000000", "1e-20000000"),
            new Mutation("1e400000", "1e400000"), new Mutation("-1e400000", "-1e400000"), new Mutation("-1", "-1"),
            new Mutation("0", "0"), new Mutation("1.5", "1.5"),
            new Mutation("99999999999999999999999", "99999999999999999999999"),
            new Mutation("-99999999999999999999999", "-99999999999999999999999"),
            new Mutation("\"1e400000\"", "\"1e400000\""), new Mutation("\"1e-20000000\"", "\"1e-20000000\""),
            new Mutation("\"NaN\"", "\"NaN\""), new Mutation("a 100,000-character string", LONG_STRING),
            new Mutation("a 5,000-deep array", DEEP_ARRAY));

    /** More values, by the kind of the valid value they replace. */
    private static final List<Mutation> STRING_VALUES = List.of(new Mutation("a format string", "\"%s%n%x%d\""),
            new Mutation("a template", "\"{{name}}{{\""), new Mutation("quotes", "\"'\\\"; --\""),
            new Mutation("Turkish letters", "\"İıŞşĞğ\""), new Mutation("an emoji", "\"\\ud83d\\ude00\""),
            new Mutation("a right-to-left override", "\"\\u202e\""), new Mutation("blanks", "\"   \""),
            new Mutation("control characters", "\"\\n\\r\\t\\b\\f\""), new Mutation("a path", "\"../../etc/passwd\""),
            new Mutation("10,000 Turkish letters", "\"" + "ş".repeat(10_000) + "\""), new Mutation("hex", "\"0x1F\""),
            new Mutation("\"-0\"", "\"-0\""),
            new Mutation("a huge decimal string", "\"99999999999999999999999.999999999999999999999\""),
            new Mutation("an HTML tag", "\"<script>x</script>\""));

    private static final List<Mutation> DATE_VALUES = strings("+999999999-12-31T23:59:59.999999999Z",
            "-999999999-01-01T00:00:00Z", "294277-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "1970-01-01T00:00:00Z",
            "2024-02-30T25:61:61Z", "2024-01-01T00:00:00+99:99", "2024-01-01", "2024-01-01T00:00:00",
            "+999999999-12-31", "-4713-11-24", "2024-01-01T00:00:00.0000000000000000001Z");

    private static final List<Mutation> TIME_VALUES = strings("24:00", "23:59:60", "99:99", "-1:00", "9:0",
            "00:00:00.000000001", "25:00:00");

    private static final List<Mutation> NUMBER_VALUES = numbers("4.9e-324", "1.7976931348623157e309", "2147483648",
            "-2147483649", "9223372036854775808", "-9223372036854775809", "1e308", "1e-1000", "0.000000000000000000001",
            "-0.0", "1e2147483648", "1e-2147483648", "123456789012345678901234567890.123456789012345678901234567890",
            "1" + "0".repeat(999), "1" + "0".repeat(1_500));

    private static final List<Mutation> ARRAY_VALUES = List.of(new Mutation("a 70,000-element array", HUGE_ARRAY),
            new Mutation("[null]", "[null]"), new Mutation("[-1,0,2^63]", "[-1,0,9223372036854775808]"),
            new Mutation("[\"a\"]", "[\"a\"]"), new Mutation("[{}]", "[{}]"), new Mutation("[[1]]", "[[1]]"),
            new Mutation("[]", "[]"), new Mutation("[1e400000]", "[1e400000]"), new Mutation("[NUL]", "[\"\\u0000\"]"));

    private static final List<Mutation> OBJECT_VALUES = List.of(new Mutation("{}", "{}"),
            new Mutation("NUL keys", "{\"\\u0000\":\"\\u0000\"}"), new Mutation("an empty key", "{\"\":1}"),
            new Mutation("a 10,000-character key", "{\"" + "k".repeat(10_000) + "\":1}"),
            new Mutation("a 5,000-deep object", "{\"a\":" + DEEP_OBJECT + "}"),
            new Mutation("a 5,000-key object", wideObject(5_000)),
            new Mutation("__proto__", "{\"__proto__\":{\"a\":1}}"),
            new Mutation("duplicate keys", "{\"a\":1,\"a\":2}"));

    /** Path segments, already %-encoded. */
    private static final List<String> PATH_VALUES = List.of("abc", "-1", "0", "1.5", "1e400000", "NaN",
            "99999999999999999999", "9223372036854775808", "-9223372036854775809", "%00", "a%00b", "%ED%A0%80", "%FF",
            "%C4%B0%C4%B1", "%F0%9F%98%80", "%20", "%25", "%2F", "%5C", "%2E%2E", "..", "%3B", "%27%22", UUID_ID,
            HEX_ID, "x".repeat(5_000));

    /** Query values, already %-encoded. */
    private static final List<String> QUERY_VALUES = List.of("abc", "-1", "0", "1.5", "1e400000", "1e-20000000", "NaN",
            "Infinity", "99999999999999999999", "9223372036854775808", "", "%00", "a%00b", "%ED%A0%80", "%FF%FE",
            "%C4%B0%C4%B1", "%F0%9F%98%80", "%20%20", "%2B999999999-12-31T23%3A59%3A59Z",
            "-999999999-01-01T00%3A00%3A00Z", "2024-02-30", "0000-01-01", "99999-12-31", "%27%22%3B--", "%25", "%5B%5D",
            "%7B%7D", "true", "x".repeat(5_000));

    private static final List<String> HEADER_VALUES = List.of("", "abc", "-1", "99999999999999999999", "*", "W/\"x\"",
            "\"x\"", "sha256=zz", "x".repeat(5_000));

    private static final List<String> AUTHORIZATIONS = List.of("Bearer abc", "Bearer " + "a".repeat(6_000),
            "Bearer " + jwt("{\"alg\":\"none\"}", "{\"sub\":\"1\",\"roles\":[\"admin\"]}", ""),
            "Bearer " + jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"1\",\"exp\":1e400000}", "c2ln"),
            "Bearer " + jwt("{\"alg\":\"HS256\",\"kid\":\"../../etc/passwd\"}", "{\"sub\":\"\\u0000\"}", "c2ln"),
            "Bearer " + jwt("[".repeat(1_000) + "]".repeat(1_000), "{}", "c2ln"),
            "Bearer " + jwt("{\"alg\":\"HS256\"}", "\"\\ud800\"", "c2ln"), "Bearer a.b.c.d.e", "Bearer ...",
            "Bearer eyJ.eyJ.eyJ", "Basic Zm9vOmJhcg==", "Bearer", "Digest x");

    private static final List<String[]> HEADERS = List.of(new String[] { "Accept", "application/xml" },
            new String[] { "Accept", "text/csv" }, new String[] { "Accept", "image/png" },
            new String[] { "Accept", "*/*;q=abc" }, new String[] { "Accept", "text/event-stream" },
            new String[] { "Accept", "application/json;q=2, */*;q=-1" },
            new String[] { "Accept-Language", "xx-XX;q=abc,,,;" },
            new String[] { "Accept-Language", "a".repeat(2_000) }, new String[] { "Accept-Language", "*" },
            new String[] { "Accept-Language", "tr-TR-u-ca-islamic-x-aaaaaaaa" },
            new String[] { "X-Request-Id", "x".repeat(5_000) }, new String[] { "X-Request-Id", "../../etc/passwd" },
            new String[] { "X-Forwarded-For", "garbage" }, new String[] { "X-Forwarded-For", "999.999.999.999" },
            new String[] { "X-Forwarded-For", "1.2.3.4, , ," }, new String[] { "X-Forwarded-For", ":::::" },
            new String[] { "Origin", "http://evil.example" });

    private static final List<String[]> READ_HEADERS = List.of(new String[] { "If-None-Match", "\"x\"" },
            new String[] { "If-None-Match", "*" }, new String[] { "If-Modified-Since", "yesterday" },
            new String[] { "Range", "bytes=0-1,-1" });

    private static final List<String[]> WRITE_HEADERS = List.of(new String[] { "If-Match", "*" },
            new String[] { "If-Match", "W/\"x\"" }, new String[] { "If-Match", "\"" + "x".repeat(3_000) + "\"" },
            new String[] { "If-Match", "abc" }, new String[] { "If-None-Match", "*" });

    private static final List<Body> JSON_BODIES = List.of(body("empty", ""), body("null", "null"),
            body("an array", "[]"), body("an empty object", "{}"), body("a string", "\"text\""), body("a number", "1"),
            body("a boolean", "true"), body("an unclosed object", "{"), body("a cut-off property", "{\"a\":"),
            body("a lone brace", "}"), body("a trailing comma in an array", "[1,]"),
            body("a trailing comma in an object", "{\"a\":1,}"), body("single quotes", "{'a':1}"),
            body("NaN", "{\"a\":NaN}"), body("a comment", "/* c */ {}"), body("a leading zero", "{\"a\":01}"),
            body("a bare minus", "{\"a\":-}"), body("an empty exponent", "{\"a\":1e}"),
            body("a bad escape", "{\"a\":\"\\x41\"}"), body("a short unicode escape", "{\"a\":\"\\u12\"}"),
            body("a non-hex unicode escape", "{\"a\":\"\\uZZZZ\"}"), body("duplicate keys", "{\"a\":1,\"a\":2}"),
            body("a 5,000-deep array", DEEP_ARRAY), body("a 5,000-deep object", DEEP_OBJECT),
            body("1e-20000000", "1e-20000000"), body("1e400000", "1e400000"), body("-1e400000", "-1e400000"),
            body("1e2147483648", "1e2147483648"), body("a 200,000-character string", "\"" + "x".repeat(200_000) + "\""),
            body("a 200,000-character key", "{\"" + "k".repeat(200_000) + "\":1}"),
            body("NUL escapes", "{\"\\u0000\":\"\\u0000\"}"), body("an unpaired high surrogate", "{\"a\":\"\\ud800\"}"),
            body("an unpaired low surrogate as a key", "{\"\\udfff\":1}"),
            body("a raw NUL byte in a string", bytes("{\"a\":\"", new byte[] { 0 }, "\"}")),
            body("a raw NUL byte after the value", bytes("{}", new byte[] { 0 })),
            body("invalid UTF-8", bytes("{\"a\":\"", new byte[] { (byte) 0xC3, 0x28 }, "\"}")),
            body("a UTF-8-encoded surrogate",
                    bytes("{\"a\":\"", new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, "\"}")),
            body("an overlong UTF-8 slash", bytes("{\"a\":\"", new byte[] { (byte) 0xC0, (byte) 0xAF }, "\"}")),
            body("a lone continuation byte", bytes("{\"a\":\"", new byte[] { (byte) 0x80 }, "\"}")),
            body("a 20,000-key object", wideObject(20_000)), body("a 70,000-element array", HUGE_ARRAY));

    private static final String VALID_CSV = "phone,name,city\n05551234567,Fuzz Qx,Izmir\n";

    private static final List<Body> CSV_BODIES = List.of(body("empty", ""), body("blank lines", "\n\n\n"),
            body("only a header", "phone\n"), body("no phone column", "name\nx\n"),
            body("an unclosed quote", "phone,name\n\"05551234567,x\n"),
            body("a quote inside a cell", "phone,name\n0555\"1234567,x\n"),
            body("NUL bytes", bytes("phone,name\n0555", new byte[] { 0 }, "1234567,a", new byte[] { 0 }, "b\n")),
            body("invalid UTF-8", bytes("phone,name\n05551234567,", new byte[] { (byte) 0xC3, 0x28 }, "\n")),
            body("a UTF-8-encoded surrogate",
                    bytes("phone,name\n05551234567,", new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, "\n")),
            body("a byte order mark", bytes(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }, VALID_CSV)),
            body("carriage returns only", VALID_CSV.replace('\n', '\r')),
            body("a duplicate column", "phone,phone\n05551234567,05551234568\n"),
            body("a bad custom field name", "phone,Bad Key\n05551234567,x\n"),
            body("10,000 columns", "phone," + columns(10_000) + "\n05551234567\n"),
            body("a 10,000-cell row", "phone,name\n05551234567" + ",x".repeat(10_000) + "\n"),
            body("a 200,000-character cell", "phone,name\n05551234567," + "x".repeat(200_000) + "\n"),
            body("a 200,000-digit phone", "phone\n" + "5".repeat(200_000) + "\n"),
            body("5,000 copies of one number", "phone\n" + "05551234567\n".repeat(5_000)),
            body("a formula", "phone,name\n05551234567,=cmd|' /C calc'!A0\n"),
            body("semicolons", "phone;name\n05551234567;x\n"),
            body("a 20-digit phone", "phone\n99999999999999999999\n"), body("a lone quote", "\""),
            body("100,000 quotes", "\"".repeat(100_000)));

    private static final List<Body> ARCHIVES = List.of(body("empty", ""), body("not a ZIP", "hello"),
            body("a ZIP signature and junk", bytes(new byte[] { 0x50, 0x4B, 0x03, 0x04 }, "junk junk junk")),
            body("4 KiB of random bytes", randomBytes(4_096)), body("an empty ZIP", zip(Map.of())),
            body("a truncated ZIP", truncated(manifest("{\"format\":\"kapi-export\",\"version\":2,\"tables\":[]}"))),
            body("a path-traversal entry", zip(Map.of("../../manifest.json", "{}".getBytes(UTF_8)))),
            body("an empty manifest", manifest("")), body("a 5,000-deep manifest", manifest(DEEP_ARRAY)),
            body("a manifest version of 1e400000", manifest("{\"format\":\"kapi-export\",\"version\":1e400000}")),
            body("a manifest of wrong types",
                    manifest("{\"format\":\"kapi-export\",\"version\":\"2\",\"tables\":\"x\",\"createdAt\":[]}")),
            body("a manifest with duplicate keys",
                    manifest("{\"format\":\"kapi-export\",\"format\":\"other\",\"version\":2,\"version\":2}")),
            body("a manifest with NUL, a surrogate and traversal", manifest("{\"format\":\"kapi-export\",\"version\":2,"
                    + "\"createdAt\":\"+999999999-12-31T23:59:59Z\",\"schemaVersion\":\"\\u0000\",\"sealCheck\":\"\\ud800\","
                    + "\"tables\":[{\"name\":\"../x\",\"file\":\"../../etc/passwd\",\"rows\":-1}]}")),
            body("a manifest with a 200,000-character seal check",
                    manifest("{\"format\":\"kapi-export\",\"version\":2,"
                            + "\"schemaVersion\":\"99999999999999999999\",\"sealCheck\":\"" + "A".repeat(200_000)
                            + "\",\"tables\":[]}")),
            body("a manifest of invalid UTF-8",
                    zip(Map.of("manifest.json", new byte[] { '"', (byte) 0xC3, 0x28, '"' }))),
            body("a 200,000-character manifest string", manifest("\"" + "x".repeat(200_000) + "\"")));

    /**
     * Valid values by property or parameter name, where the schema alone would not give
     * one the server accepts.
     */
    private static final Map<String, Supplier<Object>> HINTS = hints();

    private final JsonMapper json = JsonMapper.builder().build();

    private final Queue<Failure> failures = new ConcurrentLinkedQueue<>();

    private final AtomicInteger requests = new AtomicInteger();

    private final AtomicInteger casesRun = new AtomicInteger();

    private final AtomicInteger identities = new AtomicInteger();

    private final AtomicInteger unsendable = new AtomicInteger();

    private final AtomicInteger skipped = new AtomicInteger();

    /**
     * Per role, the operations whose valid request that role may not make (401 or 403
     * before any input matters).
     */
    private final Map<Role, Set<String>> closed = new EnumMap<>(Map.of(Role.ANONYMOUS, ConcurrentHashMap.newKeySet(),
            Role.USER, ConcurrentHashMap.newKeySet(), Role.ADMIN, ConcurrentHashMap.newKeySet()));

    private Map<String, Object> apiDocs;

    private HttpClient http;

    private long deadline;

    @Autowired
    JdbcClient jdbc;

    /**
     * The admin's trading kill switch, which the fuzz's admin may have pulled with a
     * valid request, re-armed: while on, no later test could start a bot.
     */
    @AfterEach
    void undoTheAdminsGlobalSettings() {
        // the fuzzer's admin pulls the trading kill switch and saves random WhatsApp
        // rates; every later test would otherwise start no bot and price messages anew
        jdbc.sql("DELETE FROM trading_kill_switches WHERE owner_id IS NULL").update();
        jdbc.sql("DELETE FROM messaging_rates").update();
    }

    @Test
    void everyOperationWhenFedMalformedInputThenNoServerErrorNoTimeoutAndNoInternalsInTheAnswer() {
        long started = System.nanoTime();
        Map<Role, List<Case>> plan = new EnumMap<>(Role.class);
        int operationCount;
        try (HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build()) {
            http = client;
            apiDocs = fetchApiDocs();
            List<Operation> operations = operations();
            operationCount = operations.size();
            assertThat(operations).as("operations in /v3/api-docs").hasSizeGreaterThan(20);
            for (Role role : Role.values()) {
                plan.put(role, plan(operations, role));
            }
            deadline = System.nanoTime() + BUDGET.toNanos();
            try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Role role : Role.values()) {
                    AtomicInteger next = new AtomicInteger();
                    for (int i = 0; i < WORKERS_PER_ROLE; i++) {
                        Random random = new Random(SEED + 31L * role.ordinal() + i);
                        workers.submit(new Worker(role, plan.get(role), next, random));
                    }
                }
            }
        }
        int planned = plan.values().stream().mapToInt(List::size).sum();
        System.out.printf(
                "API fuzz: %d operations, %d of %d cases (%d skipped as closed to the role, %d not sendable), "
                        + "%d requests, %d accounts, %d s, %d failures%n",
                operationCount, casesRun.get(), planned, skipped.get(), unsendable.get(), requests.get(),
                identities.get(), TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), failures.size());
        if (!failures.isEmpty()) {
            throw new AssertionError(report());
        }
    }

    // The OpenAPI description.

    private Map<String, Object> fetchApiDocs() {
        Answer answer = exchange(HttpRequest.newBuilder(uri("/v3/api-docs"))
            .timeout(REQUEST_TIMEOUT)
            .header("X-Forwarded-For", randomIp())
            .GET()
            .build());
        assertThat(answer.status()).as("GET /v3/api-docs: %s", answer.error()).isEqualTo(200);
        return map(json.readValue(answer.body(), Map.class));
    }

    private List<Operation> operations() {
        List<Operation> operations = new ArrayList<>();
        for (Map.Entry<String, Object> path : map(apiDocs.get("paths")).entrySet()) {
            String template = path.getKey();
            if (SKIPPED_PREFIXES.stream().anyMatch(template::startsWith)) {
                continue;
            }
            Map<String, Object> item = resolve(map(path.getValue()));
            for (String method : METHODS) {
                Map<String, Object> spec = map(item.get(method));
                if (!spec.isEmpty()) {
                    operations.add(operation(method.toUpperCase(Locale.ROOT), template, item, spec));
                }
            }
        }
        operations.sort(Comparator.comparing(Operation::template).thenComparing(Operation::method));
        return operations;
    }

    private Operation operation(String method, String template, Map<String, Object> item, Map<String, Object> spec) {
        Map<String, Param> parameters = new LinkedHashMap<>();
        for (Object declared : concat(list(item.get("parameters")), list(spec.get("parameters")))) {
            Map<String, Object> parameter = resolve(map(declared));
            String name = str(parameter.get("name"));
            String in = str(parameter.get("in"));
            if (name != null && in != null) {
                parameters.put(in + ":" + name, new Param(name, in, resolve(map(parameter.get("schema"))),
                        Boolean.TRUE.equals(parameter.get("required"))));
            }
        }
        Map<String, Object> content = map(resolve(map(spec.get("requestBody"))).get("content"));
        Kind kind;
        String contentType;
        Map<String, Object> schema = Map.of();
        String jsonType = content.keySet()
            .stream()
            .filter(type -> type.contains("json") || type.equals("*/*"))
            .findFirst()
            .orElse(null);
        if (template.equals("/api/admin/import")) {
            kind = Kind.BINARY;
            contentType = "application/zip";
        }
        else if (content.isEmpty()) {
            kind = Kind.NONE;
            contentType = null;
        }
        else if (jsonType != null) {
            kind = Kind.JSON;
            contentType = "application/json";
            schema = resolve(map(map(content.get(jsonType)).get("schema")));
        }
        else if (content.containsKey("text/csv")
                || content.keySet().stream().anyMatch(type -> type.startsWith("text/"))) {
            kind = Kind.CSV;
            contentType = content.containsKey("text/csv") ? "text/csv"
                    : content.keySet().stream().filter(type -> type.startsWith("text/")).findFirst().orElseThrow();
        }
        else {
            kind = Kind.BINARY;
            contentType = content.keySet().iterator().next();
        }
        boolean stream = template.endsWith("/session-events") || map(spec.get("responses")).values()
            .stream()
            .anyMatch(response -> map(resolve(map(response)).get("content")).containsKey("text/event-stream"));
        return new Operation(method, template, List.copyOf(parameters.values()), kind, contentType, schema, stream);
    }

    /**
     * The schema or parameter with its {@code $ref} followed, {@code allOf} merged and
     * the first {@code oneOf} taken.
     */
    private Map<String, Object> resolve(Map<String, Object> node) {
        Map<String, Object> current = node;
        for (int hops = 0; current.get("$ref") instanceof String ref && hops < 20; hops++) {
            Map<String, Object> merged = new LinkedHashMap<>(pointer(ref));
            current.forEach((key, value) -> {
                if (!key.equals("$ref")) {
                    merged.put(key, value);
                }
            });
            current = merged;
        }
        if (current.get("allOf") instanceof List<?> parts) {
            Map<String, Object> merged = new LinkedHashMap<>(current);
            merged.remove("allOf");
            Map<String, Object> properties = new LinkedHashMap<>(map(current.get("properties")));
            List<Object> required = new ArrayList<>(list(current.get("required")));
            for (Object part : parts) {
                Map<String, Object> resolved = resolve(map(part));
                properties.putAll(map(resolved.get("properties")));
                required.addAll(list(resolved.get("required")));
                resolved.forEach(merged::putIfAbsent);
            }
            merged.put("properties", properties);
            merged.put("required", required);
            current = merged;
        }
        for (String choice : List.of("oneOf", "anyOf")) {
            if (type(current) == null && current.get(choice) instanceof List<?> options) {
                for (Object option : options) {
                    Map<String, Object> resolved = resolve(map(option));
                    if (!"null".equals(resolved.get("type"))) {
                        return resolved;
                    }
                }
            }
        }
        return current;
    }

    private Map<String, Object> pointer(String ref) {
        if (!ref.startsWith("#/")) {
            return Map.of();
        }
        Object node = apiDocs;
        for (String part : ref.substring(2).split("/")) {
            node = map(node).get(part.replace("~1", "/").replace("~0", "~"));
        }
        return map(node);
    }

    private static String type(Map<String, Object> schema) {
        Object type = schema.get("type");
        if (type instanceof String single) {
            return single;
        }
        if (type instanceof List<?> several) {
            return several.stream().filter(t -> !"null".equals(t)).map(String::valueOf).findFirst().orElse(null);
        }
        if (schema.containsKey("properties") || schema.containsKey("additionalProperties")) {
            return "object";
        }
        return schema.containsKey("items") ? "array" : null;
    }

    // Valid values from schemas.

    /** A value the schema accepts, or {@link #OMIT} for a property better left out. */
    private Object sample(Map<String, Object> declared, String name, int depth) {
        Map<String, Object> schema = resolve(declared);
        if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
            return values.getFirst();
        }
        Supplier<Object> hint = name == null ? null : HINTS.get(name.toLowerCase(Locale.ROOT));
        if (hint != null) {
            return hint.get();
        }
        if (schema.get("example") != null) {
            return schema.get("example");
        }
        if (schema.get("default") != null) {
            return schema.get("default");
        }
        String type = type(schema);
        if ("object".equals(type)) {
            return depth > 5 ? new LinkedHashMap<>() : object(schema, depth);
        }
        if ("array".equals(type)) {
            Object item = depth > 5 ? "Fuzzqx" : sample(map(schema.get("items")), null, depth + 1);
            return new ArrayList<>(List.of(item == OMIT ? "Fuzzqx" : item));
        }
        if ("integer".equals(type) || "number".equals(type)) {
            return number(schema, "integer".equals(type));
        }
        if ("boolean".equals(type)) {
            return true;
        }
        return string(schema, name == null ? "" : name);
    }

    private Map<String, Object> object(Map<String, Object> schema, int depth) {
        Map<String, Object> object = new LinkedHashMap<>();
        Map<String, Object> properties = map(schema.get("properties"));
        properties.forEach((property, propertySchema) -> {
            if (!Boolean.TRUE.equals(map(propertySchema).get("readOnly"))) {
                Object value = sample(map(propertySchema), property, depth + 1);
                if (value != OMIT) {
                    object.put(property, value);
                }
            }
        });
        if (properties.isEmpty() && schema.get("additionalProperties") != null
                && !Boolean.FALSE.equals(schema.get("additionalProperties"))) {
            Object value = sample(map(schema.get("additionalProperties")), "name", depth + 1);
            object.put("name", value == OMIT ? "Fuzzqx" : value);
        }
        return object;
    }

    private static Object number(Map<String, Object> schema, boolean integer) {
        double value = 1;
        Double minimum = decimal(schema.get("minimum"));
        Double maximum = decimal(schema.get("maximum"));
        boolean exclusive = Boolean.TRUE.equals(schema.get("exclusiveMinimum"));
        if (schema.get("exclusiveMinimum") instanceof Number bound) {
            minimum = bound.doubleValue();
            exclusive = true;
        }
        if (minimum != null && (value < minimum || (exclusive && value <= minimum))) {
            value = exclusive ? minimum + 1 : minimum;
        }
        if (maximum != null && value > maximum) {
            value = maximum;
        }
        return integer ? (Object) (long) Math.ceil(value) : (Object) value;
    }

    private static String string(Map<String, Object> schema, String name) {
        String format = String.valueOf(schema.get("format"));
        boolean later = name.contains("end") || name.equals("to") || name.equals("before");
        String value = switch (format) {
            case "email" -> "fuzz-" + UUID.randomUUID() + "@example.com";
            case "date-time" -> later ? "2024-01-02T00:00:00Z" : "2024-01-01T00:00:00Z";
            case "date" -> later ? "2024-01-02" : "2024-01-01";
            case "time" -> "09:00:00";
            case "uuid" -> UUID_ID;
            case "uri", "url" -> "https://example.com/fuzz.png";
            case "byte" -> "ZnV6eg==";
            case "password" -> PASSWORD;
            default -> null;
        };
        if (value == null && schema.get("pattern") instanceof String pattern) {
            value = matching(pattern);
        }
        if (value == null) {
            value = "Fuzzqx";
        }
        Double minLength = decimal(schema.get("minLength"));
        Double maxLength = decimal(schema.get("maxLength"));
        if (minLength != null && value.length() < minLength) {
            value = value + "x".repeat(minLength.intValue() - value.length());
        }
        if (maxLength != null && value.length() > maxLength) {
            value = value.substring(0, maxLength.intValue());
        }
        return value;
    }

    /**
     * A string that matches the pattern: its first word when it is a list of words, else
     * a known candidate.
     */
    private static String matching(String pattern) {
        String bare = pattern.replaceAll("^\\^|\\$$", "");
        if (bare.matches("[A-Za-z0-9_|-]+")) {
            return bare.split("\\|")[0];
        }
        try {
            Pattern compiled = Pattern.compile(pattern);
            return List
                .of("BTCUSDT", "fuzz_user", "Fuzzqx", "05551234567", "+905551234567", "09:00", "1m", "abc", "a", "1")
                .stream()
                .filter(candidate -> compiled.matcher(candidate).matches())
                .findFirst()
                .orElse(null);
        }
        catch (PatternSyntaxException ex) {
            return null;
        }
    }

    private static Map<String, Supplier<Object>> hints() {
        Map<String, Supplier<Object>> hints = new HashMap<>();
        hints.put("email", () -> "fuzz-" + UUID.randomUUID() + "@example.com");
        hints.put("username", () -> "fuzz_" + UUID.randomUUID().toString().substring(0, 12));
        for (String password : List.of("password", "new_password", "confirm_password", "current_password")) {
            hints.put(password, () -> PASSWORD);
        }
        for (String phone : List.of("phone", "phone_number", "phonenumber")) {
            hints.put(phone, () -> "05551234567");
        }
        // a symbol the shared Binance stub has (empty) candles of: a candle download then
        // reaches the exchange and stores nothing, instead of a 502 for an unknown symbol
        hints.put("symbol", () -> "T1USDT");
        hints.put("interval", () -> "1m");
        hints.put("strategy", () -> "simple");
        hints.put("params", () -> new LinkedHashMap<>(Map.of("buy_below", 1, "sell_above", 2)));
        hints.put("exchange", () -> "binance");
        hints.put("api_key", () -> "abcdefgh12345678");
        hints.put("api_secret", () -> "abcdefgh12345678");
        hints.put("time_zone", () -> "Europe/Istanbul");
        hints.put("sending_hours_start", () -> "09:00");
        hints.put("sending_hours_end", () -> "18:00");
        hints.put("avatar", () -> "https://example.com/fuzz.png");
        hints.put("usertypename", () -> "user");
        hints.put("user_type", () -> "user");
        hints.put("content_value", () -> "moe_gatherer");
        hints.put("side", () -> "buy");
        hints.put("provider", () -> "simulator");
        hints.put("graylist_mode", () -> "slow");
        hints.put("period", () -> "monthly");
        hints.put("sort_by", () -> "start_time");
        hints.put("body", () -> "Merhaba {{name}}");
        // A backtest takes candles or a generator, not both; a cursor is only valid when
        // a list gave it.
        hints.put("candles", () -> OMIT);
        hints.put("cursor", () -> OMIT);
        // Without an API key a bot trades on paper; key 1 would be another user's.
        hints.put("api_key_id", () -> OMIT);
        return Map.copyOf(hints);
    }

    // The cases.

    /** Every case for one role, cheapest tier first, each tier in operation order. */
    private List<Case> plan(List<Operation> operations, Role role) {
        List<List<Case>> tiers = new ArrayList<>();
        for (int i = 0; i < TIERS; i++) {
            tiers.add(new ArrayList<>());
        }
        Map<String, Set<String>> methods = operations.stream()
            .collect(Collectors.groupingBy(Operation::template,
                    Collectors.mapping(Operation::method, Collectors.toSet())));
        Set<String> templates = new HashSet<>();
        for (Operation operation : operations) {
            if (role != Role.ANONYMOUS && operation.stream()) {
                continue;
            }
            Case valid = addCases(operation, role, tiers);
            if (templates.add(operation.template()) && !methods.get(operation.template()).contains("PATCH")) {
                tiers.getFirst().add(valid.withMethod("PATCH"));
            }
        }
        return tiers.stream().flatMap(List::stream).toList();
    }

    /** Adds the operation's cases to their tiers and answers its valid case. */
    private Case addCases(Operation operation, Role role, List<List<Case>> tiers) {
        Map<String, String> ids = validPathValues(operation);
        String path = fill(operation.template(), ids);
        List<String> required = requiredQuery(operation);
        String query = query(required);
        Object tree = operation.kind() == Kind.JSON ? sample(operation.bodySchema(), null, 0) : null;
        byte[] validBody = switch (operation.kind()) {
            case JSON -> json.writeValueAsString(tree == OMIT ? Map.of() : tree).getBytes(UTF_8);
            case CSV -> VALID_CSV.getBytes(UTF_8);
            case NONE, BINARY -> null;
        };
        Case valid = new Case(operation.method(), operation, path + query, "valid",
                validBody == null ? null : operation.contentType(), validBody == null ? null : () -> validBody,
                Map.of(), role != Role.ANONYMOUS && ENDS_IDENTITY.contains(operation.key()), false);

        List<Case> cheap = tiers.get(0);
        cheap.add(valid);
        List<String> allQuery = allQuery(operation);
        if (allQuery.size() > required.size()) {
            cheap.add(valid.at(path + query(allQuery), "every query parameter valid"));
        }
        for (String variable : pathVariables(operation.template())) {
            for (String value : PATH_VALUES) {
                Map<String, String> changed = new HashMap<>(ids);
                changed.put(variable, value);
                cheap.add(
                        valid.at(fill(operation.template(), changed) + query, "path " + variable + "=" + label(value)));
            }
        }
        for (Param parameter : operation.parameters("query")) {
            List<String> others = required.stream()
                .filter(pair -> !pair.startsWith(encode(parameter.name()) + "="))
                .toList();
            String name = encode(parameter.name());
            for (String value : QUERY_VALUES) {
                cheap.add(valid.at(path + query(plus(others, name + "=" + value)),
                        "query " + parameter.name() + "=" + label(value)));
            }
            cheap.add(valid.at(path + query(plus(others, name)), "query " + parameter.name() + " without a value"));
            cheap.add(valid.at(path + query(plus(others, name + "=1&" + name + "=abc")),
                    "query " + parameter.name() + " twice"));
            cheap.add(valid.at(path + query(plus(others, name + "%5B%5D=1")), "query " + parameter.name() + "[]"));
        }
        cheap.add(valid.at(path + query(plus(required, "fuzz_unknown=1")), "an unknown query parameter"));
        cheap.add(valid.at(path + query(plus(required, "%00=%00")), "a NUL query parameter"));
        for (Param parameter : operation.parameters("header")) {
            for (String value : HEADER_VALUES) {
                cheap.add(valid.withHeader(parameter.name(), value));
            }
        }
        if (role == Role.ANONYMOUS) {
            for (String authorization : AUTHORIZATIONS) {
                cheap.add(valid.withHeader("Authorization", authorization));
            }
        }

        List<Case> raw = tiers.get(1);
        for (String[] header : HEADERS) {
            raw.add(valid.withHeader(header[0], header[1]));
        }
        for (String[] header : operation.safe() ? READ_HEADERS : WRITE_HEADERS) {
            raw.add(valid.withHeader(header[0], header[1]));
        }
        switch (operation.kind()) {
            case JSON -> raw.addAll(jsonBodies(valid, tree, validBody));
            case CSV -> raw.addAll(csvBodies(valid, validBody));
            case BINARY -> raw.addAll(archives(valid));
            case NONE -> {
                if (!operation.safe()) {
                    raw.addAll(unexpectedBodies(valid));
                }
            }
        }

        if (operation.kind() == Kind.JSON) {
            for (List<Object> slot : slots(tree)) {
                for (Mutation mutation : VALUES) {
                    tiers.get(2)
                        .add(valid
                            .sending("application/json", () -> withSlot(tree, slot, mutation.json()).getBytes(UTF_8),
                                    "body " + label(slot) + " = " + mutation.label())
                            .asMutatedBody());
                }
                for (Mutation mutation : extras(valueAt(tree, slot))) {
                    tiers.get(3)
                        .add(valid
                            .sending("application/json", () -> withSlot(tree, slot, mutation.json()).getBytes(UTF_8),
                                    "body " + label(slot) + " = " + mutation.label())
                            .asMutatedBody());
                }
            }
            if (tree instanceof Map<?, ?> object) {
                for (Object key : object.keySet()) {
                    tiers.get(2)
                        .add(valid
                            .sending("application/json", () -> without(tree, key).getBytes(UTF_8),
                                    "body without " + key)
                            .asMutatedBody());
                }
            }
        }
        return valid;
    }

    private List<Case> jsonBodies(Case valid, Object tree, byte[] validBody) {
        List<Case> cases = new ArrayList<>();
        for (Body body : JSON_BODIES) {
            cases.add(valid.sending("application/json", body::bytes, "body " + body.label()));
        }
        // Made when sent, not when planned: a few of them are large.
        String text = new String(validBody, UTF_8);
        Map<String, Supplier<byte[]>> derived = new LinkedHashMap<>();
        derived.put("trailing garbage", () -> (text + "xyz").getBytes(UTF_8));
        derived.put("two documents", () -> (text + text).getBytes(UTF_8));
        derived.put("a UTF-8 byte order mark", () -> bytes(new byte[] { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF }, text));
        derived.put("UTF-16 with a byte order mark",
                () -> bytes(new byte[] { (byte) 0xFF, (byte) 0xFE }, text.getBytes(StandardCharsets.UTF_16LE)));
        if (tree instanceof Map<?, ?> object && !object.isEmpty()) {
            String first = json.writeValueAsString(object.keySet().iterator().next());
            String rest = text.substring(1);
            String allButLast = text.substring(0, text.length() - 1);
            derived.put("the first key twice, first wins", () -> ("{" + first + ":\"dup\"," + rest).getBytes(UTF_8));
            derived.put("the first key twice, last wins",
                    () -> (allButLast + "," + first + ":\"dup\"}").getBytes(UTF_8));
            derived.put("an extra 5,000-deep property",
                    () -> ("{\"fuzz_extra\":" + DEEP_ARRAY + "," + rest).getBytes(UTF_8));
            derived.put("an extra NUL-named property", () -> ("{\"\\u0000\":1," + rest).getBytes(UTF_8));
            derived.put("an extra 200,000-character property name",
                    () -> ("{\"" + "k".repeat(200_000) + "\":1," + rest).getBytes(UTF_8));
        }
        derived.forEach((label, body) -> cases.add(valid.sending("application/json", body, "body " + label)));
        cases.add(valid.sending(null, () -> validBody, "no Content-Type"));
        for (String type : List.of("application/json; charset=utf-9", "application/json; charset=UTF-16",
                "application/json; charset=" + "x".repeat(1_000), "application/json;;;", "text/plain", "*/*",
                "application/merge-patch+json")) {
            cases.add(valid.sending(type, () -> validBody, "Content-Type: " + label(type)));
        }
        cases.addAll(unexpectedBodies(valid));
        return cases;
    }

    private static List<Case> csvBodies(Case valid, byte[] validBody) {
        List<Case> cases = new ArrayList<>();
        for (Body body : CSV_BODIES) {
            cases.add(valid.sending(valid.contentType(), body::bytes, "CSV " + body.label()));
        }
        cases.add(valid.sending(null, () -> validBody, "no Content-Type"));
        for (String type : List.of("text/plain", "text/csv; charset=utf-9", "text/csv; charset=UTF-16",
                "application/json")) {
            cases.add(valid.sending(type, () -> validBody, "Content-Type: " + type));
        }
        cases.addAll(unexpectedBodies(valid));
        return cases;
    }

    private static List<Case> archives(Case valid) {
        List<Case> cases = new ArrayList<>();
        for (Body body : ARCHIVES) {
            cases.add(valid.sending("application/zip", body::bytes, "archive " + body.label()));
        }
        cases.add(valid.sending("application/octet-stream", ARCHIVES.get(3)::bytes, "octet-stream random bytes"));
        cases.add(valid.sending("application/json", () -> "{}".getBytes(UTF_8), "a JSON body"));
        cases.add(valid.sending(null, ARCHIVES.get(1)::bytes, "no Content-Type"));
        return cases;
    }

    /** Bodies of a kind the operation does not take: a form, multipart and JSON. */
    private static List<Case> unexpectedBodies(Case valid) {
        return List.of(
                valid.sending("application/x-www-form-urlencoded", () -> "a=%zz&b=%&=&&".getBytes(UTF_8),
                        "a malformed form"),
                valid.sending("multipart/form-data", () -> "--x\r\n\r\n".getBytes(UTF_8),
                        "multipart without a boundary"),
                valid.sending("multipart/form-data; boundary=x",
                        () -> ("--x\r\nContent-Disposition: form-data; " + "name=\"a\"\r\n\r\nb\u0000\r\n--x--\r\n")
                            .getBytes(UTF_8),
                        "multipart with NUL"),
                valid.sending("application/xml",
                        () -> "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>".getBytes(UTF_8),
                        "XML with an external entity"),
                valid.sending("application/json", () -> "{\"a\":1,\"a\":2}".getBytes(UTF_8),
                        "JSON with duplicate keys"),
                valid.sending("application/json", () -> DEEP_ARRAY.getBytes(UTF_8), "a 5,000-deep JSON array"));
    }

    private static List<Mutation> extras(Object value) {
        if (value instanceof String text) {
            if (DATE_LIKE.matcher(text).lookingAt()) {
                return concat(DATE_VALUES, STRING_VALUES);
            }
            return TIME_LIKE.matcher(text).matches() ? concat(TIME_VALUES, STRING_VALUES) : STRING_VALUES;
        }
        if (value instanceof Number) {
            return NUMBER_VALUES;
        }
        if (value instanceof List) {
            return ARRAY_VALUES;
        }
        return value instanceof Map ? OBJECT_VALUES : List.of();
    }

    private Map<String, String> validPathValues(Operation operation) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String variable : pathVariables(operation.template())) {
            Map<String, Object> schema = operation.parameters("path")
                .stream()
                .filter(parameter -> parameter.name().equals(variable))
                .map(Param::schema)
                .findFirst()
                .orElse(Map.of());
            String type = type(schema);
            String value;
            if (variable.equals("m_type")) {
                value = "1";
            }
            else if ("integer".equals(type) || "number".equals(type)) {
                value = operation.safe() ? "1" : UNUSED_ID;
            }
            else {
                value = "uuid".equals(schema.get("format")) ? UUID_ID : HEX_ID;
            }
            values.put(variable, value);
        }
        return values;
    }

    private List<String> requiredQuery(Operation operation) {
        return queryPairs(operation.parameters("query").stream().filter(Param::required).toList());
    }

    private List<String> allQuery(Operation operation) {
        return queryPairs(operation.parameters("query"));
    }

    private List<String> queryPairs(List<Param> parameters) {
        List<String> pairs = new ArrayList<>();
        for (Param parameter : parameters) {
            Object value = sample(parameter.schema(), parameter.name(), 0);
            if (value != OMIT) {
                String text = value instanceof List<?> values && !values.isEmpty() ? String.valueOf(values.getFirst())
                        : value instanceof Map || value instanceof List ? "1" : String.valueOf(value);
                pairs.add(encode(parameter.name()) + "=" + encode(text));
            }
        }
        return pairs;
    }

    // Bodies with one property replaced.

    /**
     * The paths of the values in a body, to depth three; of an array only its first
     * element.
     */
    private static List<List<Object>> slots(Object tree) {
        List<List<Object>> slots = new ArrayList<>();
        if (!(tree instanceof Map)) {
            slots.add(List.of());
        }
        collectSlots(tree, List.of(), 0, slots);
        return slots;
    }

    private static void collectSlots(Object value, List<Object> path, int depth, List<List<Object>> slots) {
        if (depth > 0) {
            slots.add(path);
        }
        if (depth >= 3) {
            return;
        }
        if (value instanceof Map<?, ?> object) {
            for (Map.Entry<?, ?> entry : object.entrySet()) {
                collectSlots(entry.getValue(), plus(path, entry.getKey()), depth + 1, slots);
            }
        }
        else if (value instanceof List<?> array && !array.isEmpty()) {
            collectSlots(array.getFirst(), plus(path, 0), depth + 1, slots);
        }
    }

    /**
     * The body as JSON text with the value at {@code slot} replaced by the raw JSON text
     * {@code raw}.
     */
    private String withSlot(Object tree, List<Object> slot, String raw) {
        if (slot.isEmpty()) {
            return raw;
        }
        Object copy = copy(tree);
        Object parent = copy;
        for (Object step : slot.subList(0, slot.size() - 1)) {
            parent = step instanceof Integer index ? ((List<?>) parent).get(index) : ((Map<?, ?>) parent).get(step);
        }
        Object last = slot.getLast();
        if (last instanceof Integer index) {
            list(parent).set(index, SLOT);
        }
        else {
            map(parent).put((String) last, SLOT);
        }
        return json.writeValueAsString(copy).replace("\"" + SLOT + "\"", raw);
    }

    private String without(Object tree, Object key) {
        Map<String, Object> copy = map(copy(tree));
        copy.remove(key);
        return json.writeValueAsString(copy);
    }

    private static Object valueAt(Object tree, List<Object> slot) {
        Object value = tree;
        for (Object step : slot) {
            value = step instanceof Integer index ? ((List<?>) value).get(index) : ((Map<?, ?>) value).get(step);
        }
        return value;
    }

    private static Object copy(Object value) {
        if (value instanceof Map<?, ?> object) {
            Map<String, Object> copy = new LinkedHashMap<>();
            object.forEach((key, item) -> copy.put(String.valueOf(key), copy(item)));
            return copy;
        }
        if (value instanceof List<?> array) {
            List<Object> copy = new ArrayList<>();
            array.forEach(item -> copy.add(copy(item)));
            return copy;
        }
        return value;
    }

    private static String label(List<Object> slot) {
        if (slot.isEmpty()) {
            return "(root)";
        }
        StringBuilder label = new StringBuilder();
        for (Object step : slot) {
            if (step instanceof Integer index) {
                label.append('[').append(index).append(']');
            }
            else {
                label.append(label.isEmpty() ? "" : ".").append(step);
            }
        }
        return label.toString();
    }

    // Sending and judging.

    /**
     * Runs one role's cases, shared with the role's other workers, until none is left or
     * the budget is spent.
     */
    private final class Worker implements Runnable {

        private final Role role;

        private final List<Case> cases;

        private final AtomicInteger next;

        private final Random random;

        private String token;

        private int uses;

        private boolean signUpFailed;

        Worker(Role role, List<Case> cases, AtomicInteger next, Random random) {
            this.role = role;
            this.cases = cases;
            this.next = next;
            this.random = random;
        }

        @Override
        public void run() {
            while (System.nanoTime() < deadline) {
                int index = next.getAndIncrement();
                if (index >= cases.size()) {
                    return;
                }
                Case request = cases.get(index);
                try {
                    run(request);
                }
                catch (RuntimeException ex) {
                    failures.add(new Failure(role, request, "the test could not run it: " + ex, ""));
                    if (signUpFailed) {
                        return; // without an account every other case would fail the same
                                // way
                    }
                }
                casesRun.incrementAndGet();
            }
        }

        private void run(Case request) {
            if (request.deep() && closed.get(role).contains(request.operation().key())) {
                skipped.incrementAndGet();
                return;
            }
            Answer answer = send(request);
            if (answer != null && identityRefused(request, answer)) {
                token = null;
                answer = send(request);
            }
            if (request.endsIdentity()) {
                token = null;
            }
            if (answer != null) {
                if (request.mutation().equals("valid") && closedToRole(answer)) {
                    closed.get(role).add(request.operation().key());
                }
                check(role, request, answer);
            }
        }

        /**
         * Whether the valid request was refused for who asked (401 without a working
         * token, 403 without the role), so that the role's mutated bodies would meet the
         * same refusal; the role that may call it fuzzes them.
         */
        private boolean closedToRole(Answer answer) {
            return (answer.status() == 401 && answer.body().contains("urn:kapi:problem:unauthorized\""))
                    || (answer.status() == 403 && answer.body().contains("urn:kapi:problem:forbidden\""));
        }

        /**
         * The answer, or null when java.net.http refuses to send such a request at all.
         */
        private Answer send(Case request) {
            String bearer = role == Role.ANONYMOUS || request.headers().containsKey("Authorization") ? null : token();
            HttpRequest built;
            try {
                built = request(request, bearer, ip(random));
            }
            catch (IllegalArgumentException ex) {
                unsendable.incrementAndGet();
                return null;
            }
            return exchange(built);
        }

        /**
         * Whether the answer says the account is used up (429), its session gone (the 401
         * of a token that no longer signs in) or the account frozen, rather than anything
         * about the input.
         */
        private boolean identityRefused(Case request, Answer answer) {
            if (role == Role.ANONYMOUS || request.headers().containsKey("Authorization")) {
                return false;
            }
            return answer.status() == 429
                    || (answer.status() == 401 && answer.body().contains("urn:kapi:problem:unauthorized\""))
                    || (answer.status() == 403 && answer.body().contains("urn:kapi:problem:account-frozen\""));
        }

        private String token() {
            if (token == null || uses >= REQUESTS_PER_IDENTITY) {
                signUpFailed = true;
                token = signUp(role, random);
                signUpFailed = false;
                uses = 0;
            }
            uses++;
            return token;
        }

    }

    private HttpRequest request(Case request, String bearer, String ip) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(request.target()))
            .timeout(REQUEST_TIMEOUT)
            .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(request.body().get()));
        if (request.contentType() != null) {
            builder.header("Content-Type", request.contentType());
        }
        if (!request.headers().containsKey("X-Forwarded-For")) {
            builder.header("X-Forwarded-For", ip);
        }
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        request.headers().forEach(builder::header);
        return builder.build();
    }

    /**
     * Sends once more after an I/O error (a stale pooled connection); a timeout is an
     * answer of its own.
     */
    private Answer exchange(HttpRequest request) {
        for (int attempt = 1;; attempt++) {
            requests.incrementAndGet();
            CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request,
                    HttpResponse.BodyHandlers.ofByteArray());
            try {
                HttpResponse<byte[]> response = future.get(REQUEST_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
                return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                        new String(response.body(), UTF_8), null,
                        response.headers().firstValue("Retry-After").isPresent());
            }
            catch (TimeoutException ex) {
                future.cancel(true);
                return Answer.failed("took longer than " + REQUEST_TIMEOUT.toSeconds() + " s");
            }
            catch (ExecutionException ex) {
                if (ex.getCause() instanceof HttpTimeoutException) {
                    return Answer.failed("took longer than " + REQUEST_TIMEOUT.toSeconds() + " s");
                }
                if (attempt == 2) {
                    return Answer.failed("no answer: " + ex.getCause());
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return Answer.failed("interrupted");
            }
        }
    }

    /**
     * A new account of the role, signed up and signed in from an address of its own; its
     * access token.
     */
    private String signUp(Role role, Random random) {
        String email = "fuzz-" + UUID.randomUUID() + "@example.com";
        String ip = ip(random);
        Map<String, Object> account = new LinkedHashMap<>(Map.of("email", email, "password", PASSWORD, "full_name",
                "Fuzz " + role.name().toLowerCase(Locale.ROOT)));
        if (role == Role.ADMIN) {
            account.put("admin_secret", ADMIN_SECRET);
        }
        expect(201, post(role == Role.ADMIN ? "/auth/register/admin" : "/auth/register", account, ip));
        Answer login = expect(200, post("/auth/login", Map.of("username", email, "password", PASSWORD), ip));
        identities.incrementAndGet();
        return String.valueOf(map(json.readValue(login.body(), Map.class)).get("access_token"));
    }

    private Answer post(String path, Map<String, Object> body, String ip) {
        return exchange(HttpRequest.newBuilder(uri(path))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/json")
            .header("X-Forwarded-For", ip)
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
            .build());
    }

    private static Answer expect(int status, Answer answer) {
        if (answer.status() != status) {
            throw new IllegalStateException("signing up answered " + answer.status() + " "
                    + (answer.error() != null ? answer.error() : excerpt(answer.body())));
        }
        return answer;
    }

    private void check(Role role, Case request, Answer answer) {
        if (answer.error() != null) {
            failures.add(new Failure(role, request, answer.error(), ""));
        }
        else if (answer.status() >= 500 && !answer.shedsLoad()) {
            failures.add(new Failure(role, request, "answered " + answer.status(), answer.body()));
        }
        else {
            String leak = FuzzAnswers.leak(answer.status(), answer.contentType(), answer.body());
            if (leak != null) {
                failures
                    .add(new Failure(role, request, "answered " + answer.status() + " naming " + leak, answer.body()));
            }
        }
    }

    private String report() {
        Map<String, Integer> perOperation = new TreeMap<>();
        failures.forEach(failure -> perOperation
            .merge(failure.request().method() + " " + failure.request().operation().template(), 1, Integer::sum));
        StringBuilder report = new StringBuilder(
                failures.size() + " fuzzed requests failed, by operation: " + perOperation + "\n");
        failures.stream()
            .sorted(Comparator.comparing((Failure failure) -> failure.request().operation().template())
                .thenComparing(failure -> failure.request().method())
                .thenComparing(Failure::role))
            .forEach(failure -> report.append("  ").append(failure.line()).append('\n'));
        return report.toString();
    }

    // Small helpers.

    private URI uri(String target) {
        return URI.create("http://localhost:" + port + target);
    }

    private static String ip(Random random) {
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    private static List<String> pathVariables(String template) {
        List<String> variables = new ArrayList<>();
        Matcher matcher = PATH_VARIABLE.matcher(template);
        while (matcher.find()) {
            variables.add(matcher.group(1));
        }
        return variables;
    }

    private static String fill(String template, Map<String, String> values) {
        Matcher matcher = PATH_VARIABLE.matcher(template);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(path, Matcher.quoteReplacement(values.getOrDefault(matcher.group(1), "1")));
        }
        matcher.appendTail(path);
        return path.toString();
    }

    private static String query(List<String> pairs) {
        return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, UTF_8);
    }

    private static String label(String value) {
        return value.length() > 40 ? "a " + value.length() + "-character value" : "\"" + value + "\"";
    }

    private static String wideObject(int keys) {
        return IntStream.range(0, keys).mapToObj(i -> "\"k" + i + "\":" + i).collect(Collectors.joining(",", "{", "}"));
    }

    private static String columns(int count) {
        return IntStream.range(0, count).mapToObj(i -> "c" + i).collect(Collectors.joining(","));
    }

    private static List<Mutation> strings(String... values) {
        return List.of(values).stream().map(value -> new Mutation("\"" + value + "\"", "\"" + value + "\"")).toList();
    }

    private static List<Mutation> numbers(String... values) {
        return List.of(values).stream().map(value -> new Mutation(label(value), value)).toList();
    }

    private static Body body(String label, String text) {
        return new Body(label, text.getBytes(UTF_8));
    }

    private static Body body(String label, byte[] bytes) {
        return new Body(label, bytes);
    }

    /** Strings (as UTF-8) and byte arrays, one after the other. */
    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] raw ? raw : String.valueOf(part).getBytes(UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(SEED).nextBytes(bytes);
        return bytes;
    }

    private static byte[] manifest(String text) {
        return zip(Map.of("manifest.json", text.getBytes(UTF_8)));
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : new TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static byte[] truncated(byte[] bytes) {
        byte[] half = new byte[bytes.length / 2];
        System.arraycopy(bytes, 0, half, 0, half.length);
        return half;
    }

    private static Double decimal(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        try {
            return value instanceof String text ? Double.valueOf(text) : null;
        }
        catch (NumberFormatException ex) {
            return null;
        }
    }

    private static String str(Object value) {
        return value instanceof String text ? text : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> object ? (Map<String, Object>) object : new LinkedHashMap<>();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> array ? (List<Object>) array : List.of();
    }

    private static <T> List<T> plus(List<T> list, T item) {
        List<T> longer = new ArrayList<>(list);
        longer.add(item);
        return longer;
    }

    private static <T> List<T> concat(List<? extends T> first, List<? extends T> second) {
        List<T> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }

    // The model.

    private enum Role {

        ANONYMOUS, USER, ADMIN

    }

    private enum Kind {

        NONE, JSON, CSV, BINARY

    }

    private record Param(String name, String in, Map<String, Object> schema, boolean required) {
    }

    private record Operation(String method, String template, List<Param> parameters, Kind kind, String contentType,
            Map<String, Object> bodySchema, boolean stream) {

        boolean safe() {
            return method.equals("GET") || method.equals("HEAD");
        }

        String key() {
            return method + " " + template;
        }

        List<Param> parameters(String in) {
            return parameters.stream().filter(parameter -> parameter.in().equals(in)).toList();
        }
    }

    /** A hostile JSON value as raw JSON text. */
    private record Mutation(String label, String json) {
    }

    private record Body(String label, byte[] bytes) {
    }

    /**
     * One request to make: the target is the path and query, already %-encoded;
     * {@code deep} marks a mutated body, which only the roles that may call the operation
     * send.
     */
    private record Case(String method, Operation operation, String target, String mutation, String contentType,
            Supplier<byte[]> body, Map<String, String> headers, boolean endsIdentity, boolean deep) {

        Case at(String otherTarget, String what) {
            return new Case(method, operation, otherTarget, what, contentType, body, headers, endsIdentity, deep);
        }

        Case sending(String otherContentType, Supplier<byte[]> otherBody, String what) {
            return new Case(method, operation, target, what, otherContentType, otherBody, headers, endsIdentity, deep);
        }

        Case withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Case(method, operation, target, "header " + name + ": " + label(value), contentType, body,
                    Map.copyOf(more), endsIdentity, deep);
        }

        Case withMethod(String otherMethod) {
            return new Case(otherMethod, operation, target, "undeclared method " + otherMethod, contentType, body,
                    headers, endsIdentity, deep);
        }

        Case asMutatedBody() {
            return new Case(method, operation, target, mutation, contentType, body, headers, endsIdentity, true);
        }
    }

    private static final Pattern BUSY = Pattern.compile("\"type\":\"urn:kapi:problem:[a-z-]*busy\"");

    private record Answer(int status, String contentType, String body, String error, boolean retryAfter) {

        static Answer failed(String error) {
            return new Answer(0, "", "", error, false);
        }

        /**
         * A deliberate "not now": a 503 problem with {@code Retry-After} (two candle
         * downloads already running, the exchange asked to wait, the backtest pool full)
         * is load shedding that a client retries, not a server error.
         */
        boolean shedsLoad() {
            return status == 503 && retryAfter && BUSY.matcher(body).find();
        }
    }

    private record Failure(Role role, Case request, String outcome, String body) {

        String line() {
            String target = request.target().length() > 160 ? request.target().substring(0, 160) + "…"
                    : request.target();
            return role + " " + request.method() + " " + target + " [" + request.mutation() + "]: " + outcome
                    + (body.isEmpty() ? "" : " — " + excerpt(body));
        }
    }

}
