package dev.kapi.shared;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every module appends its error and page texts to the same two files. A key written
 * twice silently gives one module's code another module's text (the later line wins), and
 * a key in one language only answers the other language's text.
 */
class MessageFilesTests {

    @Test
    void eachMessageFileWhenReadThenNoKeyTwiceAndTheSameKeysInTurkishAndEnglish() throws IOException {
        List<String> turkish = keys("/messages.properties");
        List<String> english = keys("/messages_en.properties");

        assertThat(duplicates(turkish)).as("keys written twice in messages.properties").isEmpty();
        assertThat(duplicates(english)).as("keys written twice in messages_en.properties").isEmpty();
        assertThat(new LinkedHashSet<>(english)).as("the English keys")
            .containsExactlyInAnyOrderElementsOf(new LinkedHashSet<>(turkish));
    }

    private static Set<String> duplicates(List<String> keys) {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> twice = new LinkedHashSet<>();
        for (String key : keys) {
            if (!seen.add(key)) {
                twice.add(key);
            }
        }
        return twice;
    }

    private static List<String> keys(String resource) throws IOException {
        List<String> keys = new ArrayList<>();
        try (var reader = new BufferedReader(
                new InputStreamReader(MessageFilesTests.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
            String line;
            boolean continued = false;
            while ((line = reader.readLine()) != null) {
                String trimmed = line.strip();
                boolean startsKey = !continued && !trimmed.isEmpty() && !trimmed.startsWith("#")
                        && !trimmed.startsWith("!");
                if (startsKey) {
                    int end = trimmed.indexOf('=');
                    keys.add((end < 0 ? trimmed : trimmed.substring(0, end)).strip());
                }
                continued = trimmed.endsWith("\\");
            }
        }
        return keys;
    }

}
