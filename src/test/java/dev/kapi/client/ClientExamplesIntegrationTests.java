package dev.kapi.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.kapi.support.IntegrationTest;

/**
 * Keeps {@code client/} true: runs every request example ({@code client/admin/*.http},
 * {@code client/user/*.http}, in the order of their numbers) with httpyac against the
 * application on its test port, and the TypeScript client's Node test with types
 * generated from this application's {@code /v3/api-docs}. A stale example, a request that
 * did not run, or a type error fails the build.
 */
class ClientExamplesIntegrationTests extends IntegrationTest {

    private static final Path CLIENT = Path.of("client").toAbsolutePath();

    private static final Path TYPESCRIPT = CLIENT.resolve("typescript");

    private static final Pattern REQUEST_LINE = Pattern.compile("^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \\S+",
            Pattern.MULTILINE);

    private static final Pattern STATUS_TEST = Pattern.compile("client\\.test\\([^\\n]*response\\.status ===");

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void everyExampleRunsInOrderAndGetsTheStatusItShows() throws Exception {
        List<Path> files = exampleFiles();
        assertThat(files).as("client/admin and client/user hold the examples").hasSizeGreaterThanOrEqualTo(10);
        int requests = 0;
        for (Path file : files) {
            List<String> blocks = requestBlocks(Files.readString(file));
            for (String block : blocks) {
                assertThat(STATUS_TEST.matcher(block).find())
                    .as("every request in %s checks its status: %s", file, block.lines().findFirst().orElse(""))
                    .isTrue();
            }
            requests += blocks.size();
        }

        List<String> command = new ArrayList<>(List.of(CLIENT.resolve("node_modules/.bin/httpyac").toString(), "send"));
        files.forEach(file -> command.add(CLIENT.relativize(file).toString()));
        command.addAll(List.of("--all", "--bail", "--env", "local", "--json", "--var", "base=http://localhost:" + port,
                "--var", "admin_secret=" + ADMIN_SECRET));
        Run run = run(command, CLIENT, Map.of());

        JsonNode results = json.readTree(run.stdout());
        JsonNode summary = results.path("summary");
        List<String> failures = new ArrayList<>();
        for (JsonNode request : results.path("requests")) {
            for (JsonNode test : request.path("testResults")) {
                if (!"SUCCESS".equals(test.path("status").asString())) {
                    failures.add(request.path("fileName").asString() + " \"" + request.path("name").asString() + "\": "
                            + test.path("message").asString() + " "
                            + test.path("error").path("displayMessage").asString() + " (answered "
                            + request.path("response").path("statusCode").asString() + ")");
                }
            }
        }
        assertThat(failures).as("failed examples").isEmpty();
        assertThat(undocumentedStatuses(results)).as("answers /v3/api-docs does not describe").isEmpty();
        assertThat(run.exit()).as("httpyac's exit code; stderr: %s", run.stderr()).isZero();
        assertThat(summary.path("totalRequests").asInt()).as("requests httpyac found in the files").isEqualTo(requests);
        assertThat(summary.path("successRequests").asInt()).as("requests that ran and passed").isEqualTo(requests);
        assertThat(summary.path("skippedRequests").asInt()).isZero();
        assertThat(summary.path("failedTests").asInt() + summary.path("erroredTests").asInt()).isZero();
        assertThat(summary.path("totalTests").asInt()).isGreaterThanOrEqualTo(requests);
    }

    @Test
    void theTypedClientIsGeneratedFromThisApplicationAndItsNodeTestPasses() throws Exception {
        Path bin = TYPESCRIPT.resolve("node_modules/.bin");
        Map<String, String> env = Map.of("KAPI_BASE_URL", "http://localhost:" + port, "KAPI_ADMIN_SECRET", ADMIN_SECRET,
                "KAPI_OPENAPI", "http://localhost:" + port + "/v3/api-docs",
                // the Node test's own client address (loopback is a trusted proxy in
                // tests), so the
                // examples' registrations and sign-ins leave it room under the rate
                // limits
                "KAPI_FORWARDED_FOR", "10.19." + ThreadLocalRandom.current().nextInt(256) + "."
                        + ThreadLocalRandom.current().nextInt(1, 255));
        succeeds(run(
                List.of(bin.resolve("openapi-typescript").toString(), env.get("KAPI_OPENAPI"), "-o", "src/schema.d.ts"),
                TYPESCRIPT, env), "openapi-typescript");
        succeeds(run(List.of(bin.resolve("tsc").toString(), "--noEmit"), TYPESCRIPT, env), "tsc --noEmit");
        succeeds(run(List.of(bin.resolve("tsc").toString()), TYPESCRIPT, env), "tsc (to build/)");
        Run test = run(List.of("node", "--test", "build/test/client.test.js"), TYPESCRIPT, env);
        succeeds(test, "node --test");
        assertThat(test.stdout()).contains("# fail 0").doesNotContain("# pass 0");
    }

    /** Each example's answer status must be one its operation in /v3/api-docs lists. */
    private List<String> undocumentedStatuses(JsonNode results) throws Exception {
        JsonNode paths = json
            .readTree(java.net.URI.create("http://localhost:" + port + "/v3/api-docs").toURL().openStream())
            .path("paths");
        List<String> undocumented = new ArrayList<>();
        for (JsonNode request : results.path("requests")) {
            JsonNode response = request.path("response");
            String method = response.path("request").path("method").asString().toLowerCase(java.util.Locale.ROOT);
            String path = java.net.URI.create(response.path("request").path("url").asString()).getPath();
            String status = response.path("statusCode").asString();
            String template = null;
            for (var entry : paths.properties()) {
                String regex = entry.getKey().replaceAll("\\{[^}]+}", "[^/]+");
                if (path.matches(regex) && entry.getValue().has(method)
                        && (template == null || literalLength(entry.getKey()) > literalLength(template))) {
                    template = entry.getKey();
                }
            }
            if (template == null) {
                undocumented.add(method + " " + path + ": no operation");
            }
            else if (!paths.path(template).path(method).path("responses").has(status)) {
                undocumented.add(method + " " + template + ": " + status);
            }
        }
        return undocumented;
    }

    /**
     * How much of a path template is literal: /events/categories/{id} wins over
     * /events/{event_id}/...
     */
    private static int literalLength(String template) {
        return template.replaceAll("\\{[^}]+}", "").length();
    }

    private static void succeeds(Run run, String what) {
        assertThat(run.exit()).as("%s failed:%n%s%n%s", what, run.stdout(), run.stderr()).isZero();
    }

    private static List<Path> exampleFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String role : List.of("admin", "user")) {
            try (Stream<Path> found = Files.list(CLIENT.resolve(role))) {
                found.filter(file -> file.getFileName().toString().endsWith(".http")).forEach(files::add);
            }
        }
        files.sort(Comparator.comparing(file -> file.getFileName().toString()));
        return files;
    }

    /**
     * The text of each request in a file: from its request line to the next one (or the
     * end).
     */
    private static List<String> requestBlocks(String text) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = REQUEST_LINE.matcher(text);
        int start = -1;
        while (matcher.find()) {
            if (start >= 0) {
                blocks.add(text.substring(start, matcher.start()));
            }
            start = matcher.start();
        }
        if (start >= 0) {
            blocks.add(text.substring(start));
        }
        return blocks;
    }

    private record Run(int exit, String stdout, String stderr) {
    }

    private static Run run(List<String> command, Path directory, Map<String, String> env) throws Exception {
        Path out = Files.createTempFile("kapi-client", ".out");
        Path err = Files.createTempFile("kapi-client", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
            builder.environment().putAll(env);
            builder.environment().put("NO_COLOR", "1");
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish in 5 minutes");
            }
            return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        }
        finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

}
